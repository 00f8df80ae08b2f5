"""bench.settings plus the X-Bench-Miss header (bench.middleware) for bench.live."""

from bench.settings import *  # noqa: F403
from bench.settings import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.MissEveryRequest", *MIDDLEWARE]
