"""Scoped reads of client data. Every view that touches client data starts here.

The access rule, in one place:

* a coach sees the clients whose episodes they coach;
* a team lead sees every client with an episode in a team they lead;
* a coach covering for a colleague sees a client while they hold both the guardian object
  permission ``ips.view_client`` on it and a current ``CoverAssignment`` (the end date counts);
* reviewers, evaluators and administrators see no client records here, whatever global
  permissions or superuser flags they have. Administrators work in the admin site.

No access means 404, so a user never learns whether a record exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from . import followalong, weekly
from .models import (
    CareerProfileVersion,
    Client,
    Contact,
    CoverAssignment,
    EducationStart,
    Employer,
    EmployerContact,
    Episode,
    ImportBatch,
    JobStart,
    Membership,
    Team,
    User,
)


def today() -> datetime.date:
    return timezone.localdate()


def lead_team_ids(user: User) -> QuerySet:
    return Membership.objects.filter(user=user, role=Membership.Role.LEAD).values("team_id")


def teams_for_user(user: User) -> QuerySet[Team]:
    """Teams a user works in (as coach or lead)."""
    if not user.is_authenticated or not user.works_with_clients:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).distinct().order_by("name")


def led_teams(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or not user.works_with_clients:
        return Team.objects.none()
    return Team.objects.filter(id__in=lead_team_ids(user)).order_by("name")


def import_batches_for_user(user: User) -> QuerySet[ImportBatch]:
    """Spreadsheet imports into the teams the user leads."""
    return ImportBatch.objects.filter(team__in=led_teams(user)).select_related("team", "created_by")


def covered_client_ids(user: User) -> QuerySet:
    """Clients a user covers today: guardian permission AND a current cover assignment."""
    on = today()
    current = Client.objects.filter(
        Exists(
            CoverAssignment.objects.filter(
                client=OuterRef("pk"),
                coach=user,
                starts_on__lte=on,
                ends_on__gte=on,
                revoked_at__isnull=True,
            )
        )
    )
    return get_objects_for_user(
        user,
        "ips.view_client",
        klass=current,
        accept_global_perms=False,
        with_superuser=False,
    ).values("pk")


def clients_for_user(user: User) -> QuerySet[Client]:
    """Every client the user may see and change."""
    if not user.is_authenticated or not user.works_with_clients:
        return Client.objects.none()
    return Client.objects.filter(_visible_client(user, "pk"))


def _visible_client(user: User, field: str) -> Q:
    """``field`` (a client id) is one the user may see. Three uncorrelated ``IN`` subqueries,
    which PostgreSQL evaluates once each (hashed) and SQLite through its indexes, instead of a
    correlated ``EXISTS`` per row: the caseload list filters every open episode by it."""
    coached = Episode.objects.filter(coach=user).values("client_id")
    led = Episode.objects.filter(team_id__in=lead_team_ids(user)).values("client_id")
    return (
        Q(**{f"{field}__in": coached})
        | Q(**{f"{field}__in": led})
        | Q(**{f"{field}__in": covered_client_ids(user)})
    )


def episodes_for_user(user: User) -> QuerySet[Episode]:
    """Episodes of the clients the user may see: the rows of the caseload list."""
    if not user.is_authenticated or not user.works_with_clients:
        return Episode.objects.none()
    return Episode.objects.filter(_visible_client(user, "client_id"))


def caseload_rows(user: User) -> QuerySet[Episode]:
    """The caseload list's queryset, with everything the table shows loaded up front. The last
    contact is a correlated subquery on the (episode, date) index, not a ``Max`` over a join
    with every contact: no GROUP BY, and the page's COUNT never touches the contacts."""
    last_contact = (
        Contact.objects.filter(episode=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    return (
        episodes_for_user(user)
        .select_related("client", "coach", "team")
        .prefetch_related("target_groups")
        .annotate(last_contact=Subquery(last_contact))
    )


def get_client_for_user(user: User, pk: int | str) -> Client:
    """The client, if the user may see it; otherwise ``Http404``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    try:
        return clients_for_user(user).get(pk=pk)
    except Client.DoesNotExist:
        raise Http404 from None


def user_leads_client(user: User, client: Client) -> bool:
    """True if the user leads a team the client has an episode in."""
    return Episode.objects.filter(client=client, team_id__in=lead_team_ids(user)).exists()


def load_client_detail(client: Client) -> Client:
    """Load the episodes and profile history of a client the caller has already authorised
    (through ``get_client_for_user``) for the detail page, in a fixed number of queries."""
    prefetch_related_objects(
        [client],
        Prefetch(
            "episodes",
            queryset=Episode.objects.select_related("team", "coach").prefetch_related(
                "target_groups"
            ),
        ),
        Prefetch(
            "profile_versions",
            queryset=CareerProfileVersion.objects.select_related("created_by"),
        ),
    )
    return client


def contacts_for_client(client: Client) -> QuerySet[Contact]:
    return Contact.objects.filter(episode__client=client).select_related("recorded_by")


def coaches_for_user(user: User, *, also: int | None = None) -> QuerySet[User]:
    """Coaches the user may assign clients to: themselves, and everyone in the teams they lead.
    ``also`` keeps a currently assigned coach selectable."""
    if not user.is_authenticated or not user.works_with_clients:
        return User.objects.none()
    led_members = Membership.objects.filter(team_id__in=lead_team_ids(user)).values("user_id")
    return User.objects.filter(
        Q(pk=user.pk) | Q(pk=also) | Q(pk__in=led_members, is_active=True),
        role__in=[User.Role.COACH, User.Role.LEAD],
    ).order_by("first_name", "last_name")


def coaches_in_team(team: Team) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__team=team, is_active=True)
        .filter(role__in=[User.Role.COACH, User.Role.LEAD])
        .order_by("first_name", "last_name")
    )


def current_covers(client: Client) -> QuerySet[CoverAssignment]:
    return CoverAssignment.objects.filter(
        client=client, ends_on__gte=today(), revoked_at__isnull=True
    ).select_related("coach", "granted_by")


# --- Job development and jobs ------------------------------------------------------------


def organisations_for_user(user: User) -> QuerySet:
    return Team.objects.filter(memberships__user=user).values("organisation_id")


def employers_for_user(user: User) -> QuerySet[Employer]:
    """The shared employer directory of the organisations the user works in."""
    if not user.is_authenticated or not user.works_with_clients:
        return Employer.objects.none()
    return Employer.objects.filter(organisation_id__in=organisations_for_user(user))


def get_employer_for_user(user: User, pk: int | str) -> Employer:
    try:
        return employers_for_user(user).get(pk=int(pk))
    except (Employer.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def employer_contacts_for_user(user: User) -> QuerySet[EmployerContact]:
    """A coach's own employer contacts, and every contact of the teams a lead leads."""
    if not user.is_authenticated or not user.works_with_clients:
        return EmployerContact.objects.none()
    return EmployerContact.objects.filter(Q(coach=user) | Q(team_id__in=lead_team_ids(user)))


def employer_contact_rows(user: User) -> QuerySet[EmployerContact]:
    return (
        employer_contacts_for_user(user)
        .select_related("employer", "coach", "team")
        .prefetch_related(
            Prefetch("clients", queryset=clients_for_user(user).order_by("last_name"))
        )
    )


def open_caseload(user: User) -> QuerySet[Client]:
    """Clients with an open episode coached by the user (for picking clients in forms)."""
    return (
        clients_for_user(user)
        .filter(episodes__coach=user, episodes__discharge_date__isnull=True)
        .order_by("last_name", "first_name")
    )


def jobs_for_client(client: Client) -> QuerySet[JobStart]:
    return JobStart.objects.filter(episode__client=client).select_related("employer", "occupation")


def get_job_for_client(client: Client, pk: int | str) -> JobStart:
    try:
        return jobs_for_client(client).get(pk=int(pk))
    except (JobStart.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def education_for_client(client: Client) -> QuerySet[EducationStart]:
    return EducationStart.objects.filter(episode__client=client)


def get_education_for_client(client: Client, pk: int | str) -> EducationStart:
    try:
        return education_for_client(client).get(pk=int(pk))
    except (EducationStart.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def follow_along_for_jobs(jobs: list[JobStart], today: datetime.date) -> dict[int, list]:
    """Follow-along checkpoints of each job, from its face-to-face support contacts (one query)."""
    dates: dict[int, list[datetime.date]] = {job.pk: [] for job in jobs}
    contacts = Contact.objects.filter(
        job__in=[job.pk for job in jobs], mode=Contact.Mode.FACE_TO_FACE
    ).values_list("job_id", "date")
    for job_id, day in contacts:
        dates[job_id].append(day)
    return {
        job.pk: followalong.checkpoints(
            start=job.start_date, end=job.end_date, contacts=dates[job.pk], today=today
        )
        for job in jobs
    }


def support_jobs(coaches: list[User], today: datetime.date) -> QuerySet[JobStart]:
    """Jobs that still need follow-along attention: current, or ended in the last 3 days."""
    recent_end = today - datetime.timedelta(days=3)
    return (
        JobStart.objects.filter(
            episode__coach__in=coaches,
            episode__discharge_date__isnull=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=recent_end))
        .select_related("employer", "episode__client", "episode__coach")
        .order_by("start_date")
    )


# --- The coach's and the lead's week -------------------------------------------------------


@dataclass
class CoachWeek:
    """Everything the weekly view shows for one coach."""

    coach: User
    caseload: int = 0
    referred: int = 0
    contact_weeks: list[weekly.WeekCount] = field(default_factory=list)
    waiting: list[Episode] = field(default_factory=list)
    support_due: list[tuple[JobStart, list[followalong.Checkpoint]]] = field(default_factory=list)
    recent_starts: list[JobStart] = field(default_factory=list)
    recent_ends: list[JobStart] = field(default_factory=list)

    @property
    def this_week(self) -> weekly.WeekCount:
        return self.contact_weeks[-1]

    @property
    def over_limit(self) -> bool:
        return self.caseload > weekly.CASELOAD_LIMIT

    @property
    def client_ids(self) -> set[int]:
        jobs = [job for job, _ in self.support_due] + self.recent_starts + self.recent_ends
        return {e.client_id for e in self.waiting} | {job.episode.client_id for job in jobs}


def week_figures(
    coaches: list[User], today: datetime.date, weeks: int = 8, teams=None
) -> dict[int, CoachWeek]:
    """The weekly figures of several coaches, in a fixed number of queries. With ``teams``
    (the lead's week) only those teams' episodes, jobs and employer contacts count, so a coach
    who also works in another team never brings that team's clients onto the page."""
    result = {coach.pk: CoachWeek(coach=coach) for coach in coaches}
    in_teams = {} if teams is None else {"team__in": teams}
    job_teams = {} if teams is None else {"episode__team__in": teams}
    open_episodes = Episode.objects.filter(
        coach__in=coaches, discharge_date__isnull=True, **in_teams
    )
    for row in open_episodes.values("coach_id").annotate(
        active=Count("pk", filter=Q(accepted_date__isnull=False)),
        referred=Count("pk", filter=Q(accepted_date__isnull=True)),
    ):
        result[row["coach_id"]].caseload = row["active"]
        result[row["coach_id"]].referred = row["referred"]

    mondays = weekly.last_weeks(today, weeks)
    dates: dict[int, list[datetime.date]] = {pk: [] for pk in result}
    for coach_id, day in EmployerContact.objects.filter(
        coach__in=coaches, face_to_face=True, date__gte=mondays[0], date__lte=today, **in_teams
    ).values_list("coach_id", "date"):
        dates[coach_id].append(day)
    for pk, week in result.items():
        week.contact_weeks = weekly.weekly_counts(
            dates[pk], mondays, weekly.EMPLOYER_CONTACT_TARGET
        )

    first_contact = (
        EmployerContact.objects.filter(
            clients=OuterRef("client_id"), face_to_face=True, date__gte=OuterRef("accepted_date")
        )
        .order_by("date")
        .values("date")[:1]
    )
    candidates = (
        open_episodes.filter(accepted_date__lt=today - datetime.timedelta(days=30))
        .annotate(first_employer_contact=Subquery(first_contact))
        .filter(first_employer_contact__isnull=True)
        .select_related("client")
        .order_by("accepted_date")
    )
    for episode in candidates:
        if weekly.waiting_for_first_employer_contact(
            episode.accepted_date, episode.first_employer_contact, today
        ):
            result[episode.coach_id].waiting.append(episode)

    jobs = list(support_jobs(coaches, today).filter(is_job=True, **job_teams))
    checkpoints = follow_along_for_jobs(jobs, today)
    for job in jobs:
        due = followalong.needing_action(checkpoints[job.pk], today)
        if due:
            result[job.episode.coach_id].support_due.append((job, due))

    since = today - datetime.timedelta(days=30)
    recent = (
        JobStart.objects.filter(episode__coach__in=coaches, **job_teams)
        .filter(Q(start_date__gte=since, start_date__lte=today) | Q(end_date__gte=since))
        .select_related("employer", "episode__client")
        .order_by("-start_date")
    )
    for job in recent:
        week = result[job.episode.coach_id]
        if since <= job.start_date <= today:
            week.recent_starts.append(job)
        if job.end_date and since <= job.end_date <= today:
            week.recent_ends.append(job)
    return result


def team_coaches(teams: QuerySet[Team]) -> list[User]:
    """The coaches of the teams, plus anyone coaching an open episode in them. Two ``IN``
    subqueries (the open episodes through the (team, discharge date) index) rather than joins
    to every membership and episode and a DISTINCT over them."""
    coaching = Membership.objects.filter(team__in=teams, role=Membership.Role.COACH)
    open_episodes = Episode.objects.filter(team__in=teams, discharge_date__isnull=True)
    return list(
        User.objects.filter(
            Q(pk__in=coaching.values("user_id"), is_active=True)
            | Q(pk__in=open_episodes.values("coach_id"))
        ).order_by("first_name", "last_name")
    )
