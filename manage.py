#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys

# Commands that never sign anything (no session, token or link): they may run
# without DJANGO_SECRET_KEY, e.g. on a build machine or in a schema check. The
# settings still refuse to start anything else, a server above all, without it.
KEYLESS_COMMANDS = frozenset(
    {
        "makemigrations",
        "migrate",
        "showmigrations",
        "sqlmigrate",
        "collectstatic",
        "compilemessages",
        "makemessages",
    }
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        # Thrown away with the process; nothing is signed with it.
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
