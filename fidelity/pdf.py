"""The fidelity review report as a PDF (reportlab).

Imported lazily by the view, so reportlab never slows start-up. Text is set in Bitstream Vera,
which reportlab ships and which has the Finnish and Swedish letters (ä, ö, å), embedded in the
file so every reader shows them.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import reportlab
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from . import queries, scoring
from .models import Review

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONT, FONT_BOLD = "IPSVera", "IPSVeraBold"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "VeraBd.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=FONT_BOLD, fontSize=20),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=FONT_BOLD),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=FONT_BOLD, fontSize=11),
        "body": ParagraphStyle(
            "b", parent=base["BodyText"], fontName=FONT, fontSize=9.5, leading=12
        ),
        "small": ParagraphStyle(
            "s",
            parent=base["BodyText"],
            fontName=FONT,
            fontSize=8,
            leading=10,
            textColor=colors.HexColor("#444444"),
        ),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, style) -> Paragraph:
    """A paragraph of plain (user) text: escaped, line breaks kept."""
    return Paragraph(_escape(text or "–").replace("\n", "<br/>"), style)


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _item_chart(review: Review, scores: dict[int, int | None]) -> Flowable:
    """Item scores as horizontal bars, grouped by section, with a line at 4 (good)."""
    scale = review.scale
    labels, values = [], []
    for section, items in reversed(scale.items_by_section()):
        for item in reversed(items):
            labels.append(f"{item.number}. {item.name[:38]}")
            values.append(scores.get(item.number) or 0)
        labels.append(f"— {section} —")
        values.append(0)
    height = 12 * len(labels) + 30
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 20
    chart.width, chart.height = 100 * mm, height - 30
    chart.data = [values]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = FONT
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.bars[0].fillColor = colors.HexColor("#0b5cad")
    drawing.add(chart)
    x4 = chart.x + chart.width * 4 / 5
    drawing.add(
        Line(
            x4,
            chart.y,
            x4,
            chart.y + chart.height,
            strokeColor=colors.orange,
            strokeDashArray=[3, 2],
        )
    )
    drawing.add(String(x4 + 2, chart.y + chart.height + 3, "4", fontName=FONT, fontSize=7))
    return drawing


def build_review_pdf(review: Review, previous: Review | None = None) -> bytes:
    _register_fonts()
    styles = _styles()
    scale = review.scale
    ratings = queries.ratings_by_reviewer(review)
    consensus = ratings.get(None, {})
    scores = {n: r.score for n, r in consensus.items()}
    result = scoring.total_and_band(scale, scores)
    previous_scores = {}
    previous_result = None
    if previous is not None:
        previous_scores = {
            n: r.score for n, r in queries.ratings_by_reviewer(previous).get(None, {}).items()
        }
        previous_result = scoring.total_and_band(previous.scale, previous_scores)

    story: list[Flowable] = [
        _p(_("Fidelity review report"), styles["title"]),
        _p(scale.name, styles["body"]),
        Spacer(1, 8 * mm),
    ]
    reviewers = ", ".join(str(a.reviewer) for a in review.assignments.select_related("reviewer"))
    cover = [
        [_("Team"), str(review.team)],
        [_("Organisation"), str(review.team.organisation)],
        [_("Review period"), f"{_date(review.period_start)} – {_date(review.period_end)}"],
        [_("Reviewers"), reviewers],
        [_("Version"), str(review.version)],
        [_("Finalised"), _date(review.finalised_at and timezone.localtime(review.finalised_at))],
        [
            _("Total"),
            f"{result.total} / {len(scale.items) * scale.score_max}"
            if result
            else _("Not final: some items have no consensus score."),
        ],
        [_("Band"), result.band.label if result else "–"],
    ]
    if previous_result:
        cover.append(
            [
                _("Previous review"),
                f"{_date(previous.period_end)}: {previous_result.total} "
                f"({previous_result.band.label})",
            ]
        )
    table = Table(cover, colWidths=[45 * mm, 120 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (0, -1), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        _p(_("Item scores by section"), styles["h2"]),
        _item_chart(review, scores),
        PageBreak(),
    ]

    story.append(_p(_("Items"), styles["h2"]))
    for section, items in scale.items_by_section():
        story.append(_p(section, styles["h3"]))
        for item in items:
            rating = consensus.get(item.number)
            score = rating.score if rating else None
            before = previous_scores.get(item.number)
            change = f" ({_('previous')}: {before})" if before else ""
            heading = Paragraph(
                f"<b>{_escape(f'{item.number}. {item.name}')}</b>: {score or '–'}{_escape(change)}",
                styles["body"],
            )
            rationale = _p(rating.rationale if rating else "", styles["small"])
            story.append(KeepTogether([heading, rationale, Spacer(1, 2 * mm)]))

    story += [
        PageBreak(),
        _p(_("Strengths"), styles["h2"]),
        _p(review.strengths, styles["body"]),
        _p(_("Recommendations"), styles["h2"]),
        _p(review.recommendations, styles["body"]),
        _p(_("Action plan"), styles["h2"]),
    ]
    actions = [[_("Item"), _("Action"), _("Owner"), _("Due"), _("Status")]]
    for action in review.actions.all():
        actions.append(
            [
                str(action.item or "–"),
                _p(action.action, styles["small"]),
                _p(action.owner, styles["small"]),
                _date(action.due_date),
                action.get_status_display(),
            ]
        )
    plan = Table(actions, colWidths=[12 * mm, 80 * mm, 35 * mm, 20 * mm, 22 * mm], repeatRows=1)
    plan.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(plan)

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{_('Fidelity review report')} – {review.team}",
        author="IPS tool",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()
