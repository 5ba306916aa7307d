from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import Episode, TargetGroup


class CaseloadFilter(django_filters.FilterSet):
    """Filters of the caseload list. ``status`` defaults to the open caseload."""

    STATUS_CHOICES = [
        ("open", _("Open (referred or active)")),
        *Episode.Status.choices,
        ("all", _("All")),
    ]

    q = django_filters.CharFilter(method="search", label=_("Search by name"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=None
    )
    coach = django_filters.ModelChoiceFilter(queryset=None, label=_("Coach"))
    target_group = django_filters.ModelChoiceFilter(
        field_name="target_groups", queryset=TargetGroup.objects.all(), label=_("Target group")
    )

    class Meta:
        model = Episode
        fields = ["q", "status", "coach", "target_group"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "open"
        super().__init__(data, *args, request=request, **kwargs)
        self.filters["coach"].queryset = queries.coaches_for_user(request.user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(client__first_name__icontains=word) | Q(client__last_name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        match value:
            case "open":
                return queryset.filter(discharge_date__isnull=True)
            case Episode.Status.REFERRED:
                return queryset.filter(discharge_date__isnull=True, accepted_date__isnull=True)
            case Episode.Status.ACTIVE:
                return queryset.filter(discharge_date__isnull=True, accepted_date__isnull=False)
            case Episode.Status.DISCHARGED:
                return queryset.filter(discharge_date__isnull=False)
        return queryset
