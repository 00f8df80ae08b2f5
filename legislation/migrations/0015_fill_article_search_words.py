"""Fill the search words of the articles written before they had them."""

from django.db import migrations

CHUNK = 2000


def fill(apps, schema_editor):
    # A plain function of text, not of models: safe to call from a migration.
    from npc.core.words import search_words

    Article = apps.get_model("legislation", "Article")
    batch = []
    for article in Article.objects.only("heading", "text").iterator(chunk_size=CHUNK):
        article.search_text = search_words(article.heading, article.text)
        batch.append(article)
        if len(batch) == CHUNK:
            Article.objects.bulk_update(batch, ["search_text"])
            batch = []
    Article.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('legislation', '0014_article_search_words'),
    ]

    operations = [
        # Reversing leaves the words: the previous schema drops the column.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
