from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import CareerProfileVersion, Client, Contact, CoverAssignment, Episode, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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

    def clean_personal_identity_code(self):
        code = self.cleaned_data["personal_identity_code"].strip().upper()
        duplicates = Client.objects.filter(personal_identity_code=code).exclude(pk=self.instance.pk)
        if code and duplicates.exists():
            raise forms.ValidationError(
                _("A client with this personal identity code exists."), code="duplicate"
            )
        return code


class EpisodeForm(forms.ModelForm):
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


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "minutes", "mode", "setting", "purpose", "note"]
        widgets = {
            "date": DateInput(),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 1440, "inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["minutes"].initial = 30

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


class CoverForm(forms.ModelForm):
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
