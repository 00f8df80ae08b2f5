"""
Settings for the benchmark: production settings, plus the baseline page.

The baseline (``/bench/fortunes/``) exists only under these settings: the
project's own URLs never route to it.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-secret-key-not-for-production-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
# As in production, the web processes share one cache (Redis).
os.environ.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/3")

from npc.settings import *  # noqa: E402,F403
from npc.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
NPC_RECEIPT_MAX_MISSES = 10**9
# A comment entered or submitted is grouped by a task queued when it commits
# (consultation.tasks.group_new_comments). Without CELERY_BROKER_URL that task
# runs in process, in the request, after the commit; as in production (the
# docker-compose topology), run bench.run with CELERY_BROKER_URL set (e.g.
# redis://127.0.0.1:6379/4): it then starts one worker beside the gunicorns.
# wrk sends every public comment from one address: the limits count, never refuse.
NPC_PUBLIC_COMMENT_SOFT_LIMIT = 10**9
NPC_PUBLIC_COMMENT_HARD_LIMIT = 10**9
NPC_PUBLIC_COMMENT_BILL_LIMIT = 10**9
# No collectstatic for the benchmark: static URLs without the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# …and served from the app folders (no collected directory to warn about).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
