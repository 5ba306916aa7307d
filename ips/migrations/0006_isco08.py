from django.db import migrations

from ips.data.isco08 import MAJOR_GROUPS, SUB_MAJOR_GROUPS


def load(apps, schema_editor):
    OccupationGroup = apps.get_model("ips", "OccupationGroup")
    for code, fi, en in MAJOR_GROUPS:
        OccupationGroup.objects.update_or_create(code=code, defaults={"name_fi": fi, "name_en": en})
    for code, fi, en in SUB_MAJOR_GROUPS:
        OccupationGroup.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_en": en, "parent_id": code[0]}
        )


def unload(apps, schema_editor):
    apps.get_model("ips", "OccupationGroup").objects.filter(parent__isnull=False).delete()
    apps.get_model("ips", "OccupationGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ips", "0005_jobs")]

    operations = [migrations.RunPython(load, unload)]
