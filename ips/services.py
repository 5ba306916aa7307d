"""Writes with side effects. Keyword-only arguments, validation before save, one transaction.

Access logging of writes happens in the views (``ips.audit``), which know the request.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from .models import CareerProfileVersion, Client, Contact, CoverAssignment, Episode, User
from .validators import normalise_pic, pic_birth_date

COVER_PERMISSIONS = ("ips.view_client", "ips.change_client")


def _fill_birth_year(client: Client) -> None:
    if client.personal_identity_code:
        client.personal_identity_code = normalise_pic(client.personal_identity_code)
        client.birth_year = pic_birth_date(client.personal_identity_code).year


@transaction.atomic
def create_client(*, client: Client, episode: Episode, target_groups=()) -> Client:
    """Save a new client together with their first IPS episode."""
    _fill_birth_year(client)
    client.full_clean()
    client.save()
    episode.client = client
    episode.full_clean()
    episode.save()
    episode.target_groups.set(target_groups)
    return client


@transaction.atomic
def update_client(*, client: Client, episode: Episode | None, target_groups=None) -> Client:
    """Save edits to a client's personal details and to their current episode."""
    _fill_birth_year(client)
    client.full_clean()
    client.save()
    if episode is not None:
        episode.full_clean()
        episode.save()
        if target_groups is not None:
            episode.target_groups.set(target_groups)
    return client


@transaction.atomic
def log_contact(*, episode: Episode, recorded_by: User, **fields) -> Contact:
    contact = Contact(episode=episode, recorded_by=recorded_by, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def save_career_profile(
    *, client: Client, saved_by: User, change_reason: str = "", **fields
) -> CareerProfileVersion:
    """Append a new version of the client's career profile; earlier versions stay as they are.

    The client row is locked so two coaches saving at once get versions n+1 and n+2.
    """
    Client.objects.select_for_update().filter(pk=client.pk).first()
    latest = client.profile_versions.aggregate(latest=Max("version"))["latest"] or 0
    version = CareerProfileVersion(
        client=client,
        version=latest + 1,
        created_by=saved_by,
        change_reason=change_reason,
        **fields,
    )
    version.full_clean()
    version.save()
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    if episode is not None and episode.career_profile_start is None:
        episode.career_profile_start = max(timezone.localdate(), episode.referral_date)
        episode.save(update_fields=["career_profile_start"])
    return version


@transaction.atomic
def grant_cover(
    *,
    client: Client,
    coach: User,
    ends_on: datetime.date,
    reason: str,
    granted_by: User,
    starts_on: datetime.date | None = None,
) -> CoverAssignment:
    """Let ``coach`` see and change ``client`` from ``starts_on`` until ``ends_on``."""
    cover = CoverAssignment(
        client=client,
        coach=coach,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        reason=reason,
        granted_by=granted_by,
    )
    cover.full_clean()
    cover.save()
    for perm in COVER_PERMISSIONS:
        assign_perm(perm, coach, client)
    return cover


@transaction.atomic
def revoke_cover(*, cover: CoverAssignment) -> None:
    """End a cover now. The object permissions go when no other current cover needs them."""
    cover.revoked_at = timezone.now()
    cover.save(update_fields=["revoked_at"])
    still_covering = CoverAssignment.objects.filter(
        client=cover.client,
        coach=cover.coach,
        revoked_at__isnull=True,
        ends_on__gte=timezone.localdate(),
    ).exists()
    if not still_covering:
        for perm in COVER_PERMISSIONS:
            remove_perm(perm, cover.coach, cover.client)
