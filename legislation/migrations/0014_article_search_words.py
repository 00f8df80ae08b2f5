"""
The search words of articles (heading and text, cut by jieba), and on PostgreSQL
their GIN index, as comments have (npc.core.words): bills and regulations are
found by the words of their articles.
"""

from django.db import migrations, models

INDEX = "legislation_article_words_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON legislation_article "
        "USING gin (string_to_array(search_text, ' '))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('legislation', '0013_history_of_merged_records'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
