"""Caseload core: organisations, teams, staff, clients, IPS episodes, career profiles,
contacts and cover access.

Models hold fields, constraints and simple properties only. Scoped reads live in
``ips/queries.py``, writes with side effects in ``ips/services.py``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ips.validators import mask_pic, validate_personal_identity_code

from .constraints import CheckConstraint


class Organisation(models.Model):
    """A service provider, usually a wellbeing services county (hyvinvointialue)."""

    class Kind(models.TextChoices):
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other provider")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind, default=Kind.WELLBEING_COUNTY)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. ``role`` says what kind of work they do; team membership says where."""

    class Role(models.TextChoices):
        COACH = "coach", _("Job coach")
        LEAD = "lead", _("Team lead")
        REVIEWER = "reviewer", _("Fidelity reviewer")
        EVALUATOR = "evaluator", _("Evaluator")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.COACH)
    # The language the user last chose; blank means the browser's. Applied again at every login,
    # so the choice follows the user to another device.
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES, default=""
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def works_with_clients(self) -> bool:
        """Only coaches and leads ever see client records."""
        return self.is_active and self.role in {self.Role.COACH, self.Role.LEAD}


class Membership(models.Model):
    class Role(models.TextChoices):
        COACH = "coach", _("Coach")
        LEAD = "lead", _("Lead")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("staff member")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    role = models.CharField(_("role in team"), max_length=16, choices=Role, default=Role.COACH)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


