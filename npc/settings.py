"""
Settings for the legislation tracker, read from the environment (twelve-factor).

Fail closed: debug is off unless ``DJANGO_DEBUG`` turns it on, and a secret key is
required whenever debug is off. See ``.env.example`` for every variable.
"""

import datetime as dt
import shutil
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-" + "x" * 20

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "captcha",
    "simple_history",
    "npc",
    "npc.accounts",
    "npc.idempotency",
    "npc.public",
    "legislation",
    "consultation",
]

MIDDLEWARE = [
    # First: /healthz answers probes on any Host, over plain HTTP, before the
    # host check and the HTTPS redirect.
    "npc.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public answers marked for the shared cache in front (Cache-Control, ETag,
    # 304), the rest private; outside the session and CSRF middleware to see
    # their cookies and Vary.
    "npc.core.httpcache.SharedCacheMiddleware",
    # Anonymous public reads from the read replica, if one is configured.
    "npc.core.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the URL: Chinese, English under /en/ (not Accept-Language).
    "npc.public.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every change a request makes is recorded with its user and surface.
    "npc.core.history.HistoryMiddleware",
    # Answers to signed-in users and token holders: private, no-store.
    "npc.core.middleware.PrivateResponsesMiddleware",
    # A POST sent again with the same Idempotency-Key creates nothing twice.
    "npc.idempotency.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: answers a locked-out login with 429 (login protection below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "npc.urls"

# History is read, never reverted from the admin: a revert would write around the
# services and their rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "npc.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "npc.wsgi.application"

# SQLite in the project folder is the embedded default; DATABASE_URL=postgres://…
# switches to PostgreSQL, which production and CI use.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", 0))
# A kept connection is checked before reuse, so the first request after a database
# restart reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web and in-process tasks) share the file: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# An optional read replica: DATABASE_REPLICA_URL=postgres://… of a streaming
# standby of DATABASE_URL. Anonymous reads of the public site and API go there
# while it is current; everything else goes to the primary (npc.core.replica).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault(
        "CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A standby that drops packets must not hold a request for long.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # The test suite's replica is its test database on the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["npc.core.replica.ReplicaRouter"]
# The replica is used only while it is at most this far behind the primary…
NPC_REPLICA_MAX_LAG_SECONDS = env.float("NPC_REPLICA_MAX_LAG_SECONDS", default=3.0)
# …as checked at most this often by each process…
NPC_REPLICA_CHECK_SECONDS = env.float("NPC_REPLICA_CHECK_SECONDS", default=2.0)
# …and a visitor who wrote reads from the primary for this long afterwards.
NPC_REPLICA_PIN_SECONDS = env.int("NPC_REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down is a cache miss, not an error page (npc.core.cache).
    CACHES["default"]["BACKEND"] = "npc.core.cache.ResilientRedisCache"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login protection on every way in (staff login, admin login, API token): failures
# are counted per account-and-address pair and per address; past the limit that
# pair (or address) waits out a cool-off, so an attacker elsewhere cannot lock the
# real user out. Attempts are kept in the database (they survive a cache outage);
# lock-outs are logged as warnings, never with a password.
AUTHENTICATION_BACKENDS = [
    "npc.accounts.backends.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords allowed; the attempt after them is refused (axes locks out at
# the failure that reaches its limit, hence the + 1).
AXES_FAILURE_LIMIT = env.int("NPC_LOGIN_FAILURE_LIMIT", default=10) + 1
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=env.int("NPC_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "npc.core.clientip.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Our own log lines (npc.accounts.alerts) say who and from where; no banner.
AXES_VERBOSE = False
# How long the answer to a request with an Idempotency-Key is kept (and a retry
# with the same key answered with it instead of being done again).
NPC_IDEMPOTENCY_HOURS = env.int("NPC_IDEMPOTENCY_HOURS", default=24)
# API tokens expire after this many hours; a password change revokes them.
NPC_TOKEN_TTL_HOURS = env.int("NPC_TOKEN_TTL_HOURS", default=24 * 30)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "public:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Security. With debug off, `manage.py check --deploy` reports nothing.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Django REST Framework
REST_FRAMEWORK = {
    # Token first: a request without credentials then gets 401 with a
    # WWW-Authenticate header, not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "npc.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON nested too deep answers 400 instead of crashing (npc.core.parsers).
    # JSON only: the operations taking an uploaded file name multipart
    # themselves, so the description offers forms only where they work.
    "DEFAULT_PARSER_CLASSES": ["npc.core.parsers.JSONParser"],
    # The test client sends what the API takes by default.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's, refusing blank and malformed values (400).
        "npc.core.filtering.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "npc.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "npc.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "npc.core.errors.api_exception_handler",
    # Only views naming a throttle_scope are throttled, by client address
    # (npc.core.clientip: X-Forwarded-For only from NPC_TRUSTED_PROXIES).
    "DEFAULT_THROTTLE_CLASSES": ["npc.core.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("AUTH_THROTTLE", default="20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "长治市地方立法公开平台 API",
    "DESCRIPTION": "Bills, readings, votes, consultations and comments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components where read-only fields differ.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # One name per choice set shared by several fields and components.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "legislation.models.Stage",
        "BillKindEnum": "legislation.models.Bill.Kind",
        "DraftVersionKindEnum": "legislation.models.DraftVersion.Kind",
        "DocumentKindEnum": "legislation.models.Document.Kind",
        "ContributorKindEnum": "consultation.models.Contributor.Kind",
        "DecisionEnum": "consultation.models.Decision",
        "ImportStatusEnum": "consultation.models.ImportBatch.Status",
        "ConsultationChannelEnum": "consultation.models.Channel",
        "FeedbackChannelEnum": "consultation.models.Feedback.Channel",
        "EventKindEnum": "legislation.models.EventKind",
        "AttendanceStatusEnum": "legislation.models.Attendance.Status",
        "DocumentJobKindEnum": "consultation.models.DocumentJob.Kind",
        "DocumentJobStatusEnum": "consultation.models.DocumentJob.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "npc.api.add_error_responses",
        "npc.idempotency.middleware.schema_hook",
    ],
}

# Celery: with no broker configured, tasks run in-process (eagerly).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# In process, a task failing for good (mail server down, after its retries) is
# logged and the request that queued it still succeeds; the tests propagate.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task acknowledged late whose worker dies (even by SIGKILL) stays "unacked" in
# Redis and is handed out again once the visibility timeout has passed; it must be
# longer than the longest task (time limits are set on each task) and any retry
# countdown.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 5,
}
# With acks_late, a task running when the broker connection drops is redelivered;
# cancel it rather than let it finish alongside its redelivered copy.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE: dict = {
    # Every morning at 7:00 city time: find the legal deadlines due and overdue
    # (comment periods, pending comments, provincial approval, filing, bills
    # shelved for two years) and mail the legislative staff their digest.
    "legal-clocks-daily": {
        "task": "consultation.tasks.check_legal_clocks",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every minute: queue again the comment imports still waiting a minute after
    # upload (their message was lost while the broker was down) and those whose
    # worker stopped sending its heartbeat (killed mid-import).
    "requeue-stalled-imports": {
        "task": "consultation.tasks.requeue_stalled_imports",
        "schedule": crontab(minute="*"),
    },
    # Every night at 3:30, when hardly anyone enters or decides comments: fold the
    # kept comment counts' rows (each entry and decision appends some) into one
    # row per key, so that statistics keep summing a bounded number of rows.
    # Writers wait for the fold (a second or two on a million comments).
    # Every hour: forget the answers kept for idempotent requests once they are
    # older than NPC_IDEMPOTENCY_HOURS.
    "purge-idempotency-keys": {
        "task": "npc.idempotency.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=17),
    },
    "compact-comment-counts": {
        "task": "consultation.tasks.compact_comment_counts",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every hour: delete the captcha challenges of the public comment form that
    # have expired (CAPTCHA_TIMEOUT minutes after they were shown).
    "remove-expired-captchas": {
        "task": "consultation.tasks.remove_expired_captchas",
        "schedule": crontab(minute=43),
    },
    # Every minute: group the comments entered while their bill's grouping lock
    # was held by another writer, or whose task was lost (a comment is grouped
    # by a task queued when its entry commits otherwise).
    "group-ungrouped-comments": {
        "task": "consultation.tasks.group_ungrouped_comments",
        "schedule": crontab(minute="*"),
    },
    # Every night at 2:15, before the counts' fold: rebuild the open-data files
    # (every published text as Akoma Ntoso and plain text, every public comment
    # with its decision as CSV and JSON Lines) and switch their manifest.
    "build-open-data": {
        "task": "consultation.tasks.build_open_data",
        "schedule": crontab(hour=2, minute=15),
    },
}

# The city and the rules of its legislative process.
NPC_CITY_NAME = env.str("NPC_CITY_NAME", default="长治市")
NPC_MIN_COMMENT_PERIOD_DAYS = env.int("NPC_MIN_COMMENT_PERIOD_DAYS", default=30)
# Days within which contributors and points are told what became of their
# comments: counted from the vote on the bill, or from the decision before one.
NPC_FEEDBACK_DAYS = env.int("NPC_FEEDBACK_DAYS", default=30)
# Largest comment file a clerk may upload (CSV or XLSX), in bytes.
NPC_IMPORT_MAX_BYTES = env.int("NPC_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# A running import whose worker has not written its heartbeat for this long is
# taken to have lost its worker, and is taken over by another.
NPC_IMPORT_STALL_SECONDS = env.int("NPC_IMPORT_STALL_SECONDS", default=180)
# The receipt guard (npc.core.guessing), the page's and the API's: after this many
# unknown codes from one client address within the window, that address may look
# one code up every NPC_RECEIPT_SLOW_SECONDS (429 with Retry-After in between).
NPC_RECEIPT_MAX_MISSES = env.int("NPC_RECEIPT_MAX_MISSES", default=10)
NPC_RECEIPT_MISS_WINDOW_SECONDS = env.int(
    "NPC_RECEIPT_MISS_WINDOW_SECONDS", default=60 * 60
)
NPC_RECEIPT_SLOW_SECONDS = env.int("NPC_RECEIPT_SLOW_SECONDS", default=10)
# The reverse proxies in front of the app (addresses or networks, comma-separated):
# X-Forwarded-For is believed only for the hops they added. Empty: the header is
# ignored and the peer's address is the client's.
NPC_TRUSTED_PROXIES = env.list("NPC_TRUSTED_PROXIES", default=[])
# How often, at most, the public figures of the whole city (the year in numbers,
# points' counts, the home page's and /stats/' figures) are counted again, however
# many comments arrive; 0 counts every time.
NPC_PUBLIC_STATS_SECONDS = env.int("NPC_PUBLIC_STATS_SECONDS", default=5)
# How long a part of a public page (npc.core.parts: a version's text, a bill's
# timeline, its outcome figures) is kept under the version of what it shows;
# 0 keeps none.
NPC_PUBLIC_PARTS_SECONDS = env.int("NPC_PUBLIC_PARTS_SECONDS", default=24 * 3600)
# The longest one reader's rebuild of a stale part or page keeps the others on
# the previous copy (stale-while-revalidate), and the life of its lock; 0 turns
# that off (every reader of a stale copy makes it again).
NPC_PUBLIC_REBUILD_SECONDS = env.int("NPC_PUBLIC_REBUILD_SECONDS", default=10)
# How long a bill's summed comment counts (its outcome chart, its comments per
# article) are kept under the version of its counts; any change of the counts
# moves the version on, so this only bounds staleness with a per-process cache.
NPC_COUNTS_CACHE_SECONDS = env.int("NPC_COUNTS_CACHE_SECONDS", default=60)
# How long a whole public response (page, public API list) is kept for anonymous
# readers (npc.core.responsecache). Views key it by the versions of what they show, so
# most changes show at once; this bounds how late the others show. 0 keeps none.
NPC_PUBLIC_CACHE_SECONDS = env.int("NPC_PUBLIC_CACHE_SECONDS", default=60)
# How long the last kept copy of each public response is kept, to be served
# (marked X-Served-Stale) while the database does not answer.
NPC_PUBLIC_STALE_SECONDS = env.int("NPC_PUBLIC_STALE_SECONDS", default=24 * 3600)
# The shared HTTP cache in front (a reverse proxy, a CDN; npc.core.httpcache):
# public pages and public API reads may be kept there this many seconds
# (s-maxage; 0 marks them no-cache), then served stale for up to
# NPC_SHARED_CACHE_STALE_SECONDS while refetched in the background, and for up to
# NPC_SHARED_CACHE_ERROR_SECONDS while the app does not answer. Browsers keep a
# copy NPC_BROWSER_CACHE_SECONDS and revalidate it with If-None-Match.
NPC_SHARED_CACHE_SECONDS = env.int("NPC_SHARED_CACHE_SECONDS", default=10)
NPC_SHARED_CACHE_STALE_SECONDS = env.int("NPC_SHARED_CACHE_STALE_SECONDS", default=30)
NPC_SHARED_CACHE_ERROR_SECONDS = env.int(
    "NPC_SHARED_CACHE_ERROR_SECONDS", default=24 * 3600
)
NPC_BROWSER_CACHE_SECONDS = env.int("NPC_BROWSER_CACHE_SECONDS", default=0)
# Comments from the public (consultation.guard), per client address and hour: past
# the soft limit the form asks for a captcha (the API, which cannot show one,
# answers 429); past the hard limit both answer 429. Per bill and hour, all
# addresses together: NPC_PUBLIC_COMMENT_BILL_LIMIT.
NPC_PUBLIC_COMMENT_SOFT_LIMIT = env.int("NPC_PUBLIC_COMMENT_SOFT_LIMIT", default=3)
NPC_PUBLIC_COMMENT_HARD_LIMIT = env.int("NPC_PUBLIC_COMMENT_HARD_LIMIT", default=20)
NPC_PUBLIC_COMMENT_BILL_LIMIT = env.int("NPC_PUBLIC_COMMENT_BILL_LIMIT", default=2000)
# The least time a person takes to fill the form in, in seconds (a time trap for
# robots), and the most links a public comment may carry.
NPC_PUBLIC_COMMENT_MIN_SECONDS = env.int("NPC_PUBLIC_COMMENT_MIN_SECONDS", default=3)
NPC_PUBLIC_COMMENT_MAX_LINKS = env.int("NPC_PUBLIC_COMMENT_MAX_LINKS", default=2)
# The captcha (django-simple-captcha): drawn here, no outside service; its audio
# version is spoken by flite (Debian package) where installed; without it the
# form offers no audio link.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_FLITE_PATH = env.str("CAPTCHA_FLITE_PATH", default=shutil.which("flite") or "")
CAPTCHA_TIMEOUT = 10
# Form widgets render with the site's templates too: the captcha's widget is
# overridden there (a described image and a labelled audio link).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="INFO"),
    },
}
