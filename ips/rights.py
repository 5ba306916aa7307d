"""The client's rights: a copy of all data held (GDPR Art. 15) and the access-log report
(client-data law 703/2023). Reads only; the views log them."""

from __future__ import annotations

import datetime
import json
from io import BytesIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import (
    AccessEvent,
    CareerProfileVersion,
    Client,
    Contact,
    CoverAssignment,
    EducationStart,
    EmployerContact,
    Episode,
    JobStart,
)


def client_data(client: Client) -> dict:
    """Everything the app holds about the client, as plain data."""
    episodes = Episode.objects.filter(client=client).select_related("team", "coach")
    return {
        "generated_at": timezone.now(),
        "client": {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "personal_identity_code": client.personal_identity_code,
            "birth_year": client.birth_year,
            "gender": client.get_gender_display(),
            "phone": client.phone,
            "email": client.email,
            "municipality": client.municipality,
            "created_at": client.created_at,
        },
        "episodes": [
            {
                "team": str(e.team),
                "coach": str(e.coach),
                "referral_date": e.referral_date,
                "referral_source": e.get_referral_source_display(),
                "accepted_date": e.accepted_date,
                "career_profile_start": e.career_profile_start,
                "employment_status_at_entry": e.get_employment_status_at_entry_display(),
                "target_groups": [g.name for g in e.target_groups.all()],
                "discharge_date": e.discharge_date,
                "discharge_reason": e.get_discharge_reason_display() if e.discharge_reason else "",
            }
            for e in episodes.prefetch_related("target_groups")
        ],
        "career_profile_versions": [
            {
                "version": v.version,
                "saved": v.created_at,
                "job_preferences": v.job_preferences,
                "work_history": v.work_history,
                "education": v.education,
                "skills": v.skills,
                "strengths": v.strengths,
                "supports_wanted": v.supports_wanted,
                "disclosure_preference": v.get_disclosure_preference_display(),
                "reason": v.change_reason,
            }
            for v in CareerProfileVersion.objects.filter(client=client).order_by("version")
        ],
        "contacts": [
            {
                "date": c.date,
                "minutes": c.minutes,
                "mode": c.get_mode_display(),
                "setting": c.get_setting_display(),
                "purpose": c.get_purpose_display(),
                "note": c.note,
                "recorded_by": str(c.recorded_by),
            }
            for c in Contact.objects.filter(episode__client=client)
            .select_related("recorded_by")
            .order_by("date")
        ],
        "jobs": [
            {
                "employer": str(j.employer),
                "type": j.get_activity_display(),
                "job_title": j.job_title,
                "occupation": str(j.occupation),
                "start_date": j.start_date,
                "first_paid_day": j.first_paid_day,
                "hours_per_week": j.hours_per_week,
                "hourly_wage": j.hourly_wage,
                "permanence": j.get_permanence_display(),
                "wage_subsidy": j.wage_subsidy,
                "end_date": j.end_date,
                "end_reason": j.get_end_reason_display() if j.end_reason else "",
            }
            for j in JobStart.objects.filter(episode__client=client)
            .select_related("employer", "occupation")
            .order_by("start_date")
        ],
        "education": [
            {
                "programme": e.programme,
                "institution": e.institution,
                "start_date": e.start_date,
                "end_date": e.end_date,
                "outcome": e.get_outcome_display(),
            }
            for e in EducationStart.objects.filter(episode__client=client).order_by("start_date")
        ],
        "employer_contacts": [
            {
                "date": c.date,
                "employer": str(c.employer),
                "purpose": c.get_purpose_display(),
                "face_to_face": c.face_to_face,
                "outcome": c.outcome,
            }
            for c in EmployerContact.objects.filter(clients=client)
            .select_related("employer")
            .order_by("date")
        ],
        "cover_assignments": [
            {"coach": str(c.coach), "starts_on": c.starts_on, "ends_on": c.ends_on}
            for c in CoverAssignment.objects.filter(client=client).select_related("coach")
        ],
    }


def client_data_json(client: Client) -> bytes:
    return json.dumps(
        client_data(client), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode("utf-8")


def client_data_pdf(client: Client, title: str) -> bytes:
    """The same data as a readable PDF (reportlab, imported here only)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from fidelity.pdf import FONT, FONT_BOLD, _escape, _register_fonts

    _register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=base["BodyText"], fontName=FONT, fontSize=9, leading=11)
    heading = ParagraphStyle("h", parent=base["Heading2"], fontName=FONT_BOLD)
    story = [
        Paragraph(_escape(title), ParagraphStyle("t", parent=base["Title"], fontName=FONT_BOLD))
    ]
    for section, value in client_data(client).items():
        story.append(Paragraph(_escape(section.replace("_", " ").capitalize()), heading))
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            if isinstance(row, dict):
                text = "<br/>".join(
                    f"<b>{_escape(str(k))}</b>: {_escape(_fmt(v))}" for k, v in row.items()
                )
            else:
                text = _escape(_fmt(row))
            story += [Paragraph(text, body), Spacer(1, 6)]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()


def _fmt(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def access_log(client: Client, *, since: datetime.datetime | None):
    events = AccessEvent.objects.filter(clients__client_id=client.pk)
    if since is not None:
        events = events.filter(at__gte=since)
    return events.select_related("user").order_by("-at", "-id")