class TargetGroup(models.Model):
    """Reference data: the groups the government action programme names for IPS."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


class Client(models.Model):
    """A person served by an IPS team. Personal details are for coaches only and never exported."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Not recorded")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    personal_identity_code = models.CharField(
        _("personal identity code"),
        max_length=11,
        blank=True,
        validators=[validate_personal_identity_code],
        help_text=_("Optional. Shown in full only on the edit form."),
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender, default=Gender.UNKNOWN)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    municipality = models.CharField(_("municipality of residence"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="client_birth_year_plausible",
            ),
        ]
        # The identity code is not unique across the whole database on purpose: each
        # organisation keeps its own record of a person, and a global check would tell a
        # coach whether someone is a client elsewhere. Forms check duplicates within the
        # clients the user can see.
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name_idx"),
            models.Index(fields=["personal_identity_code"], name="client_pic_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_pic(self) -> str:
        return mask_pic(self.personal_identity_code)


class Episode(models.Model):
    """One IPS service episode of a client, from referral to discharge."""

    class ReferralSource(models.TextChoices):
        MENTAL_HEALTH = "mental_health", _("Mental health services")
        SUBSTANCE_USE = "substance_use", _("Substance-use services")
        PRIMARY_CARE = "primary_care", _("Primary health care")
        SOCIAL_SERVICES = "social_services", _("Social services")
        EMPLOYMENT_SERVICES = "employment_services", _("Employment services")
        SELF = "self", _("Self-referral")
        OTHER = "other", _("Other")

    class EmploymentStatus(models.TextChoices):
        OUT_OF_WORK = "out_of_work", _("Out of work")
        IN_WORK_AT_RISK = "in_work_at_risk", _("In work, at risk of losing it")
        EMPLOYED_SEEKING = "employed_seeking", _("Employed, seeking a better job")

    class DischargeReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Employment goals met, no more support wanted")
        NO_LONGER_WANTS_WORK = "no_longer_wants_work", _("No longer wants to work")
        MOVED = "moved", _("Moved away")
        NO_CONTACT = "no_contact", _("Could not be reached despite outreach")
        HEALTH = "health", _("Health reasons")
        TRANSFERRED = "transferred", _("Transferred to another service")
        DIED = "died", _("Died")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ACTIVE = "active", _("Active")
        DISCHARGED = "discharged", _("Discharged")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="episodes", verbose_name=_("client")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("team")
    )
    coach = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("coach")
    )
    referral_date = models.DateField(_("referral date"))
    referral_source = models.CharField(_("referral source"), max_length=32, choices=ReferralSource)
    accepted_date = models.DateField(
        _("accepted onto caseload"),
        null=True,
        blank=True,
        help_text=_("The day the client entered IPS. Leave empty while the referral is pending."),
    )
    career_profile_start = models.DateField(_("career profile started"), null=True, blank=True)
    employment_status_at_entry = models.CharField(
        _("employment status at entry"), max_length=32, choices=EmploymentStatus
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="episodes", verbose_name=_("target groups")
    )
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=32, choices=DischargeReason, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-referral_date"]
        verbose_name = _("IPS episode")
        verbose_name_plural = _("IPS episodes")
        constraints = [
            CheckConstraint(
                condition=Q(accepted_date__isnull=True) | Q(accepted_date__gte=F("referral_date")),
                name="episode_accepted_after_referral",
                violation_error_message=_("A client cannot be accepted before they were referred."),
            ),
            CheckConstraint(
                condition=Q(discharge_date__isnull=True)
                | Q(discharge_date__gte=F("referral_date")),
                name="episode_discharge_after_referral",
                violation_error_message=_(
                    "A client cannot be discharged before they were referred."
                ),
            ),
            CheckConstraint(
                condition=Q(career_profile_start__isnull=True)
                | Q(career_profile_start__gte=F("referral_date")),
                name="episode_profile_after_referral",
                violation_error_message=_("The career profile cannot start before the referral."),
            ),
            CheckConstraint(
                condition=(Q(discharge_date__isnull=True) & Q(discharge_reason=""))
                | (Q(discharge_date__isnull=False) & ~Q(discharge_reason="")),
                name="episode_discharge_reason_with_date",
                violation_error_message=_("A discharge needs both a date and a reason."),
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(discharge_date__isnull=True),
                name="episode_one_open_per_client",
                violation_error_message=_("The client already has an open IPS episode."),
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "discharge_date"], name="episode_coach_idx"),
            models.Index(fields=["team", "discharge_date"], name="episode_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.referral_date:%d.%m.%Y})"

    @property
    def status(self) -> str:
        if self.discharge_date is not None:
            return self.Status.DISCHARGED
        if self.accepted_date is not None:
            return self.Status.ACTIVE
        return self.Status.REFERRED

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.discharge_date is None


class CareerProfileVersion(models.Model):
    """One saved state of a client's career profile (ammatillinen profiili).

    A profile is never edited in place: every save is a new version, so the history of what was
    learned from each job stays visible.
    """

    class Disclosure(models.TextChoices):
        UNDECIDED = "undecided", _("Not decided yet")
        FULL = "full", _("Disclose to employers")
        PARTIAL = "partial", _("Disclose some information")
        NONE = "none", _("Do not disclose")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="profile_versions", verbose_name=_("client")
    )
    version = models.PositiveIntegerField(_("version"))
    job_preferences = models.TextField(_("job preferences"), blank=True)
    work_history = models.TextField(_("work history"), blank=True)
    education = models.TextField(_("education"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    supports_wanted = models.TextField(_("supports wanted"), blank=True)
    disclosure_preference = models.CharField(
        _("disclosure preference"), max_length=16, choices=Disclosure, default=Disclosure.UNDECIDED
    )
    change_reason = models.CharField(_("reason for the update"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )

    PROFILE_FIELDS = (
        "job_preferences",
        "work_history",
        "education",
        "skills",
        "strengths",
        "supports_wanted",
        "disclosure_preference",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("career profile version")
        verbose_name_plural = _("career profile versions")
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="profile_unique_version"),
            CheckConstraint(condition=Q(version__gte=1), name="profile_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.client} v{self.version}"


class Contact(models.Model):
    """A contact between the coach and the client. The note is free text and never exported."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face to face")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        MESSAGE = "message", _("Message")

    class Setting(models.TextChoices):
        COMMUNITY = "community", _("Community")
        OFFICE = "office", _("Office")
        REMOTE = "remote", _("Remote")

    class Purpose(models.TextChoices):
        ENGAGEMENT = "engagement", _("Engagement")
        CAREER_PROFILE = "career_profile", _("Career profile")
        JOB_SEARCH = "job_search", _("Job search")
        BENEFITS = "benefits", _("Benefits counselling")
        DISCLOSURE = "disclosure", _("Disclosure planning")
        FOLLOW_ALONG = "follow_along", _("Follow-along support")
        TEAM_MEETING = "team_meeting", _("Team meeting")

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("episode")
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode, default=Mode.FACE_TO_FACE)
    setting = models.CharField(
        _("setting"), max_length=16, choices=Setting, default=Setting.COMMUNITY
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose)
    note = models.TextField(_("note"), blank=True)
    job = models.ForeignKey(
        "ips.JobStart",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_contacts",
        verbose_name=_("job supported"),
        help_text=_("For follow-along support: the job this contact supports."),
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60),
                name="contact_minutes_in_range",
                violation_error_message=_("Minutes must be between 1 and 1440."),
            ),
        ]
        indexes = [
            models.Index(fields=["episode", "date"], name="contact_episode_date_idx"),
            # Follow-along checks look contacts up by job. Most contacts support no job, so
            # the plain foreign-key index is mostly NULLs and, with statistics, SQLite scans
            # all 400,000 contacts instead; this one holds only contacts with a job and
            # answers (job, mode, date) from the index alone.
            models.Index(
                fields=["job", "mode", "date"],
                name="contact_job_mode_date_idx",
                condition=Q(job__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_purpose_display()}"


class CoverAssignment(models.Model):
    """Temporary access for a coach covering a colleague's client, until ``ends_on``.

    The access itself is a guardian object permission on the client; this row records who
    granted it, why and for how long. Both must hold for access (see ``ips.queries``).
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="covers", verbose_name=_("client")
    )
    coach = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="covers", verbose_name=_("covering coach")
    )
    starts_on = models.DateField(_("starts"), default=datetime.date.today)
    ends_on = models.DateField(_("ends"))
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-ends_on"]
        verbose_name = _("cover assignment")
        verbose_name_plural = _("cover assignments")
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cover_ends_after_start",
                violation_error_message=_("Cover cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} → {self.client} ({self.starts_on}–{self.ends_on})"


class ClientUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions (faster than guardian's generic table)."""

    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)
