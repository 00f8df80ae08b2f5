"""
Settings for the Celery worker and beat that the worker tests start.

The real app (npc.settings: not eager, broker from CELERY_BROKER_URL), with what
a test needs on top: mails written to files the test reads, a quick
redelivery of tasks whose worker was killed, and, for beat, the daily check
every second instead of every morning.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "worker-test-secret-key-not-for-production-0123456789"
)

from npc.settings import *  # noqa: E402,F403
from npc.settings import CELERY_BEAT_SCHEDULE  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["NPC_TEST_MAIL_DIR"]

# A message whose worker died unacknowledged is handed out again 2 s after its
# delivery (production: an hour), and the worker looks for such messages every
# second, on start-up too.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("NPC_TEST_VISIBILITY_TIMEOUT", "2")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 5,
}
CELERY_WORKER_CONCURRENCY = 1

if os.environ.get("NPC_TEST_FAST_BEAT"):
    # The daily check, every second (it sends one digest a day at most).
    # Not the open-data build: a whole export every second would keep the one
    # worker busy and write files beside the code.
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": 1.0}
        for name, entry in CELERY_BEAT_SCHEDULE.items()
        if name != "build-open-data"
    }
