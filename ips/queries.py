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

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from .models import (
    CareerProfileVersion,
    Client,
    Contact,
    CoverAssignment,
    Episode,
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
    own_or_team = Episode.objects.filter(client=OuterRef("pk")).filter(
        Q(coach=user) | Q(team_id__in=lead_team_ids(user))
    )
    return Client.objects.filter(Q(Exists(own_or_team)) | Q(pk__in=covered_client_ids(user)))


def episodes_for_user(user: User) -> QuerySet[Episode]:
    """Episodes of the clients the user may see: the rows of the caseload list."""
    return Episode.objects.filter(client__in=clients_for_user(user))


def caseload_rows(user: User) -> QuerySet[Episode]:
    """The caseload list's queryset, with everything the table shows loaded up front."""
    from django.db.models import Max

    return (
        episodes_for_user(user)
        .select_related("client", "coach", "team")
        .prefetch_related("target_groups")
        .annotate(last_contact=Max("contacts__date"))
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
