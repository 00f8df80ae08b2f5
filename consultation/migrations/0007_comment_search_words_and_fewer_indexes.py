"""
Make writing a comment cheaper (issue 7): on PostgreSQL, index the search words
as an array (GIN over string_to_array(search_text, ' ')) instead of a 'simple'
tsvector, whose parser cost more per comment than the rest of the insert; and
drop the single-column indexes that composite ones already cover (the foreign
keys consultation, bill, point, article and import batch; the LIKE copy of the
receipt code's unique index).
"""

import consultation.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_INDEX = "consultation_comment_search_gin"
INDEX = "consultation_comment_words_gin"


def index_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON consultation_comment "
        "USING gin (string_to_array(search_text, ' '))"
    )


def index_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON consultation_comment "
        "USING gin (to_tsvector('simple', search_text))"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0006_consultation_opened_event'),
        ('legislation', '0003_event_is_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(index_words, index_tsvector),
        migrations.AlterField(
            model_name='comment',
            name='article',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='legislation.article', verbose_name='针对条文'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='bill',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='legislation.bill'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='consultation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='consultation.consultation'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='import_batch',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='consultation.importbatch'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='point',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='consultation.liaisonpoint'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='receipt_code',
            field=models.CharField(default=consultation.models.new_receipt_code, max_length=12, verbose_name='回执码'),
        ),
        migrations.AddConstraint(
            model_name='comment',
            constraint=models.UniqueConstraint(fields=('receipt_code',), name='comment_receipt_code_unique'),
        ),
    ]
