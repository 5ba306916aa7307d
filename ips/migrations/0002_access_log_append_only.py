"""Database-level protection of the access log: no UPDATE on any backend, no DELETE on
PostgreSQL. (SQLite keeps DELETE because Django's test flush uses it there; PostgreSQL's flush
uses TRUNCATE, which row triggers do not see.)"""

from django.db import migrations

TABLES = ["ips_accessevent", "ips_accesseventclient"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION ips_access_log_append_only();"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION ips_access_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'access log is append-only'; END; $$ LANGUAGE plpgsql;"
        )


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ips_access_log_append_only();")


class Migration(migrations.Migration):
    dependencies = [("ips", "0001_initial")]

    operations = [
        migrations.RunPython(create_function, drop_function),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
