"""Recreate the append-only triggers: SQLite rebuilds a table to add a column (0009) and the
rebuild drops its triggers. Idempotent on both backends."""

from django.db import migrations

TABLES = ["ips_accessevent", "ips_accesseventclient"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "
                f"{table} FOR EACH ROW EXECUTE FUNCTION ips_access_log_append_only();"
            )


class Migration(migrations.Migration):
    dependencies = [("ips", "0009_access_reason")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
