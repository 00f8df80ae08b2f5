"""
``manage.py seed_demo``: load the demo data (DESIGN §5). Running it again changes
nothing.

The demo's accounts have a published password, so the command runs in debug mode
only. ``--allow-production`` loads the data into a production database anyway,
for a showcase site, and then no account it creates can be logged into until an
administrator sets its password: the known password is never committed.
"""

import importlib.util

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from legislation.demo.seed import seed_legislation


class Command(BaseCommand):
    help = "Load the demo data: accounts, meetings, bills and, when present, consultations."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo with debug off; its new accounts get no usable password.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates accounts with the published password 'demo' and "
                "runs in debug mode only (DJANGO_DEBUG=1). To load the demo into a "
                "production database anyway, run it with --allow-production: its "
                "accounts then get no usable password."
            )
        User = get_user_model()
        with transaction.atomic():
            last_user = User.objects.aggregate(n=Max("pk"))["n"] or 0
            self._seed()
            if not settings.DEBUG:
                for user in User.objects.filter(pk__gt=last_user):
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                self.stdout.write(
                    "Demo accounts have no usable password: set one with "
                    "'manage.py changepassword USERNAME'."
                )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _seed(self) -> None:
        seed_legislation()
        self.stdout.write("Legislation demo data loaded.")
        # The consultation side's demo, once it exists, builds on the bills above.
        if importlib.util.find_spec("consultation.demo.seed") is not None:
            from consultation.demo.public import seed_public_comments
            from consultation.demo.seed import seed_consultation

            seed_consultation()
            self.stdout.write("Consultation demo data loaded.")
            # After the 2024 picture: a period open today, with public comments.
            seed_public_comments()
            self.stdout.write("Open online comment period loaded.")
