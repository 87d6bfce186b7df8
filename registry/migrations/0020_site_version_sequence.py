"""On PostgreSQL the site version becomes a sequence (registry.services.site_version): writers
move it without queueing on one row. It starts from the clock, as the row's first number did,
so a restored or recreated database never repeats a number the shared cache may still hold."""

import time

from django.db import migrations

SEQUENCE = "registry_site_version_seq"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} "
                          f"START WITH {time.time_ns() // 1000}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0019_writeup_comment_count")]

    operations = [migrations.RunPython(create, drop)]
