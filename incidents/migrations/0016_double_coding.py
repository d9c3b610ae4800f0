"""Double coding and inter-coder agreement (issue 19, part 2): the double-coded articles, the units
a reviewer settles, and the Coordinator group that marks articles for double coding.

Coordinators mark articles and read the agreement page; reviewers read it too and settle
disagreements; administrators get every new permission as they have every other.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COORDINATOR = ["coordinate_double_coding", "view_doublecoding", "view_codedunit", "view_article", "view_source",
               "view_incident"]
REVIEWER = ["view_doublecoding", "view_codedunit"]
NEW = ["coordinate_double_coding", *[f"{action}_{model}" for model in ("doublecoding", "codedunit")
                                     for action in ("view", "add", "change", "delete")]]


def define_groups(apps):
    """Idempotent; tests call it again after a live-server test flushed the tables."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="incidents")
    for name, codenames in [("Coordinator", COORDINATOR), ("Reviewer", REVIEWER), ("Administrator", NEW)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ours.filter(codename__in=codenames))


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now (as in 0003).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    define_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Coordinator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0015_snapshots"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DoubleCoding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("marked_at", models.DateTimeField(auto_now_add=True)),
                ("submitted_a", models.DateTimeField(blank=True, null=True)),
                ("coding_a", models.JSONField(blank=True, default=list)),
                ("submitted_b", models.DateTimeField(blank=True, null=True)),
                ("coding_b", models.JSONField(blank=True, default=list)),
                ("compared_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("article", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                 related_name="double_coding", to="incidents.article")),
                ("coder_a", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                              related_name="+", to=settings.AUTH_USER_MODEL)),
                ("coder_b", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                              related_name="+", to=settings.AUTH_USER_MODEL)),
                ("marked_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-marked_at", "-id"],
                "permissions": [("coordinate_double_coding", "Can mark articles for double coding")],
            },
        ),
        migrations.CreateModel(
            name="CodedUnit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("coded_a", models.JSONField(blank=True, null=True)),
                ("coded_b", models.JSONField(blank=True, null=True)),
                ("differences", models.JSONField(blank=True, default=list)),
                ("chosen", models.CharField(blank=True, choices=[("", "not settled"), ("a", "coder A's incident"),
                                                                 ("b", "coder B's incident"), ("none", "no incident")],
                                            default="", max_length=4)),
                ("settled_at", models.DateTimeField(blank=True, null=True)),
                ("incident_a", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to="incidents.incident")),
                ("incident_b", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to="incidents.incident")),
                ("settled_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL)),
                ("double_coding", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="units",
                                                    to="incidents.doublecoding")),
            ],
            options={"ordering": ["double_coding", "id"]},
        ),
        migrations.AddConstraint(
            model_name="doublecoding",
            constraint=models.CheckConstraint(
                condition=models.Q(("coder_a__isnull", True), ("coder_b__isnull", True),
                                   models.Q(("coder_a", models.F("coder_b")), _negated=True), _connector="OR"),
                name="double_coding_two_coders",
                violation_error_message="The two codings must come from two different analysts."),
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]
