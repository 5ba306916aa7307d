"""The evidence pack: what the team's own records say for the numeric items of the scale.

Every figure comes with its numerator and denominator and the score the scale's thresholds
suggest. Only aggregates leave this module (counts, shares, per-coach figures): never a
client's identity, because reviewers have no access to client records. The reviewer decides;
the suggestion is advice.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from ips import followalong
from ips.models import Contact, EmployerContact, Episode, JobStart, Team, User

from . import scoring
from .scale import Item, Scale


@dataclass
class Evidence:
    item: Item
    value: float | None
    numerator: float | None
    denominator: float | None
    suggested: int | None
    summary: str
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.value is not None


def _pct(numerator: float, denominator: float) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _days(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days + 1


@dataclass
class Period:
    team: Team
    start: datetime.date
    end: datetime.date

    @property
    def weeks(self) -> float:
        return _days(self.start, self.end) / 7


def _coaches(period: Period) -> list[User]:
    """The coaches who worked in the team during the period: they coached an episode open in
    it, or logged an employer contact for the team in it. Not today's staff list, so the
    evidence of a finalised review does not change when people move on."""
    episodes = Episode.objects.filter(team=period.team, referral_date__lte=period.end).filter(
        Q(discharge_date__isnull=True) | Q(discharge_date__gte=period.start)
    )
    contacts = EmployerContact.objects.filter(
        team=period.team, date__gte=period.start, date__lte=period.end
    )
    return list(
        User.objects.filter(
            Q(pk__in=episodes.values("coach_id")) | Q(pk__in=contacts.values("coach_id"))
        ).order_by("first_name", "last_name")
    )


def caseload_per_coach(period: Period, coaches: list[User]):
    active = Episode.objects.filter(team=period.team, accepted_date__lte=period.end).filter(
        Q(discharge_date__isnull=True) | Q(discharge_date__gt=period.end)
    )
    per_coach = Counter(active.values_list("coach_id", flat=True))
    total = sum(per_coach.values())
    value = round(total / len(coaches), 1) if coaches else None
    details = [(str(coach), str(per_coach.get(coach.pk, 0))) for coach in coaches]
    summary = _("%(clients)s active clients / %(coaches)s coaches") % {
        "clients": total,
        "coaches": len(coaches),
    }
    return value, total, len(coaches), summary, details


def days_to_first_employer_contact(period: Period, coaches: list[User]):
    first_contact = (
        EmployerContact.objects.filter(
            clients=OuterRef("client_id"), face_to_face=True, date__gte=OuterRef("accepted_date")
        )
        .values("clients")
        .annotate(first=Min("date"))
        .values("first")[:1]
    )
    rows = (
        Episode.objects.filter(
            team=period.team, accepted_date__gte=period.start, accepted_date__lte=period.end
        )
        .annotate(first=Subquery(first_contact))
        .values_list("accepted_date", "first")
    )
    days, waiting = [], 0
    for accepted, first in rows:
        if first is not None and first <= period.end:
            days.append((first - accepted).days)
        else:
            # No contact yet: count the days so far, a lower bound, so waiting clients are
            # not silently left out of the mean.
            days.append((period.end - accepted).days)
            waiting += 1
    if not days:
        return None, None, 0, _("No clients entered during the period."), []
    buckets = Counter(
        "≤30"
        if d <= 30
        else "31–60"
        if d <= 60
        else "61–150"
        if d <= 150
        else "151–270"
        if d <= 270
        else "≥271"
        for d in days
    )
    details = [
        (label, str(buckets.get(label, 0)))
        for label in ("≤30", "31–60", "61–150", "151–270", "≥271")
    ]
    details.append((_("No contact yet (counted with days so far)"), str(waiting)))
    mean = round(sum(days) / len(days), 1)
    summary = _("mean %(mean)s days over %(n)s clients who entered in the period") % {
        "mean": mean,
        "n": len(days),
    }
    return mean, sum(days), len(days), summary, details


def preference_matched_contact_share(period: Period, coaches: list[User]):
    contacts = EmployerContact.objects.filter(
        team=period.team,
        date__gte=period.start,
        date__lte=period.end,
        kind=EmployerContact.Kind.CLIENT_SPECIFIC,
    )
    matched = contacts.filter(matched_preferences=True).count()
    answered = contacts.filter(matched_preferences__isnull=False).count()
    unknown = contacts.filter(matched_preferences__isnull=True).count()
    summary = _("%(matched)s of %(answered)s client-specific contacts") % {
        "matched": matched,
        "answered": answered,
    }
    details = [(_("Not recorded"), str(unknown))]
    return _pct(matched, answered), matched, answered, summary, details


def employer_contacts_per_week(period: Period, coaches: list[User]):
    counts = Counter(
        EmployerContact.objects.filter(
            coach__in=coaches,
            team=period.team,
            face_to_face=True,
            date__gte=period.start,
            date__lte=period.end,
        ).values_list("coach_id", flat=True)
    )
    per_coach = [round(counts.get(coach.pk, 0) / period.weeks, 1) for coach in coaches]
    total = sum(counts.values())
    details = [(str(c), str(v)) for c, v in zip(coaches, per_coach, strict=True)]
    summary = _("%(total)s face-to-face contacts over %(weeks)s weeks by %(coaches)s coaches") % {
        "total": total,
        "weeks": round(period.weeks, 1),
        "coaches": len(coaches),
    }
    return per_coach, total, len(coaches), summary, details


def _jobs_started(period: Period):
    return JobStart.objects.filter(
        episode__team=period.team,
        is_job=True,
        start_date__gte=period.start,
        start_date__lte=period.end,
    )


def job_type_diversity(period: Period, coaches: list[User]):
    types = list(_jobs_started(period).values_list("occupation_id", flat=True))
    distinct = len(set(types))
    details = [(code, str(n)) for code, n in sorted(Counter(types).items())]
    summary = _("%(distinct)s different occupation groups in %(jobs)s jobs") % {
        "distinct": distinct,
        "jobs": len(types),
    }
    return _pct(distinct, len(types)), distinct, len(types), summary, details


def employer_diversity(period: Period, coaches: list[User]):
    employers = list(_jobs_started(period).values_list("employer_id", flat=True))
    distinct = len(set(employers))
    largest = max(Counter(employers).values(), default=0)
    summary = _("%(distinct)s different employers in %(jobs)s jobs") % {
        "distinct": distinct,
        "jobs": len(employers),
    }
    details = [(_("Most jobs with one employer"), str(largest))]
    return _pct(distinct, len(employers)), distinct, len(employers), summary, details


def _held(period: Period):
    return JobStart.objects.filter(episode__team=period.team, start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def competitive_job_share(period: Period, coaches: list[User]):
    held = _held(period)
    total = held.count()
    competitive = held.filter(is_competitive=True).count()
    by_activity = Counter(held.values_list("activity", flat=True))
    details = [
        (str(JobStart.Activity(activity).label), str(n)) for activity, n in by_activity.items()
    ]
    details.append(
        (
            _("Permanent competitive jobs"),
            str(held.filter(is_competitive=True, permanence=JobStart.Permanence.PERMANENT).count()),
        )
    )
    summary = _("%(competitive)s competitive of %(total)s jobs and work activities held") % {
        "competitive": competitive,
        "total": total,
    }
    return _pct(competitive, total), competitive, total, summary, details


def follow_along_on_time_share(period: Period, coaches: list[User]):
    jobs = list(_held(period).filter(is_job=True).values_list("pk", "start_date", "end_date"))
    dates: dict[int, list[datetime.date]] = {pk: [] for pk, _, _ in jobs}
    for job_id, day in Contact.objects.filter(
        job__in=list(dates), mode=Contact.Mode.FACE_TO_FACE
    ).values_list("job_id", "date"):
        dates[job_id].append(day)
    met = closed = 0
    for pk, start, end in jobs:
        for checkpoint in followalong.checkpoints(
            start=start, end=end, contacts=dates[pk], today=period.end
        ):
            if checkpoint.closes < period.start or checkpoint.closes > period.end:
                continue
            if checkpoint.status == followalong.Status.MET:
                met += 1
                closed += 1
            elif checkpoint.status == followalong.Status.OVERDUE:
                closed += 1
    summary = _("%(met)s of %(closed)s support checkpoints met, over %(jobs)s jobs") % {
        "met": met,
        "closed": closed,
        "jobs": len(jobs),
    }
    return _pct(met, closed), met, closed, summary, []


def community_time_share(period: Period, coaches: list[User]):
    rows = (
        Contact.objects.filter(
            recorded_by__in=coaches,
            episode__team=period.team,
            date__gte=period.start,
            date__lte=period.end,
        )
        .values("recorded_by_id")
        .annotate(
            total=Sum("minutes"),
            community=Sum("minutes", filter=Q(setting=Contact.Setting.COMMUNITY)),
        )
    )
    by_coach = {row["recorded_by_id"]: row for row in rows}
    shares, details, total, community = [], [], 0, 0
    for coach in coaches:
        row = by_coach.get(coach.pk)
        if not row or not row["total"]:
            details.append((str(coach), "–"))
            continue
        share = _pct(row["community"] or 0, row["total"])
        shares.append(share)
        total += row["total"]
        community += row["community"] or 0
        details.append((str(coach), f"{share} %"))
    summary = _("%(community)s of %(total)s contact minutes in the community") % {
        "community": community,
        "total": total,
    }
    return shares, community, total, summary, details


COMPUTATIONS = {
    "caseload_per_coach": caseload_per_coach,
    "days_to_first_employer_contact": days_to_first_employer_contact,
    "preference_matched_contact_share": preference_matched_contact_share,
    "employer_contacts_per_week": employer_contacts_per_week,
    "job_type_diversity": job_type_diversity,
    "employer_diversity": employer_diversity,
    "competitive_job_share": competitive_job_share,
    "follow_along_on_time_share": follow_along_on_time_share,
    "community_time_share": community_time_share,
}


def evidence_pack(
    scale: Scale, team: Team, start: datetime.date, end: datetime.date
) -> dict[int, Evidence]:
    """Evidence for every computed numeric item of the scale, keyed by item number."""
    period = Period(team, start, end)
    coaches = _coaches(period)
    pack = {}
    for item in scale.items:
        measure = item.measure
        if measure is None or not measure.computed or measure.code not in COMPUTATIONS:
            continue
        value, numerator, denominator, summary, details = COMPUTATIONS[measure.code](
            period, coaches
        )
        if measure.per_coach:
            rated = scoring.score_per_coach(measure.rules, value or [])
            suggested = rated[0] if rated else None
            value = round(sum(value) / len(value), 1) if value else None
        else:
            suggested = scoring.score_measure(measure.rules, value, denominator)
        pack[item.number] = Evidence(
            item, value, numerator, denominator, suggested, summary, details
        )
    return pack
