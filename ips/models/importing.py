"""Spreadsheet imports: one row per uploaded file, which keeps the file between the steps
(upload, column mapping, preview, import), records who imported what into which team, and
makes a re-upload of the same file recognisable by its SHA-256."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .caseload import Team, User


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        CLIENTS = "clients", _("Clients")
        CONTACTS = "contacts", _("Client contacts")
        EMPLOYER_CONTACTS = "employer_contacts", _("Employer contacts")
        JOB_STARTS = "job_starts", _("Job starts")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not imported yet")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("team")
    )
    kind = models.CharField(_("what"), max_length=32, choices=Kind)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The uploaded file, kept only until it is imported or cancelled: it may hold identity
    # codes, so it is emptied at either end.
    content = models.BinaryField(_("content"), blank=True, editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("rows saved"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows already recorded"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind", "sha256"],
                condition=Q(status="imported"),
                name="importbatch_file_imported_once",
                violation_error_message=_("This file has already been imported into the team."),
            ),
        ]
        indexes = [models.Index(fields=["team", "created_at"], name="importbatch_team_idx")]

    # An upload may hold identity codes: it waits at most this long for its import.
    PENDING_LIFETIME = datetime.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()}, {self.team})"

    @property
    def is_waiting(self) -> bool:
        """Not yet imported or cancelled, and uploaded less than PENDING_LIFETIME ago. Older
        uploads cannot be imported; ``purge_expired`` and the next upload empty them."""
        return (
            self.status == self.Status.PENDING
            and self.created_at >= timezone.now() - self.PENDING_LIFETIME
        )
