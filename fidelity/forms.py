from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ips.forms import DateInput, PlausibleDatesMixin
from ips.models import User

from . import queries
from .models import ActionItem, Rating, Review
from .scale import Scale, scale_choices
from .services import RatingInput

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class ReviewCreateForm(PlausibleDatesMixin, forms.ModelForm):
    reviewer_1 = forms.ModelChoiceField(queryset=User.objects.none(), label=_("First reviewer"))
    reviewer_2 = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Second reviewer"))

    class Meta:
        model = Review
        fields = ["team", "scale_id", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = queries.teams_for_reviews(user)
        self.fields["scale_id"] = forms.ChoiceField(
            choices=scale_choices(), label=_("Scale version")
        )
        reviewers = User.objects.filter(role=User.Role.REVIEWER, is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["reviewer_1"].queryset = reviewers
        self.fields["reviewer_2"].queryset = reviewers

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("reviewer_1"), cleaned.get("reviewer_2")
        if first and second and first == second:
            self.add_error("reviewer_2", _("Choose two different reviewers."))
        return cleaned


class RatingsForm(forms.Form):
    """Scores, rationales and (for checklist items) elements for every item of a scale."""

    def __init__(self, *args, scale: Scale, ratings: dict[int, Rating] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        ratings = ratings or {}
        for item in scale.items:
            rating = ratings.get(item.number)
            self.fields[f"score_{item.number}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=str(rating.score) if rating and rating.score else None,
            )
            self.fields[f"rationale_{item.number}"] = forms.CharField(
                label=_("Rationale"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=rating.rationale if rating else "",
            )
            if item.kind == "checklist":
                self.fields[f"elements_{item.number}"] = forms.MultipleChoiceField(
                    label=_("Elements present"),
                    choices=[(e.code, e.text) for e in item.elements],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    initial=rating.elements if rating else [],
                    help_text=_("The score follows from how many elements are present."),
                )

    def rows(self):
        """(item, score field, rationale field, elements field or None) per item."""
        return [
            (
                item,
                self[f"score_{item.number}"],
                self[f"rationale_{item.number}"],
                self[f"elements_{item.number}"] if item.kind == "checklist" else None,
            )
            for item in self.scale.items
        ]

    def ratings(self) -> dict[int, RatingInput]:
        data = self.cleaned_data
        return {
            item.number: RatingInput(
                score=data.get(f"score_{item.number}") or None,
                rationale=data.get(f"rationale_{item.number}", ""),
                elements=tuple(data.get(f"elements_{item.number}", ())),
            )
            for item in self.scale.items
        }


class ConsensusForm(RatingsForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Review
        fields = ["strengths", "recommendations"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["item", "action", "owner", "due_date", "status"]
        widgets = {"due_date": DateInput(), "item": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args, scale: Scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.TypedChoiceField(
            label=_("Scale item"),
            choices=[("", "—")] + [(str(i.number), f"{i.number}. {i.name}") for i in scale.items],
            coerce=int,
            empty_value=None,
            required=False,
        )
