# Bigram search text for questions; on PostgreSQL a GIN index over its 'simple' tsvector.

from django.db import migrations, models

INDEX = "qb_question_search_gin"


def fill_search_text(apps, schema_editor):
    from question_bank.search import search_text_for

    Question = apps.get_model("question_bank", "Question")
    batch = []
    for question in Question.objects.all().iterator(chunk_size=2000):
        question.search_text = search_text_for(question.code, question.stem, question.options, question.legal_basis)
        batch.append(question)
        if len(batch) >= 2000:
            Question.objects.bulk_update(batch, ["search_text"])
            batch = []
    Question.objects.bulk_update(batch, ["search_text"])


def create_index(apps, schema_editor):
    # The expression must equal the one question_bank.search builds, or PostgreSQL will not use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON question_bank_question "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("question_bank", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
