"""Create the three roles of DESIGN §2 as groups, with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from npc.core.roles import grant_role_permissions


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["administrator", "legislative_staff", "liaison_clerk"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0001_initial"),
        ("legislation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
