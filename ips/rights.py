"""The client's rights: a copy of all data held (GDPR Art. 15) and the access-log report
(client-data law 703/2023). Reads only; the views log them."""

from __future__ import annotations

import datetime
import json
from io import BytesIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

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


# Headings of the PDF copy, in the reader's language (the JSON keeps the stable English keys).
LABELS = {
    "generated_at": _("Produced"),
    "client": _("Personal details"),
    "episodes": _("IPS episodes"),
    "career_profile_versions": _("Career profile versions"),
    "contacts": _("Contacts"),
    "jobs": _("Jobs"),
    "education": _("Education"),
    "employer_contacts": _("Employer contacts"),
    "cover_assignments": _("Cover access"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "personal_identity_code": _("personal identity code"),
    "birth_year": _("year of birth"),
    "gender": _("gender"),
    "phone": _("phone"),
    "email": _("email"),
    "municipality": _("municipality of residence"),
    "created_at": _("created"),
    "team": _("team"),
    "coach": _("coach"),
    "referral_date": _("referral date"),
    "referral_source": _("referral source"),
    "accepted_date": _("accepted onto caseload"),
    "career_profile_start": _("career profile started"),
    "employment_status_at_entry": _("employment status at entry"),
    "target_groups": _("target groups"),
    "discharge_date": _("discharge date"),
    "discharge_reason": _("discharge reason"),
    "version": _("version"),
    "saved": _("saved"),
    "job_preferences": _("job preferences"),
    "work_history": _("work history"),
    "skills": _("skills"),
    "strengths": _("strengths"),
    "supports_wanted": _("supports wanted"),
    "disclosure_preference": _("disclosure preference"),
    "reason": _("reason for the update"),
    "date": _("date"),
    "minutes": _("minutes"),
    "mode": _("mode"),
    "setting": _("setting"),
    "purpose": _("purpose"),
    "note": _("note"),
    "recorded_by": _("recorded by"),
    "employer": _("employer"),
    "type": _("type"),
    "job_title": _("job title"),
    "occupation": _("occupation (ISCO-08)"),
    "start_date": _("start date"),
    "first_paid_day": _("first paid day"),
    "hours_per_week": _("hours per week"),
    "hourly_wage": _("hourly wage (€)"),
    "permanence": _("permanence"),
    "wage_subsidy": _("wage subsidy (palkkatuki)"),
    "end_date": _("end date"),
    "end_reason": _("reason it ended"),
    "programme": _("programme"),
    "institution": _("institution"),
    "outcome": _("outcome"),
    "face_to_face": _("face to face"),
    "starts_on": _("starts"),
    "ends_on": _("ends"),
}


def _label(key: str) -> str:
    return str(LABELS.get(key, key)).capitalize()


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
        story.append(Paragraph(_escape(_label(section)), heading))
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            if isinstance(row, dict):
                text = "<br/>".join(
                    f"<b>{_escape(_label(k))}</b>: {_escape(_fmt(v))}" for k, v in row.items()
                )
            else:
                text = _escape(_fmt(row))
            story += [Paragraph(text, body), Spacer(1, 6)]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()


def _fmt(value) -> str:
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def access_log(client: Client, *, since: datetime.datetime | None):
    events = AccessEvent.objects.filter(clients__client_id=client.pk)
    if since is not None:
        events = events.filter(at__gte=since)
    return events.select_related("user").order_by("-at", "-id")
