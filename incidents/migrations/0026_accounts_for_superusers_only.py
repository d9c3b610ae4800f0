"""Accounts and groups are managed by superusers only: the Administrator group loses the add, change
and delete permissions on users and groups that 0003 gave it (it keeps seeing them). Otherwise an
Administrator could create a second account and approve their own proposed change with it."""

from django.db import migrations

MANAGE_AUTH = [f"{action}_{model}" for model in ("user", "group") for action in ("add", "change", "delete")]


def _account_management(apps):
    """(the Administrator groups, the permissions to manage users and groups)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    return (Group.objects.filter(name="Administrator"),
            Permission.objects.filter(content_type__app_label="auth", codename__in=MANAGE_AUTH))


def remove_account_management(apps, schema_editor):
    groups, managing = _account_management(apps)
    for group in groups:
        group.permissions.remove(*managing)


def give_back(apps, schema_editor):
    groups, managing = _account_management(apps)
    for group in groups:
        group.permissions.add(*managing)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0025_place_listed")]

    operations = [migrations.RunPython(remove_account_management, give_back)]
