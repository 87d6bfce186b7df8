"""Each writeup version keeps its own rendered HTML, so its page renders no Markdown.

Existing versions: a version whose body is its writeup's current body (the latest version of
nearly every writeup) takes a copy of the writeup's body_html and renderer_version, in one
UPDATE; the others are rendered here. Rows copied from HTML of an older renderer are brought
up to date by `manage.py rerender_markdown`, as after any renderer change.
"""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def fill_version_html(apps, schema_editor):
    from registry.core.rendering import RENDERER_VERSION, render_markdown

    Writeup = apps.get_model("registry", "Writeup")
    WriteupVersion = apps.get_model("registry", "WriteupVersion")
    writeup = Writeup.objects.filter(pk=OuterRef("writeup_id"))
    WriteupVersion.objects.filter(body=F("writeup__body")).update(
        body_html=Subquery(writeup.values("body_html")[:1]),
        renderer_version=Subquery(writeup.values("renderer_version")[:1]),
    )
    rendered = {}  # identical older bodies (demo data has few) are rendered once
    batch = []
    for version in (WriteupVersion.objects.exclude(body=F("writeup__body"))
                    .only("pk", "body").iterator(chunk_size=500)):
        if version.body not in rendered:
            if len(rendered) >= 1000:
                rendered.clear()
            rendered[version.body] = render_markdown(version.body)
        version.body_html, version.renderer_version = rendered[version.body], RENDERER_VERSION
        batch.append(version)
        if len(batch) == 500:
            WriteupVersion.objects.bulk_update(batch, ["body_html", "renderer_version"])
            batch = []
    WriteupVersion.objects.bulk_update(batch, ["body_html", "renderer_version"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0009_claim_quiet_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="writeupversion",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="writeupversion",
            name="renderer_version",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_version_html, migrations.RunPython.noop, elidable=True),
    ]
