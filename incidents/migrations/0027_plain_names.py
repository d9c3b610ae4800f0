"""Names of actors, places and outlets refuse look-alike and invisible characters (incidents.common.lookalikes):
validators only, checked by forms; stored names are not touched."""

import django.contrib.postgres.fields
import incidents.common.lookalikes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0026_accounts_for_superusers_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='actor',
            name='aliases',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]), blank=True, default=list, help_text='Other names used in reports, comma separated (e.g. ISIS, IS, Daesh).', size=None),
        ),
        migrations.AlterField(
            model_name='actor',
            name='name',
            field=models.CharField(max_length=300, unique=True, validators=[incidents.common.lookalikes.plain_name]),
        ),
        migrations.AlterField(
            model_name='historicalactor',
            name='aliases',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]), blank=True, default=list, help_text='Other names used in reports, comma separated (e.g. ISIS, IS, Daesh).', size=None),
        ),
        migrations.AlterField(
            model_name='historicalactor',
            name='name',
            field=models.CharField(db_index=True, max_length=300, validators=[incidents.common.lookalikes.plain_name]),
        ),
        migrations.AlterField(
            model_name='historicalplace',
            name='name',
            field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]),
        ),
        migrations.AlterField(
            model_name='historicalplace',
            name='name_ar',
            field=models.CharField(blank=True, max_length=200, validators=[incidents.common.lookalikes.plain_name], verbose_name='Arabic name'),
        ),
        migrations.AlterField(
            model_name='historicalplace',
            name='variants',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]), blank=True, default=list, help_text='Spellings and transliterations, e.g. Harabsh, Harbash.', size=None),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='name',
            field=models.CharField(db_index=True, max_length=200, validators=[incidents.common.lookalikes.plain_name]),
        ),
        migrations.AlterField(
            model_name='place',
            name='name',
            field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]),
        ),
        migrations.AlterField(
            model_name='place',
            name='name_ar',
            field=models.CharField(blank=True, max_length=200, validators=[incidents.common.lookalikes.plain_name], verbose_name='Arabic name'),
        ),
        migrations.AlterField(
            model_name='place',
            name='variants',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200, validators=[incidents.common.lookalikes.plain_name]), blank=True, default=list, help_text='Spellings and transliterations, e.g. Harabsh, Harbash.', size=None),
        ),
        migrations.AlterField(
            model_name='source',
            name='name',
            field=models.CharField(max_length=200, unique=True, validators=[incidents.common.lookalikes.plain_name]),
        ),
    ]
