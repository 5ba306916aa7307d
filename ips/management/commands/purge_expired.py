"""Delete client data whose retention period has passed.

An episode closed (discharged) more than RETENTION_YEARS ago is deleted with everything
attached to it (contacts, jobs, education); a client left with no episodes is deleted with
their career profile and cover history. Exported aggregates and anonymised files are not
touched. Each run is logged in the access log (action "delete") with the client ids only,
never the deleted content. ``--dry-run`` reports what would go.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ips import audit
from ips.audit import Action
from ips.models import Client, EmployerContact, Episode
from ips.services import spreadsheets


class Command(BaseCommand):
    help = "Delete episodes closed longer ago than RETENTION_YEARS, and clients left empty."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--years", type=int, default=None)

    def handle(self, *args, dry_run: bool, years: int | None, **options):
        years = years if years is not None else settings.RETENTION_YEARS
        if years < 1:
            self.stderr.write("Refusing a retention period under one year.")
            return
        if not dry_run:
            stale = spreadsheets.drop_stale_imports()
            self.stdout.write(f"Emptied {stale} spreadsheet imports left waiting.")
        cutoff = timezone.localdate() - datetime.timedelta(days=round(365.25 * years))
        expired = Episode.objects.filter(discharge_date__lt=cutoff)
        client_ids = sorted(set(expired.values_list("client_id", flat=True)))
        remaining = Episode.objects.filter(client=OuterRef("pk")).exclude(
            pk__in=expired.values("pk")
        )
        emptied = Client.objects.filter(pk__in=client_ids).exclude(Exists(remaining))
        summary = (
            f"{expired.count()} episodes closed before {cutoff.isoformat()} "
            f"({len(client_ids)} clients, {emptied.count()} of them deleted entirely)"
        )
        if dry_run:
            self.stdout.write(f"Would delete {summary}.")
            return
        with transaction.atomic():
            emptied_ids = list(emptied.values_list("pk", flat=True))
            for contact in EmployerContact.objects.filter(clients__in=emptied_ids).distinct():
                contact.clients.remove(*emptied_ids)
            expired.delete()
            Client.objects.filter(pk__in=emptied_ids).delete()
        audit.record(
            None,
            Action.DELETE,
            client_ids,
            what=f"retention purge: {summary}"[:100],
            reason=f"retention period {years} years",
        )
        self.stdout.write(self.style.SUCCESS(f"Deleted {summary}."))
