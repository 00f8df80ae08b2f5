"""Put comments written outside the services into near-duplicate groups, or regroup."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consultation.grouping.services import group_ungrouped, regroup_bill
from legislation.models import Bill


class Command(BaseCommand):
    help = (
        "Group the comments not in a near-duplicate group yet (e.g. written by a "
        "bulk load); with --from-scratch, rebuild the bills' groups (comment "
        "entry on a bill waits while it is rebuilt)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bill", help="the bill's slug (default: every bill)")
        parser.add_argument("--from-scratch", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        bills = Bill.objects.order_by("pk")
        if options["bill"]:
            bills = bills.filter(slug=options["bill"])
            if not bills.exists():
                raise CommandError(f"No bill {options['bill']!r}.")
        ids = list(bills.values_list("pk", flat=True))
        if options["from_scratch"]:
            for bill_id in ids:
                groups = regroup_bill(bill_id=bill_id)
                self.stdout.write(f"bill {bill_id}: {groups} groups")
            return
        done = group_ungrouped(bill_ids=ids)
        self.stdout.write(f"{done} comments grouped")
