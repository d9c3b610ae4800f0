"""Masyaf and Mesiaf, two districts of Hama in the UNHCR boundaries, were both "مصياف" in Arabic (issue 17):
Mesiaf becomes "مصياف (القسم الشمالي)" (incidents/common/arabic_names.py). Only a name still as 0018 wrote
it is changed; a name an administrator typed is kept."""

from django.db import migrations

OLD = {"UNHCR-GID-15205": "مصياف"}


def rename(apps, schema_editor):
    from incidents.common.arabic_names import ARABIC_AREA_NAMES

    AdminArea = apps.get_model("incidents", "AdminArea")
    for pcode, old in OLD.items():
        AdminArea.objects.filter(pcode=pcode, name_ar=old).update(name_ar=ARABIC_AREA_NAMES[pcode])


def restore(apps, schema_editor):
    from incidents.common.arabic_names import ARABIC_AREA_NAMES

    AdminArea = apps.get_model("incidents", "AdminArea")
    for pcode, old in OLD.items():
        AdminArea.objects.filter(pcode=pcode, name_ar=ARABIC_AREA_NAMES[pcode]).update(name_ar=old)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0028_map_cell_counts")]

    operations = [migrations.RunPython(rename, restore)]
