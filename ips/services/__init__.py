"""Writes with side effects. Keyword-only arguments, validation before save, one transaction.

Access logging of writes happens in the views (``ips.audit``), which know the request.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from ips.models import (
    CareerProfileVersion,
    Client,
    Contact,
    CoverAssignment,
    EducationStart,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerContactReview,
    Episode,
    JobStart,
    Team,
    User,
)
from ips.validators import (
    normalise_business_id,
    normalise_pic,
    pic_birth_date,
)

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
    job = fields.get("job")
    if job is not None and job.episode.client_id != episode.client_id:
        raise ValidationError(_("The job belongs to another client."), code="job")
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


# --- Job development and jobs ------------------------------------------------------------


class DischargedEpisodeError(ValidationError):
    pass


def _open_episode(client: Client) -> Episode:
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    if episode is None:
        raise DischargedEpisodeError(
            _(
                "The client has no open IPS episode: jobs and education can only be recorded "
                "while the client is on the caseload. Reopen or add an episode first."
            ),
            code="discharged",
        )
    return episode


@transaction.atomic
def create_employer(*, employer: Employer) -> Employer:
    if employer.business_id:
        employer.business_id = normalise_business_id(employer.business_id)
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def merge_employers(*, keep: Employer, duplicate: Employer) -> Employer:
    """Move the duplicate's contacts, jobs and contact people to ``keep``, then delete it.

    All or nothing: a failure leaves both employers as they were.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An employer cannot be merged with itself."), code="same")
    if keep.organisation_id != duplicate.organisation_id:
        raise ValidationError(
            _("Only employers of the same organisation can be merged."), code="organisation"
        )
    EmployerContact.objects.filter(employer=duplicate).update(employer=keep)
    JobStart.objects.filter(employer=duplicate).update(employer=keep)
    EmployerContactPerson.objects.filter(employer=duplicate).update(employer=keep)
    business_id = duplicate.business_id
    duplicate.delete()
    if business_id and not keep.business_id:
        keep.business_id = business_id
        keep.save(update_fields=["business_id"])
    return keep


@transaction.atomic
def log_employer_contact(
    *,
    coach: User,
    team: Team,
    employer: Employer,
    clients=(),
    **fields,
) -> EmployerContact:
    contact = EmployerContact(coach=coach, team=team, employer=employer, **fields)
    contact.full_clean()
    contact.save()
    contact.clients.set(clients)
    return contact


@transaction.atomic
def record_job_start(*, client: Client, recorded_by: User, job: JobStart) -> JobStart:
    """Record a job (or a work trial) in the client's open episode; refused once discharged."""
    job.episode = _open_episode(client)
    job.created_by = recorded_by
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def update_job(*, job: JobStart) -> bool:
    """Save changes to a job. Returns True when this save ended the job, so the caller can
    ask for a career-profile update (IPS learns from every job)."""
    previous_end = JobStart.objects.filter(pk=job.pk).values_list("end_date", flat=True).get()
    job.full_clean()
    job.save()
    return previous_end is None and job.end_date is not None


@transaction.atomic
def record_education(*, client: Client, recorded_by: User, education: EducationStart):
    education.episode = _open_episode(client)
    education.created_by = recorded_by
    education.full_clean()
    education.save()
    return education


@transaction.atomic
def mark_contact_log_reviewed(
    *, team: Team, week_start: datetime.date, reviewed_by: User, note: str = ""
) -> EmployerContactReview:
    review, _created = EmployerContactReview.objects.update_or_create(
        team=team,
        week_start=week_start,
        defaults={"reviewed_by": reviewed_by, "reviewed_at": timezone.now(), "note": note},
    )
    return review
