"""A backup restores into a fresh database with the same rows (counts and checksums)."""

import hashlib
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from .factories import ContactFactory, EpisodeFactory

TABLES = ["ips_client", "ips_episode", "ips_contact", "ips_accessevent", "ips_user"]


def _fingerprint(rows) -> tuple[int, str]:
    digest = hashlib.sha256()
    rows = sorted(tuple(str(v) for v in row) for row in rows)
    for row in rows:
        digest.update("|".join(row).encode())
    return len(rows), digest.hexdigest()


def _live(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return _fingerprint(cursor.fetchall())


@pytest.fixture
def data(owner, team_a):
    for _ in range(5):
        ContactFactory(episode=EpisodeFactory(coach=owner, team=team_a), note="ääkköset ok")


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_with_the_same_rows(data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL path is tested on PostgreSQL")
    backup, restored = tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"

    call_command("backup", output=backup)
    call_command("restore", input=backup, target=str(restored))

    # The same type conversion Django uses for its own connection.
    database = sqlite3.connect(
        restored, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )
    for table in TABLES:
        assert _fingerprint(database.execute(f"SELECT * FROM {table}").fetchall()) == _live(table)
    database.close()


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_with_the_same_rows(data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL path; the SQLite path is tested on SQLite")
    import psycopg

    from ips.management.commands.backup import pg_environment

    backup = tmp_path / "backup.dump"
    target = f"{connection.settings_dict['NAME']}_restore"
    env = pg_environment(connection.settings_dict)
    subprocess.run(["dropdb", "--if-exists", target], check=True, env=env)
    subprocess.run(["createdb", target], check=True, env=env)
    try:
        call_command("backup", output=backup)
        call_command("restore", input=backup, target=target)
        settings_dict = connection.settings_dict
        with psycopg.connect(
            dbname=target,
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"] or None,
        ) as restored:
            for table in TABLES:
                rows = restored.execute(f"SELECT * FROM {table}").fetchall()
                assert _fingerprint(rows) == _live(table)
    finally:
        subprocess.run(["dropdb", "--if-exists", target], check=True, env=env)


@pytest.mark.django_db
def test_backup_never_overwrites(tmp_path):
    from django.core.management.base import CommandError

    existing = tmp_path / "exists.sqlite3"
    existing.write_text("x")

    with pytest.raises(CommandError):
        call_command("backup", output=existing)
