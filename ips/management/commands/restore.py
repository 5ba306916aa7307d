"""Restore a backup made by ``backup`` into a fresh database.

SQLite: the backup file is copied into ``--target`` (a new database file) with the backup
API. PostgreSQL: ``pg_restore`` into ``--target`` (an existing, empty database).
The running database is never overwritten by this command.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import pg_environment


def restore(source: Path, target: str) -> None:
    if connection.vendor == "sqlite":
        if Path(target).exists():
            raise CommandError(f"{target} exists; restore into a new file")
        origin = sqlite3.connect(source)
        destination = sqlite3.connect(target)
        try:
            origin.backup(destination)
        finally:
            origin.close()
            destination.close()
    elif connection.vendor == "postgresql":
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(source)],
            check=True,
            env=pg_environment(connection.settings_dict),
        )
    else:
        raise CommandError(f"No restore method for {connection.vendor}")


class Command(BaseCommand):
    help = "Restore a backup into a fresh database (never over the running one)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument(
            "--target", required=True, help="new SQLite file or PostgreSQL database"
        )

    def handle(self, *args, input: Path, target: str, **options):
        if target == str(connection.settings_dict["NAME"]):
            raise CommandError("Refusing to restore over the running database")
        restore(input, target)
        self.stdout.write(self.style.SUCCESS(f"Restored {input} into {target}"))
