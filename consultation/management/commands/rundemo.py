"""
``manage.py rundemo``: migrate, load the demo data and write its open-data files,
print the demo logins and serve the app at http://127.0.0.1:8000. For trying the
app on one's own machine only.
"""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ADDRESS = "127.0.0.1:8000"
LOGINS = (
    ("admin", "管理员 administrator"),
    ("staff", "法工委工作人员 legislative staff"),
    ("clerk", "淮海社区基层立法联系点联络员 liaison-point clerk"),
    ("clerk2", "另一联系点联络员 liaison-point clerk"),
)


class Command(BaseCommand):
    help = "Migrate, load the demo data, print the demo logins and serve the app."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "rundemo serves the demo with Django's development server, which is "
                "for debug mode only. Set DJANGO_DEBUG=1 and run it again:\n"
                "    DJANGO_DEBUG=1 python manage.py rundemo"
            )
        # Tasks run in-process here; a log line per task would bury the logins.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("seed_demo", stdout=self.stdout)
        # The open-data files are written nightly by the beat, which the demo
        # does not run: write them once, so the download page has them.
        call_command("build_open_data", stdout=io.StringIO())
        self.stdout.write("Open-data files written.")
        self.print_logins()
        self.serve()

    def print_logins(self) -> None:
        url = f"http://{ADDRESS}/"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo: {url}  (staff pages: {url}staff/)")
        )
        self.stdout.write("Demo logins (password: demo):")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write("")

    def serve(self) -> None:
        # No autoreloader: it would run this command, migrations and seed again.
        call_command("runserver", ADDRESS, use_reloader=False)
