from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ips.forms import DateInput, PlausibleDatesMixin
from ips.models import User

from . import queries
from .anonymise import DEFAULT_K, MIN_K
from .metrics import DEFINITIONS, Quarter
from .models import ExportRecord


def _quarter_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    quarter = Quarter(today.year - 5, 1)
    last = Quarter.of(today)
    choices = []
    while (quarter.year, quarter.number) <= (last.year, last.number):
        choices.append((str(quarter), str(quarter)))
        quarter = quarter.next()
    return list(reversed(choices))


class TeamIdsField(forms.TypedMultipleChoiceField):
    """Team ids offered as checkboxes, but any id is accepted here: the view resolves them
    through the user's scope (``queries.scoped_teams``), which answers 404 for a team outside
    it, as for any record the user may not see."""

    def valid_value(self, value) -> bool:
        return True


class DashboardForm(forms.Form):
    first = forms.ChoiceField(label=_("From quarter"), required=False)
    last = forms.ChoiceField(label=_("To quarter"), required=False)
    team = TeamIdsField(
        label=_("Teams"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    definition = forms.ChoiceField(
        label=_("Definition of the employment rate"),
        choices=[(d.code, d.label) for d in DEFINITIONS.values()],
        required=False,
    )
    by = forms.ChoiceField(
        label=_("Break down by"),
        choices=[
            ("team", _("Team")),
            ("organisation", _("Organisation")),
            ("target_group", _("Target group")),
            ("coach", _("Coach")),
        ],
        required=False,
    )

    DEFAULT_QUARTERS = 6

    def __init__(self, data=None, *args, user: User, **kwargs):
        data = data.copy() if data is not None else {}
        last = Quarter.of(timezone.localdate())
        first = last
        for _step in range(self.DEFAULT_QUARTERS - 1):
            first = Quarter(first.year - (first.number == 1), (first.number - 2) % 4 + 1)
        data.setdefault("first", str(first))
        data.setdefault("last", str(last))
        data.setdefault("definition", "iplc")
        data.setdefault("by", "team")
        super().__init__(data, *args, **kwargs)
        if user.role == User.Role.EVALUATOR:
            # Evaluators see aggregates by team, organisation and target group, not by person.
            self.fields["by"].choices = self.fields["by"].choices[:3]
        choices = _quarter_choices()
        self.fields["first"].choices = choices
        self.fields["last"].choices = choices
        self.fields["team"].choices = [
            (team.pk, str(team)) for team in queries.teams_for_outcomes(user).order_by("name")
        ]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        last = Quarter.parse(cleaned.get("last") or "") or Quarter.of(today)
        first = Quarter.parse(cleaned.get("first") or "") or last
        if (first.year, first.number) > (last.year, last.number):
            self.add_error("first", _("The first quarter must not be after the last."))
        cleaned["first_quarter"], cleaned["last_quarter"] = first, last
        cleaned["definition"] = cleaned.get("definition") or "iplc"
        return cleaned


class ExportForm(PlausibleDatesMixin, forms.Form):
    teams = TeamIdsField(label=_("Teams"), coerce=int, widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("Period start"), widget=DateInput())
    end = forms.DateField(label=_("Period end"), widget=DateInput())
    format = forms.ChoiceField(label=_("File format"), choices=ExportRecord.Format.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=ExportRecord.Mode.choices)
    k = forms.IntegerField(
        label=_("k (smallest group size)"),
        min_value=MIN_K,
        max_value=50,
        initial=DEFAULT_K,
        help_text=_(
            "Every combination of the quasi-identifiers is shared by at least k people. "
            "Never below 3."
        ),
    )
    max_suppression = forms.IntegerField(
        label=_("Largest share of people suppressed (%)"),
        min_value=0,
        max_value=30,
        initial=10,
        help_text=_("If reaching k needs more suppression than this, the export is refused."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].choices = [
            (team.pk, f"{team} ({team.organisation})")
            for team in queries.teams_for_outcomes(user).select_related("organisation")
        ]
        if not user.has_perm("outcomes.export_pseudonymised"):
            self.fields["mode"].choices = [ExportRecord.Mode.choices[0]]
        today = timezone.localdate()
        self.fields["end"].initial = today
        self.fields["start"].initial = today - datetime.timedelta(days=365)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        return cleaned
