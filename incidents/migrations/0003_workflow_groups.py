"""The three roles of the analyst workflow as Django groups with their permissions.

Analysts code (articles, incidents, actors, evidence) and submit for review;
reviewers may also approve or reject (incidents.review.workflow enforces four-eyes);
administrators get every permission of this app and may see (not add or change) accounts and groups:
managing them is for superusers only, or an Administrator could make a second account and approve
their own proposals with it (0026 removes what earlier versions of this list gave).
"""

from django.db import migrations

VIEW = ["view_source", "view_place", "view_adminarea", "view_eventrule", "view_duplicatedecision"]
CODING = [f"{action}_{model}" for model in ("article", "incident", "actor", "evidence")
          for action in ("view", "add", "change")]
ANALYST = VIEW + CODING + ["add_source", "change_source", "delete_evidence", "submit_incident"]
REVIEWER = ANALYST + ["review_incident", "add_duplicatedecision"]
ROLES = {"Analyst": ANALYST, "Reviewer": REVIEWER}
ADMIN_AUTH = ["view_user", "view_group"]


def create_permissions_now(apps):
    # Permissions are normally created after all migrations (post_migrate);
    # on a fresh database they must exist before groups can hold them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    create_permissions_now(apps)
    define_groups(apps)


def define_groups(apps):
    """Idempotent; tests call it again after a live-server test flushed the tables."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="incidents")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ours.filter(codename__in=codenames))
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(*ours, *Permission.objects.filter(content_type__app_label="auth",
                                                                   codename__in=ADMIN_AUTH))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[*ROLES, "Administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("incidents", "0002_incident_workflow_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
