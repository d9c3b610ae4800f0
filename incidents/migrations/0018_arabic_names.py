"""Arabic names and translations (issue 17): governorates and districts already loaded get their Arabic
names (incidents/common/arabic_names.py, sources there and in docs/ARABIC.md). A name an administrator
already typed is kept. load_boundaries fills the same names on every later load."""

from django.db import migrations


def fill_arabic_area_names(apps, schema_editor):
    from incidents.common.arabic_names import ARABIC_AREA_NAMES

    AdminArea = apps.get_model("incidents", "AdminArea")
    for area in AdminArea.objects.filter(name_ar="", pcode__in=list(ARABIC_AREA_NAMES)):
        area.name_ar = ARABIC_AREA_NAMES[area.pcode]
        area.save(update_fields=["name_ar"])


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_demo_data")]

    operations = [migrations.RunPython(fill_arabic_area_names, migrations.RunPython.noop)]
