"""``manage.py seed_demo``: load the demo data (DESIGN §5). Running it again changes nothing."""

import importlib.util

from django.core.management.base import BaseCommand

from legislation.demo.seed import seed_legislation


class Command(BaseCommand):
    help = "Load the demo data: accounts, meetings, bills and, when present, consultations."

    def handle(self, *args: object, **options: object) -> None:
        seed_legislation()
        self.stdout.write("Legislation demo data loaded.")
        # The consultation side's demo, once it exists, builds on the bills above.
        if importlib.util.find_spec("consultation.demo.seed") is not None:
            from consultation.demo.seed import seed_consultation

            seed_consultation()
            self.stdout.write("Consultation demo data loaded.")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
