"""Scoped reads for outcomes: which teams a user may see figures of, and the frames the
metrics and exports are computed from (``values_list`` → DataFrame, never model instances).

* A team lead: the teams they lead. A coach: their own teams, restricted to their own clients.
* An evaluator: the teams of organisations an administrator granted them (EvaluationGrant).
* An administrator: every team. Reviewers: none.
"""

from __future__ import annotations

import datetime

import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, F, FloatField, Min, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from ips.models import EducationStart, Episode, JobStart, Team, User
from ips.queries import lead_team_ids

from .models import EvaluationGrant


def is_admin(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMIN)


def teams_for_outcomes(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if is_admin(user):
        return Team.objects.all()
    if user.role == User.Role.EVALUATOR:
        organisations = EvaluationGrant.objects.filter(evaluator=user).values("organisation_id")
        return Team.objects.filter(organisation_id__in=organisations)
    if user.role == User.Role.LEAD:
        return Team.objects.filter(id__in=lead_team_ids(user))
    if user.role == User.Role.COACH:
        return Team.objects.filter(memberships__user=user).distinct()
    return Team.objects.none()


def only_own_clients(user: User) -> bool:
    """Coaches see the figures of their own caseload only."""
    return user.role == User.Role.COACH and not is_admin(user)


def suppress_small_cells(user: User) -> bool:
    """Aggregates shown to evaluators hide cells under 5."""
    return user.role == User.Role.EVALUATOR


def scoped_teams(user: User, team_ids: list[int]) -> list[Team]:
    """The requested teams, all of which must be in the user's scope (otherwise 404)."""
    if any(not 0 < team_id < 2**63 for team_id in team_ids):
        raise Http404
    allowed = teams_for_outcomes(user)
    teams = list(allowed.filter(pk__in=team_ids).select_related("organisation"))
    if len(teams) != len(set(team_ids)):
        raise Http404
    return teams


def served(
    teams: list[Team], start: datetime.date, end: datetime.date, coach: User | None = None
) -> Q:
    """Episodes of the teams served in [start, end] (optionally one coach's)."""
    condition = Q(team__in=teams, accepted_date__lte=end) & (
        Q(discharge_date__isnull=True) | Q(discharge_date__gte=start)
    )
    if coach is not None:
        condition &= Q(coach=coach)
    return condition


def _episodes(teams: list[Team], coach: User | None, start: datetime.date, end: datetime.date):
    return Episode.objects.filter(served(teams, start, end, coach))


EPISODE_COLUMNS = [
    "episode_id",
    "client_id",
    "team_id",
    "coach_id",
    "accepted_date",
    "discharge_date",
    "discharge_reason",
    "employment_status_at_entry",
    "first_contact_date",
]
JOB_COLUMNS = [
    "job_id",
    "episode_id",
    "activity",
    "is_competitive",
    "start_date",
    "first_paid_day",
    "end_date",
    "hours_per_week",
]


EPISODE_FIELDS = [
    "pk",
    "client_id",
    "team_id",
    "coach_id",
    "accepted_date",
    "discharge_date",
    "discharge_reason",
    "employment_status_at_entry",
]


def read_frame(
    queryset: QuerySet,
    fields: dict[str, str],
    dates: tuple[str, ...] = (),
    floats: tuple[str, ...] = (),
    booleans: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Read ``fields`` (column name → field path) of a queryset straight into a DataFrame.

    The rows go from the cursor to pandas as the driver returns them, without Django's
    per-value conversions, and each column is typed in one vectorised step: ``dates`` become
    datetime64 (NaT for NULL), ``floats`` float64 (cast in SQL, so PostgreSQL sends no
    ``Decimal``), ``booleans`` bool (SQLite sends 0/1). On SQLite the dates are also cast to
    text in SQL: the driver would otherwise parse every value into a ``datetime.date`` (its
    ``PARSE_DECLTYPES`` converter) only for pandas to convert it again. On PostgreSQL the
    driver's binary dates are kept (a text cast would depend on the server's DateStyle)."""
    text_dates = connections[queryset.db].vendor == "sqlite"
    selected = []
    for name, path in fields.items():
        if name in floats:
            selected.append(Cast(path, FloatField()))
        elif name in dates and text_dates:
            selected.append(Cast(path, CharField()))
        else:
            selected.append(path)
    query = queryset.values_list(*selected).query
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. ``team__in=[]``: Django runs no query at all
        rows = []
    else:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    result = pd.DataFrame.from_records(rows, columns=list(fields), coerce_float=False)
    for column in dates:
        result[column] = pd.to_datetime(result[column], format="ISO8601")
    for column in floats:
        result[column] = result[column].astype(float)
    for column in booleans:
        result[column] = result[column].astype(bool)
    return result


def first_contacts(episodes: QuerySet, frame: pd.DataFrame) -> pd.Series:
    """Each episode's first face-to-face employer contact naming the client on or after entry
    (NaT if none), aligned to ``frame``'s episode_id column: one grouped query for all the
    episodes, instead of a subquery per episode or every contact fetched and merged."""
    contact = "client__employer_contacts"
    grouped = (
        episodes.filter(
            **{f"{contact}__face_to_face": True, f"{contact}__date__gte": F("accepted_date")}
        )
        .order_by()
        .values("pk")
        .annotate(first=Min(f"{contact}__date"))
    )
    first = read_frame(grouped, {"episode_id": "pk", "date": "first"}, dates=("date",))
    return frame["episode_id"].map(first.set_index("episode_id")["date"]).astype("datetime64[ns]")


def metric_frames(
    teams: list[Team], start: datetime.date, end: datetime.date, coach: User | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(episodes, jobs, education) frames for the metrics, in four queries."""
    episodes = _episodes(teams, coach, start, end)
    episode_frame = read_frame(
        episodes,
        dict(zip(EPISODE_COLUMNS[:-1], EPISODE_FIELDS, strict=True)),
        dates=("accepted_date", "discharge_date"),
    )
    episode_frame["first_contact_date"] = first_contacts(episodes, episode_frame)
    ids = episodes.values("pk")
    job_frame = read_frame(
        JobStart.objects.filter(episode__in=ids, start_date__lte=end),
        {column: "pk" if column == "job_id" else column for column in JOB_COLUMNS},
        dates=("start_date", "first_paid_day", "end_date"),
        floats=("hours_per_week",),
        booleans=("is_competitive",),
    )
    education_frame = read_frame(
        EducationStart.objects.filter(episode__in=ids),
        {"episode_id": "episode_id", "start_date": "start_date"},
        dates=("start_date",),
    )
    return episode_frame, job_frame, education_frame


BREAKDOWNS = {
    "team": "team__name",
    "organisation": "team__organisation__name",
    "coach": None,
    "target_group": "target_groups__code",
}


def group_frame(
    teams: list[Team], start: datetime.date, end: datetime.date, coach: User | None, by: str
) -> pd.DataFrame:
    """episode_id → group label for the breakdown table (one query)."""
    episodes = _episodes(teams, coach, start, end)
    if by == "coach":
        rows = [
            (pk, f"{first} {last}".strip())
            for pk, first, last in episodes.values_list(
                "pk", "coach__first_name", "coach__last_name"
            )
        ]
    elif by == "target_group":
        from ips.models import TargetGroup

        names = {g.code: g.name for g in TargetGroup.objects.all()}
        rows = [
            (pk, names.get(code, code))
            for pk, code in episodes.filter(target_groups__isnull=False).values_list(
                "pk", "target_groups__code"
            )
        ]
    else:
        rows = list(episodes.values_list("pk", BREAKDOWNS[by]))
    return pd.DataFrame.from_records(rows, columns=["episode_id", "group"])
