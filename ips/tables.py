from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Episode


class CaseloadTable(tables.Table):
    """One row per IPS episode, fed by ``queries.caseload_rows``."""

    name = tables.Column(
        verbose_name=_("Client"),
        accessor="client__full_name",
        order_by=("client__last_name", "client__first_name"),
        linkify=lambda record: reverse("client-detail", args=[record.client_id]),
    )
    status = tables.Column(
        verbose_name=_("Status"),
        accessor="get_status_display",
        order_by=("discharge_date", "accepted_date"),
    )
    coach = tables.Column(
        verbose_name=_("Coach"), order_by=("coach__first_name", "coach__last_name")
    )
    team = tables.Column(verbose_name=_("Team"), order_by="team__name")
    referral_date = tables.DateColumn(verbose_name=_("Referred"), format="j.n.Y")
    accepted_date = tables.DateColumn(verbose_name=_("Accepted"), format="j.n.Y")
    target_groups = tables.ManyToManyColumn(
        verbose_name=_("Target groups"), orderable=False, transform=lambda group: group.name
    )
    last_contact = tables.DateColumn(verbose_name=_("Last contact"), format="j.n.Y")
    actions = tables.TemplateColumn(
        template_name="ips/tables/caseload_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
    )

    class Meta:
        model = Episode
        fields = ()
        sequence = (
            "name",
            "status",
            "coach",
            "team",
            "referral_date",
            "accepted_date",
            "target_groups",
            "last_contact",
            "actions",
        )
        order_by = ("name",)
        empty_text = _("No clients match these filters.")
        attrs = {"class": "table"}
