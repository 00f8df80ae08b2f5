"""Create the three roles of DESIGN §2 as groups, with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_APPS = ("legislation",)
STAFF_CONSULTATION_MODELS = (
    "consultation",
    "comment",
    "contributor",
    "decisionrecord",
    "feedback",
    "importbatch",
)


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="administrator")
    admin.permissions.set(Permission.objects.all())
    staff, _ = Group.objects.get_or_create(name="legislative_staff")
    staff.permissions.set(
        Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
        | Permission.objects.filter(
            content_type__app_label="consultation",
            content_type__model__in=STAFF_CONSULTATION_MODELS,
        )
        | Permission.objects.filter(
            content_type__app_label="consultation",
            content_type__model="liaisonpoint",
            codename__startswith="view_",
        )
    )
    Group.objects.get_or_create(name="liaison_clerk")


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
