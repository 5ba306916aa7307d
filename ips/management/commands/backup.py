"""Back up the database to a file: SQLite with its online backup API (safe while the app
runs), PostgreSQL with ``pg_dump --format=custom``. Restore with ``restore``.

    .venv/bin/python manage.py backup --output backups/ips-2026-11-28.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python manage.py backup --output ips.dump
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_environment(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def backup(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(output)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={output}", settings_dict["NAME"]],
            check=True,
            env=pg_environment(settings_dict),
        )
    else:
        raise CommandError(f"No backup method for {connection.vendor}")


class Command(BaseCommand):
    help = "Back up the database to a file (SQLite online backup or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, output: Path, **options):
        if output.exists():
            raise CommandError(f"{output} exists; backups are never overwritten")
        backup(output)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {output} ({output.stat().st_size} bytes)")
        )
