"""Create the `editor` group with least privilege (drugatlas/legislation/editors.py)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so the group can
    # be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from drugatlas.legislation.editors import sync_editor_group

    sync_editor_group(apps)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("atlas", "0001_initial"),
        ("corrections", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
