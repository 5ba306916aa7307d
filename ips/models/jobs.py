"""Job development and jobs: employers, employer contacts, job starts, education starts and the
lead's weekly review of the employer-contact log. These records feed fidelity items 15–24 and
every outcome measure, so their fields follow the IPS definitions exactly (docs in the fields).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ips.validators import validate_business_id

from .caseload import Client, Episode, Organisation, Team, User
from .constraints import CheckConstraint


class Industry(models.TextChoices):
    """Statistics Finland's Standard Industrial Classification TOL 2008, top level."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply; sewerage, waste management and remediation")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741 (TOL letter)
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence; compulsory social security")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations and bodies")
    X = "X", _("Industry unknown")


class Employer(models.Model):
    """An employer in an organisation's shared directory."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Y-tunnus, e.g. 1234567-8. Optional."),
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry, default=Industry.X)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "business_id"],
                condition=~Q(business_id=""),
                name="employer_unique_business_id",
                violation_error_message=_("An employer with this business ID exists."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="employer_org_name_idx")]

    def __str__(self) -> str:
        return self.name


class EmployerContactPerson(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="people", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return self.name


class EmployerContact(models.Model):
    """One contact by a coach with an employer (fidelity items 15–18).

    Only face-to-face contacts count towards the target of 6 per coach per week.
    """

    class Kind(models.TextChoices):
        CLIENT_SPECIFIC = "client", _("Client-specific")
        GENERAL = "general", _("General job development")

    class Purpose(models.TextChoices):
        LEARN_NEEDS = "learn_needs", _("Learn the employer's needs")
        PRESENT_CANDIDATE = "present_candidate", _("Present a candidate")
        FOLLOW_UP = "follow_up", _("Follow up")
        SUPPORT_AT_WORK = "support_at_work", _("Support at work")

    date = models.DateField(_("date"))
    coach = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="employer_contacts", verbose_name=_("coach")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="employer_contacts", verbose_name=_("team")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("employer")
    )
    face_to_face = models.BooleanField(_("face to face"), default=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.GENERAL)
    clients = models.ManyToManyField(
        Client, blank=True, related_name="employer_contacts", verbose_name=_("clients concerned")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose)
    matched_preferences = models.BooleanField(
        _("matched the client's preferences"),
        null=True,
        blank=True,
        help_text=_(
            "For client-specific contacts: was this job search driven by the client's "
            "stated preferences?"
        ),
    )
    outcome = models.CharField(_("outcome or next step"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        indexes = [
            models.Index(fields=["coach", "date"], name="empcontact_coach_date_idx"),
            models.Index(fields=["team", "date"], name="empcontact_team_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.employer}"


class OccupationGroup(models.Model):
    """ISCO-08 major (1 digit) and sub-major (2 digit) groups, shipped as data (migration)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation group (ISCO-08)")
        verbose_name_plural = _("occupation groups (ISCO-08)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_fi if (get_language() or "fi").startswith("fi") else self.name_en


class JobStart(models.Model):
    """A job, or a non-competitive activity such as a work trial, within an IPS episode.

    Work trials (työkokeilu) and rehabilitative work activity (kuntouttava työtoiminta) are
    recorded here for the record but are never jobs in any measure: ``is_job`` is false for
    them, and ``is_competitive`` requires a job on the open labour market, paid at least the
    customary wage, and not set aside for disabled people.
    """

    class Activity(models.TextChoices):
        JOB = "job", _("Paid job")
        WORK_TRIAL = "work_trial", _("Work trial (työkokeilu)")
        REHABILITATIVE = "rehabilitative", _("Rehabilitative work activity")

    class Permanence(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        TEMPORARY = "temporary", _("Temporary")
        SEASONAL = "seasonal", _("Seasonal")

    class FoundBy(models.TextChoices):
        COACH = "coach", _("Coach's job development")
        CLIENT = "client", _("The client themselves")
        OTHER = "other", _("Other")

    class EndReason(models.TextChoices):
        QUIT = "quit", _("The client resigned")
        DISMISSED = "dismissed", _("Dismissed")
        LAID_OFF = "laid_off", _("Laid off or made redundant")
        CONTRACT_ENDED = "contract_ended", _("Temporary contract ended")
        BETTER_JOB = "better_job", _("Moved to a better job")
        HEALTH = "health", _("Health reasons")
        OTHER = "other", _("Other")

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("episode")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("employer")
    )
    activity = models.CharField(_("type"), max_length=16, choices=Activity, default=Activity.JOB)
    job_title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        OccupationGroup,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("occupation (ISCO-08)"),
        limit_choices_to={"parent__isnull": False},
    )
    start_date = models.DateField(_("start date"))
    first_paid_day = models.DateField(_("first paid day"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(80)],
    )
    hourly_wage = models.DecimalField(
        _("hourly wage (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    open_labour_market = models.BooleanField(
        _("open labour market"), default=True, help_text=_("Anyone could apply for the job.")
    )
    customary_wage = models.BooleanField(
        _("at least the customary wage"),
        default=True,
        help_text=_("Pay is at least the collective-agreement or customary wage for the work."),
    )
    set_aside = models.BooleanField(
        _("set aside for disabled people"),
        default=False,
        help_text=_("The job is reserved for people with disabilities."),
    )
    permanence = models.CharField(
        _("permanence"), max_length=16, choices=Permanence, default=Permanence.PERMANENT
    )
    wage_subsidy = models.BooleanField(_("wage subsidy (palkkatuki)"), default=False)
    found_by = models.CharField(_("how it was found"), max_length=16, choices=FoundBy)
    matches_profile = models.BooleanField(_("matches the career profile"), null=True, blank=True)
    disclosed = models.BooleanField(
        _("employer told about the client's situation"), null=True, blank=True
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason it ended"), max_length=16, choices=EndReason, blank=True
    )
    is_job = models.GeneratedField(
        expression=Q(activity="job"),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("counts as a job"),
    )
    is_competitive = models.GeneratedField(
        expression=Q(activity="job", open_labour_market=True, customary_wage=True, set_aside=False),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("competitive job"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("job start")
        verbose_name_plural = _("job starts")
        constraints = [
            CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="job_end_after_start",
                violation_error_message=_("A job cannot end before it starts."),
            ),
            CheckConstraint(
                condition=Q(first_paid_day__isnull=True) | Q(first_paid_day__gte=F("start_date")),
                name="job_first_paid_day_after_start",
                violation_error_message=_("The first paid day cannot be before the start."),
            ),
            CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=80),
                name="job_hours_in_range",
                violation_error_message=_("Hours per week must be more than 0 and at most 80."),
            ),
            CheckConstraint(
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gte=0),
                name="job_wage_not_negative",
                violation_error_message=_("The hourly wage cannot be negative."),
            ),
            CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="job_end_reason_with_date",
                violation_error_message=_("An ended job needs both an end date and a reason."),
            ),
        ]
        indexes = [models.Index(fields=["episode", "start_date"], name="job_episode_start_idx")]

    def __str__(self) -> str:
        return f"{self.job_title} – {self.employer}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class EducationStart(models.Model):
    """Mainstream education or training started during IPS (a career step, not a job)."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        INTERRUPTED = "interrupted", _("Interrupted")
        OTHER = "other", _("Other")

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="education", verbose_name=_("episode")
    )
    programme = models.CharField(_("programme"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome, default=Outcome.ONGOING
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("education start")
        verbose_name_plural = _("education starts")
        constraints = [
            CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="education_end_after_start",
                violation_error_message=_("Education cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.institution}"


class EmployerContactReview(models.Model):
    """A lead's weekly review of the team's employer-contact log (fidelity item 17)."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="contact_reviews", verbose_name=_("team")
    )
    week_start = models.DateField(_("week starting"), help_text=_("The Monday of the ISO week."))
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("employer-contact log review")
        verbose_name_plural = _("employer-contact log reviews")
        constraints = [
            models.UniqueConstraint(fields=["team", "week_start"], name="review_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.week_start:%G-W%V}"
