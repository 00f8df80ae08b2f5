"""
The counts' tally by consultation and status, filled from the counts there are.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO consultation_commenttally"
            " (consultation_id, bill_id, status, delta)"
            " SELECT consultation_id, bill_id, status, SUM(delta)"
            " FROM consultation_commentcount"
            " GROUP BY consultation_id, bill_id, status"
            " HAVING SUM(delta) <> 0"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0018_dated_comments_and_covered_counts"),
        ("legislation", "0016_kept_comparisons"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待研究"),
                            ("adopted", "采纳"),
                            ("partially_adopted", "部分采纳"),
                            ("not_adopted", "未采纳"),
                            ("for_reference", "留作参考"),
                            ("out_of_scope", "不属本法规调整范围"),
                            ("duplicate", "重复意见"),
                        ],
                        max_length=20,
                    ),
                ),
                ("delta", models.IntegerField()),
                (
                    "bill",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="legislation.bill",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comment_tallies",
                        to="consultation.consultation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["bill", "status", "consultation"],
                        include=("delta",),
                        name="commenttally_bill_status",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
