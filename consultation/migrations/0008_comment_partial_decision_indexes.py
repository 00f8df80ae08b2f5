"""
Index a comment's duplicate_of and decided_by only where set (issue 7): both are
NULL on every comment entered or imported, and the lookups on them (by
equality) imply NOT NULL, so the partial indexes answer them without being
written for each new comment.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0007_comment_search_words_and_fewer_indexes'),
        ('legislation', '0003_event_is_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='comment',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments_decided', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='comment',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='consultation.comment', verbose_name='重复于'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(condition=models.Q(('duplicate_of__isnull', False)), fields=['duplicate_of'], name='comment_duplicate_of_set'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(condition=models.Q(('decided_by__isnull', False)), fields=['decided_by'], name='comment_decided_by_set'),
        ),
    ]
