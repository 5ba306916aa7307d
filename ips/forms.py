from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import importing, queries, weekly
from .models import (
    CareerProfileVersion,
    Client,
    Contact,
    CoverAssignment,
    EducationStart,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    Episode,
    ImportBatch,
    JobStart,
    OccupationGroup,
    Team,
    User,
)
from .validators import EARLIEST_DATE, latest_date, normalise_business_id, validate_business_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond a 64-bit integer before they reach the database (SQLite raises
    OverflowError on them, which would be a 500 instead of a form error)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            digits = str(pk).strip().removeprefix("-")
            # ASCII digits only ("²".isdigit() is true), and the length checked before int():
            # Python refuses to convert numbers of more than 4,300 digits.
            if re.fullmatch(r"[0-9]+", digits) and (len(digits) > 19 or int(digits) >= 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PlausibleDatesMixin:
    """Every date field of the form must lie between 1990 and two years ahead
    (``validators.EARLIEST_DATE``, ``validators.latest_date``)."""

    def clean(self):
        cleaned = super().clean()
        latest = latest_date(timezone.localdate())
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if (
                isinstance(field, forms.DateField)
                and value
                and not (EARLIEST_DATE <= value <= latest)
            ):
                self.add_error(
                    name,
                    _("Enter a date between %(first)s and %(last)s.")
                    % {
                        "first": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                        "last": date_format(latest, "SHORT_DATE_FORMAT"),
                    },
                )
        return cleaned


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")
    return value


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "personal_identity_code",
            "birth_year",
            "gender",
            "phone",
            "email",
            "municipality",
        ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_personal_identity_code(self):
        code = self.cleaned_data["personal_identity_code"].strip().upper()
        duplicates = (
            queries.clients_for_user(self.user)
            .filter(personal_identity_code=code)
            .exclude(pk=self.instance.pk)
        )
        if code and duplicates.exists():
            raise forms.ValidationError(
                _("A client with this personal identity code is already on your caseload."),
                code="duplicate",
            )
        return code


class EpisodeForm(PlausibleDatesMixin, forms.ModelForm):
    """The episode part of the client form. Team and coach choices are scoped to the user."""

    class Meta:
        model = Episode
        fields = [
            "team",
            "coach",
            "referral_date",
            "referral_source",
            "accepted_date",
            "career_profile_start",
            "employment_status_at_entry",
            "target_groups",
            "discharge_date",
            "discharge_reason",
        ]
        field_classes = {"target_groups": CheckedModelMultipleChoiceField}
        widgets = {
            "referral_date": DateInput(),
            "accepted_date": DateInput(),
            "career_profile_start": DateInput(),
            "discharge_date": DateInput(),
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = queries.teams_for_user(user)
        self.fields["team"].queryset = teams
        self.fields["coach"].queryset = queries.coaches_for_user(
            user, also=self.instance.coach_id if self.instance.pk else None
        )
        if (
            self.instance.pk
            and not queries.led_teams(user).filter(pk=self.instance.team_id).exists()
        ):
            # Only a lead of the episode's team moves a client to another coach or team; a
            # coach (or a colleague covering) edits everything else.
            self.fields["team"].disabled = True
            self.fields["coach"].disabled = True
        if not self.instance.pk:
            self.fields["team"].initial = teams.values_list("pk", flat=True).first()
            self.fields["coach"].initial = user.pk
            self.fields["referral_date"].initial = timezone.localdate()
            del self.fields["discharge_date"]
            del self.fields["discharge_reason"]

    def clean_referral_date(self):
        return _not_in_future(self.cleaned_data["referral_date"])

    def clean_accepted_date(self):
        return _not_in_future(self.cleaned_data["accepted_date"])

    def clean_discharge_date(self):
        return _not_in_future(self.cleaned_data["discharge_date"])

    def clean(self):
        cleaned = super().clean()
        team, coach = cleaned.get("team"), cleaned.get("coach")
        if team and coach and not queries.coaches_in_team(team).filter(pk=coach.pk).exists():
            self.add_error("coach", _("The coach is not a member of the chosen team."))
        # Name the field the constraint is about, so the message sits next to it.
        referral = cleaned.get("referral_date")
        for name in ("accepted_date", "career_profile_start", "discharge_date"):
            value = cleaned.get(name)
            if referral and value and value < referral and name not in self.errors:
                messages = {
                    "accepted_date": _("A client cannot be accepted before they were referred."),
                    "career_profile_start": _(
                        "The career profile cannot start before the referral."
                    ),
                    "discharge_date": _("A client cannot be discharged before they were referred."),
                }
                self.add_error(name, messages[name])
        if "discharge_date" in self.fields and "discharge_date" not in self.errors:
            has_date = bool(cleaned.get("discharge_date"))
            has_reason = bool(cleaned.get("discharge_reason"))
            if has_date and not has_reason:
                self.add_error("discharge_reason", _("Give the reason for the discharge."))
            if has_reason and not has_date:
                self.add_error("discharge_date", _("Give the date of the discharge."))
        return cleaned

    def validate_unique(self):
        # The client is attached in the service; constraints are checked there by full_clean.
        exclude = self._get_validation_exclusions()
        exclude.add("client")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        exclude.add("client")
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class ContactForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "minutes", "mode", "setting", "purpose", "job", "note"]
        widgets = {
            "date": DateInput(),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 1440, "inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, client: Client | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["minutes"].initial = 30
        jobs = queries.jobs_for_client(client) if client else JobStart.objects.none()
        self.fields["job"].queryset = jobs
        if client is None or not jobs.exists():
            del self.fields["job"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("job") and cleaned.get("purpose") != Contact.Purpose.FOLLOW_ALONG:
            self.add_error("job", _("Link a job only to follow-along support."))
        return cleaned

    def clean_date(self):
        return _not_in_future(self.cleaned_data["date"])


class CareerProfileForm(forms.ModelForm):
    class Meta:
        model = CareerProfileVersion
        fields = [*CareerProfileVersion.PROFILE_FIELDS, "change_reason"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in CareerProfileVersion.PROFILE_FIELDS
            if name != "disclosure_preference"
        }


class CoverForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = CoverAssignment
        fields = ["coach", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user: User, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = (
            User.objects.filter(
                memberships__team__in=queries.led_teams(user),
                role__in=[User.Role.COACH, User.Role.LEAD],
                is_active=True,
            )
            .exclude(episodes__client=client, episodes__discharge_date__isnull=True)
            .distinct()
            .order_by("first_name", "last_name")
        )

    def clean(self):
        cleaned = super().clean()
        ends_on = cleaned.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", _("Cover must end today or later."))
        return cleaned


# --- Job development and jobs ------------------------------------------------------------


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "business_id", "industry", "municipality"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations

    def clean_business_id(self):
        value = normalise_business_id(self.cleaned_data["business_id"])
        same = Employer.objects.filter(
            business_id=value, organisation_id__in=list(self.organisations or [])
        ).exclude(pk=self.instance.pk)
        if value and same.exists():
            raise forms.ValidationError(
                _("An employer with this business ID exists."), code="duplicate"
            )
        return value


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = EmployerContactPerson
        fields = ["name", "title", "phone", "email"]


class EmployerMergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        queryset=Employer.objects.none(),
        label=_("Duplicate to merge into this employer"),
        help_text=_("Its contacts, jobs and contact people move here, and it is removed."),
    )

    def __init__(self, *args, keep: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Employer.objects.filter(
            organisation=keep.organisation
        ).exclude(pk=keep.pk)


class EmployerContactForm(PlausibleDatesMixin, forms.ModelForm):
    """Logging an employer contact from a phone: today's date, face to face, and either an
    existing employer (searchable) or a new one typed in."""

    new_employer_name = forms.CharField(
        label=_("Or a new employer"), max_length=200, required=False
    )
    new_employer_business_id = forms.CharField(
        label=_("Business ID of the new employer"),
        max_length=9,
        required=False,
        validators=[validate_business_id],
    )

    class Meta:
        model = EmployerContact
        fields = [
            "date",
            "employer",
            "face_to_face",
            "kind",
            "clients",
            "purpose",
            "matched_preferences",
            "outcome",
        ]
        field_classes = {"clients": CheckedModelMultipleChoiceField}
        widgets = {
            "date": DateInput(),
            "clients": forms.CheckboxSelectMultiple,
            "matched_preferences": forms.NullBooleanSelect,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["date"].initial = timezone.localdate()
        self.fields["employer"].queryset = queries.employers_for_user(user).order_by("name")
        self.fields["employer"].required = False
        self.fields["clients"].queryset = queries.open_caseload(user)
        self.fields["purpose"].initial = EmployerContact.Purpose.LEARN_NEEDS

    def clean_date(self):
        return _not_in_future(self.cleaned_data["date"])

    def clean_new_employer_business_id(self):
        value = normalise_business_id(self.cleaned_data["new_employer_business_id"])
        if value and queries.employers_for_user(self.user).filter(business_id=value).exists():
            raise forms.ValidationError(
                _("An employer with this business ID exists: pick it from the list."),
                code="duplicate",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("employer") and not cleaned.get("new_employer_name"):
            self.add_error("employer", _("Choose an employer or type the name of a new one."))
        if cleaned.get("employer") and cleaned.get("new_employer_name"):
            self.add_error("new_employer_name", _("Choose an employer or add a new one, not both."))
        kind = cleaned.get("kind")
        clients = cleaned.get("clients")
        if kind == EmployerContact.Kind.CLIENT_SPECIFIC and not clients:
            self.add_error("clients", _("A client-specific contact needs at least one client."))
        if kind == EmployerContact.Kind.GENERAL and clients:
            self.add_error("clients", _("General job development is not about particular clients."))
        return cleaned


class JobStartForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = JobStart
        fields = [
            "activity",
            "employer",
            "job_title",
            "occupation",
            "start_date",
            "first_paid_day",
            "hours_per_week",
            "hourly_wage",
            "open_labour_market",
            "customary_wage",
            "set_aside",
            "permanence",
            "wage_subsidy",
            "found_by",
            "matches_profile",
            "disclosed",
            "end_date",
            "end_reason",
        ]
        widgets = {
            "start_date": DateInput(),
            "first_paid_day": DateInput(),
            "end_date": DateInput(),
            "matches_profile": forms.NullBooleanSelect,
            "disclosed": forms.NullBooleanSelect,
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "80"}),
            "hourly_wage": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = queries.employers_for_user(user).order_by("name")
        self.fields["occupation"].queryset = OccupationGroup.objects.filter(
            parent__isnull=False
        ).order_by("code")
        if not self.instance.pk:
            del self.fields["end_date"]
            del self.fields["end_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("activity") == JobStart.Activity.JOB and not cleaned.get("hourly_wage"):
            self.add_error("hourly_wage", _("Give the hourly wage of a paid job."))
        if "end_date" in self.fields and "end_date" not in self.errors:
            has_end, has_reason = bool(cleaned.get("end_date")), bool(cleaned.get("end_reason"))
            if has_end and not has_reason:
                self.add_error("end_reason", _("Give the reason the job ended."))
            if has_reason and not has_end:
                self.add_error("end_date", _("Give the date the job ended."))
        return cleaned


class EducationForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = EducationStart
        fields = ["programme", "institution", "start_date", "end_date", "outcome"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class ContactLogReviewForm(PlausibleDatesMixin, forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), widget=forms.HiddenInput)
    week = forms.DateField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = queries.led_teams(user)

    def clean_week(self):
        return weekly.week_start(self.cleaned_data["week"])


# --- Spreadsheet import ------------------------------------------------------------------

IMPORT_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")


class ImportUploadForm(forms.Form):
    """Step 1: what to import, into which of the lead's teams, and the file."""

    kind = forms.ChoiceField(label=_("What to import"), choices=ImportBatch.Kind.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX or CSV (UTF-8 or Windows), at most %(mb)d MB and %(rows)d rows.")
        % {"mb": importing.MAX_FILE_BYTES // (1024 * 1024), "rows": importing.MAX_ROWS},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = queries.led_teams(user)
        self.fields["team"].queryset = teams
        self.fields["team"].initial = teams.values_list("pk", flat=True).first()
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(
                _("Choose an XLSX or CSV file (.xlsx, .csv)."), code="extension"
            )
        if upload.size > importing.MAX_FILE_BYTES:
            raise forms.ValidationError(importing.too_big_message(), code="size")
        self.content = upload.read(importing.MAX_FILE_BYTES + 1)
        if len(self.content) > importing.MAX_FILE_BYTES:
            raise forms.ValidationError(importing.too_big_message(), code="size")
        return upload


class ImportMappingForm(forms.Form):
    """Step 2: which column of the file holds each field. One select per field."""

    def __init__(self, *args, columns, headers, mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("— not in the file —"))] + [
            (str(index), header or _("Column %(n)d (no name)") % {"n": index + 1})
            for index, header in enumerate(headers)
        ]
        for column in columns:
            self.fields[f"col_{column.field}"] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=False,
                initial=str(mapping[column.field]) if column.field in mapping else "",
                help_text=_("Required") if column.required else "",
            )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for column in self.columns:
            name = f"col_{column.field}"
            if name in self.errors:
                continue
            value = cleaned.get(name, "")
            if not value and column.required:
                self.add_error(name, _("Choose the column that holds this field."))
            elif value and value in used:
                self.add_error(
                    name,
                    _("The same column is already chosen for %(other)s.") % {"other": used[value]},
                )
            elif value:
                used[value] = str(column.label)
        return cleaned

    @property
    def mapping(self) -> dict[str, int]:
        return {
            column.field: int(self.cleaned_data[f"col_{column.field}"])
            for column in self.columns
            if self.cleaned_data.get(f"col_{column.field}")
        }
