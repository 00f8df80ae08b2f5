"""
Settings for the worker and beat of the killed-worker test: the worker tests'
own (tests.tasks.worker_settings), with beat sweeping for stalled imports every
two seconds instead of every minute. The broker's visibility timeout and the
stall threshold come from the environment the test gives.
"""

from tests.tasks.worker_settings import *  # noqa: F403
from tests.tasks.worker_settings import CELERY_BEAT_SCHEDULE

# Only the sweep: the daily check and the nightly jobs have no part here.
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-imports": {
        **CELERY_BEAT_SCHEDULE["requeue-stalled-imports"],
        "schedule": 2.0,
    }
}
