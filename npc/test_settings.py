"""Settings for the test suite: fast hashing, local mail, tasks in-process."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789"
)

from .settings import *  # noqa: E402,F403
from .settings import DATABASES  # noqa: E402

ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run eagerly in tests; tests of the real worker start one on Redis themselves.
# Static files come straight from the app folders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
# Kept comment counts are summed afresh (the cache outlives each test's rollback);
# the tests of that cache turn it on.
NPC_COUNTS_CACHE_SECONDS = 0
# Whole public responses likewise; the tests of that cache turn it on.
NPC_PUBLIC_CACHE_SECONDS = 0
# Parts of public pages likewise (npc.core.parts); tests/public/test_page_parts.py
# turns them on.
NPC_PUBLIC_PARTS_SECONDS = 0
# Parallel test runs on one PostgreSQL server each need their own test database.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}
