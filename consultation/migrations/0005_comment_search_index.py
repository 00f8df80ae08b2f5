"""
Fill the search words and the counts of existing comments; on PostgreSQL, index
the search words for full-text search (GIN over a 'simple' tsvector).
"""

from django.db import migrations

INDEX = "consultation_comment_search_gin"


def index_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON consultation_comment "
        "USING gin (to_tsvector('simple', search_text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill(apps, schema_editor):
    # Plain functions of text, not of models: safe to call from a migration.
    from consultation import counters, search

    Comment = apps.get_model("consultation", "Comment")
    batch = []
    for comment in Comment.objects.only("text", "summary").iterator(chunk_size=2000):
        comment.search_text = search.search_words(comment.text, comment.summary)
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["search_text"])
            batch = []
    Comment.objects.bulk_update(batch, ["search_text"])
    counters.recount()


class Migration(migrations.Migration):
    dependencies = [("consultation", "0004_comment_search_and_counts")]

    operations = [
        # Reversing leaves the words and counts: the previous schema drops them.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_words, drop_index),
    ]
