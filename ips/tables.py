from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Employer, EmployerContact, Episode

MAX_PER_PAGE = 100


class Table(tables.Table):
    """Our tables: a page holds 1 to MAX_PER_PAGE rows whatever ``?per_page=`` asks for (a
    negative or huge value would otherwise reach the paginator)."""

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = min(max(per_page or self._meta.per_page or 25, 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class CaseloadTable(Table):
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
    referral_date = tables.DateColumn(verbose_name=_("Referred"), format="SHORT_DATE_FORMAT")
    accepted_date = tables.DateColumn(verbose_name=_("Accepted"), format="SHORT_DATE_FORMAT")
    target_groups = tables.ManyToManyColumn(
        verbose_name=_("Target groups"), orderable=False, transform=lambda group: group.name
    )
    last_contact = tables.DateColumn(verbose_name=_("Last contact"), format="SHORT_DATE_FORMAT")
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


class EmployerTable(Table):
    name = tables.Column(
        verbose_name=_("Employer"),
        linkify=lambda record: reverse("employer-detail", args=[record.pk]),
    )
    business_id = tables.Column(verbose_name=_("Business ID"))
    industry = tables.Column(
        verbose_name=_("Industry"), accessor="get_industry_display", order_by="industry"
    )
    municipality = tables.Column(verbose_name=_("Municipality"))
    contact_count = tables.Column(verbose_name=_("Contacts"))
    last_contact = tables.DateColumn(verbose_name=_("Last contact"), format="SHORT_DATE_FORMAT")

    class Meta:
        model = Employer
        fields = ()
        sequence = (
            "name",
            "business_id",
            "industry",
            "municipality",
            "contact_count",
            "last_contact",
        )
        order_by = ("name",)
        empty_text = _("No employers match.")
        attrs = {"class": "table"}


class EmployerContactTable(Table):
    date = tables.DateColumn(verbose_name=_("Date"), format="SHORT_DATE_FORMAT")
    coach = tables.Column(verbose_name=_("Coach"), order_by=("coach__first_name",))
    employer = tables.Column(
        verbose_name=_("Employer"),
        linkify=lambda record: reverse("employer-detail", args=[record.employer_id]),
        order_by="employer__name",
    )
    face_to_face = tables.BooleanColumn(verbose_name=_("Face to face"), yesno=(_("yes"), _("no")))
    kind = tables.Column(verbose_name=_("Kind"), accessor="get_kind_display", order_by="kind")
    clients = tables.ManyToManyColumn(
        verbose_name=_("Clients"),
        orderable=False,
        transform=lambda client: client.full_name,
        linkify_item=lambda record: reverse("client-detail", args=[record.pk]),
    )
    purpose = tables.Column(
        verbose_name=_("Purpose"), accessor="get_purpose_display", order_by="purpose"
    )
    matched_preferences = tables.BooleanColumn(
        verbose_name=_("Matched preferences"), null=True, yesno=(_("yes"), _("no"))
    )
    outcome = tables.Column(verbose_name=_("Outcome or next step"), orderable=False)

    class Meta:
        model = EmployerContact
        fields = ()
        sequence = (
            "date",
            "coach",
            "employer",
            "face_to_face",
            "kind",
            "clients",
            "purpose",
            "matched_preferences",
            "outcome",
        )
        order_by = ("-date",)
        empty_text = _("No employer contacts in this period.")
        attrs = {"class": "table"}
