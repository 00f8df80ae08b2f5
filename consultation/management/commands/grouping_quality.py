"""Print the precision and recall of comment grouping on the labelled set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from consultation.grouping import quality


class Command(BaseCommand):
    help = (
        "Print precision and recall of near-duplicate groups and same-point "
        "suggestions on the labelled set (consultation/grouping/labelled.json)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--labelled", type=Path, default=quality.LABELLED, help="the set to score"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = quality.load(options["labelled"])
        scores = quality.evaluate(rows)
        self.stdout.write(f"{len(rows)} labelled comments")
        for level, score in scores.items():
            self.stdout.write(
                f"{level}: precision {score.precision:.3f} recall {score.recall:.3f} "
                f"(pairs: {score.true_positives} right, {score.false_positives} "
                f"wrong, {score.false_negatives} missed)"
            )
