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


# The counts as this migration's schema has them; written out here, not called
# from consultation.counters, whose recount later writes tables made after it.
COUNT = """
    INSERT INTO consultation_commentcount
        (consultation_id, bill_id, article_id, kind, status, year, delta)
    SELECT c.consultation_id, c.bill_id, c.article_id,
           COALESCE(p.kind, 'resident'), c.status, {year}, COUNT(*)
    FROM consultation_comment c
    LEFT JOIN consultation_contributor p ON p.comment_id = c.id
    GROUP BY c.consultation_id, c.bill_id, c.article_id, p.kind, c.status, {year}
"""


def _recount(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        year = "CAST(EXTRACT(YEAR FROM c.submitted_on) AS integer)"
    else:
        year = "CAST(strftime('%Y', c.submitted_on) AS integer)"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM consultation_commentcount")
        cursor.execute(COUNT.format(year=year))


def fill(apps, schema_editor):
    # A plain function of text, not of models: safe to call from a migration.
    from consultation import search

    Comment = apps.get_model("consultation", "Comment")
    batch = []
    for comment in Comment.objects.only("text", "summary").iterator(chunk_size=2000):
        comment.search_text = search.search_words(comment.text, comment.summary)
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["search_text"])
            batch = []
    Comment.objects.bulk_update(batch, ["search_text"])
    _recount(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("consultation", "0004_comment_search_and_counts")]

    operations = [
        # Reversing leaves the words and counts: the previous schema drops them.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_words, drop_index),
    ]
