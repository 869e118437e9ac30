"""Wagtail's first migration titles the home page "Welcome to your new Wagtail site!", which editors then see
in the page explorer of a Chinese interface; give it a Chinese title (only if nobody renamed it)."""

from django.db import migrations

WAGTAIL_DEFAULT_TITLE = "Welcome to your new Wagtail site!"


def rename_home_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=2, title=WAGTAIL_DEFAULT_TITLE).update(title="首页", draft_title="首页")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename_home_page, migrations.RunPython.noop)]
