"""Places get a "listed" flag (Place.objects.public): every existing place is listed, so it stays as
visible as before; a place added in the admin from now on starts unlisted."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0024_rejected_actor_forms'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalplace',
            name='listed',
            field=models.BooleanField(default=True, editable=False, help_text='Loaded reference places are listed; one added in the admin is not, until an approved incident uses it (Place.objects.public).', verbose_name='listed publicly'),
        ),
        migrations.AddField(
            model_name='place',
            name='listed',
            field=models.BooleanField(default=True, editable=False, help_text='Loaded reference places are listed; one added in the admin is not, until an approved incident uses it (Place.objects.public).', verbose_name='listed publicly'),
        ),
    ]
