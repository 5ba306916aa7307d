"""Outcomes: which organisations an evaluator may evaluate, and the record of every export."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ips.models import Organisation, User
from ips.models.constraints import CheckConstraint


class EvaluationGrant(models.Model):
    """An evaluator may see the aggregates of, and export anonymised data from, every team of
    the organisation. Granted by an administrator; nothing is visible without one."""

    evaluator = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="evaluation_grants",
        verbose_name=_("evaluator"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="evaluation_grants",
        verbose_name=_("organisation"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation grant")
        verbose_name_plural = _("evaluation grants")
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "organisation"], name="grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.organisation}"


class ExportRecord(models.Model):
    """One evaluation export (a disclosure event), refused and failed ones included."""

    class Mode(models.TextChoices):
        ANONYMISED = "anonymised", _("Anonymised")
        PSEUDONYMISED = "pseudonymised", _("Pseudonymised research extract")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PARQUET = "parquet", "Parquet"

    class Status(models.TextChoices):
        OK = "ok", _("Delivered")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="exports", verbose_name=_("exported by")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    mode = models.CharField(_("export mode"), max_length=16, choices=Mode, default=Mode.ANONYMISED)
    format = models.CharField(_("format"), max_length=8, choices=Format, default=Format.CSV)
    team_ids = models.JSONField(_("teams"), default=list)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    k = models.PositiveSmallIntegerField(_("k"), default=5)
    max_suppression = models.FloatField(_("largest share suppressed"), default=0.10)
    status = models.CharField(_("status"), max_length=8, choices=Status)
    person_rows = models.PositiveIntegerField(_("person rows"), default=0)
    job_rows = models.PositiveIntegerField(_("job rows"), default=0)
    suppressed = models.PositiveIntegerField(_("records suppressed"), default=0)
    sha256 = models.CharField(_("SHA-256 of the zip"), max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        permissions = [
            ("export_pseudonymised", "Can export the pseudonymised research extract"),
        ]
        constraints = [
            CheckConstraint(condition=Q(k__gte=3), name="export_k_at_least_3"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.mode} {self.status}"
