"""Reference data: the target groups named by the government action programme (11 Aug 2025,
recommendation 8) plus the traditional IPS group. Administrators can add more in the admin."""

from django.db import migrations

GROUPS = [
    ("mental_health", "Mielenterveyskuntoutujat", "Personer i psykiatrisk rehabilitering",
     "People in mental-health rehabilitation"),
    ("partial_work_ability", "Osatyökykyiset", "Personer med partiell arbetsförmåga",
     "People with partial work ability"),
    ("long_term_unemployed", "Pitkäaikaistyöttömät", "Långtidsarbetslösa",
     "Long-term unemployed"),
    ("substance_use", "Päihdekuntoutujat", "Personer i missbruksrehabilitering",
     "People in substance-use rehabilitation"),
    ("young_people", "Syrjäytymisvaarassa olevat nuoret", "Unga i risk för utanförskap",
     "Young people at risk of exclusion"),
    ("immigrants", "Maahanmuuttajat", "Invandrare", "Immigrants"),
    ("chronic_pain", "Kroonisesta kivusta kärsivät", "Personer med kronisk smärta",
     "People with chronic pain"),
]


def add_groups(apps, schema_editor):
    TargetGroup = apps.get_model("ips", "TargetGroup")
    for code, fi, sv, en in GROUPS:
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )


def remove_groups(apps, schema_editor):
    apps.get_model("ips", "TargetGroup").objects.filter(code__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("ips", "0002_access_log_append_only")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
