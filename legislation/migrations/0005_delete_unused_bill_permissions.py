# The rows of the two permissions 0004 stopped declaring: Django creates
# permissions after migrate but never deletes them, and the role groups hold them.

from django.db import migrations

UNUSED = ("move_bill", "record_vote")


def delete_unused(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="legislation",
        content_type__model="bill",
        codename__in=UNUSED,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("legislation", "0004_remove_unused_bill_permissions"),
    ]

    # Backwards there is nothing to restore: nothing checked them, and the
    # migration that declared them does not create rows (post_migrate does).
    operations = [migrations.RunPython(delete_unused, migrations.RunPython.noop)]
