"""
The Celery application, configured from the ``CELERY_*`` Django settings.

Without ``CELERY_BROKER_URL`` tasks run in-process (eagerly); with it (Redis in
production and CI) a ``celery -A npc worker`` runs them and ``celery -A npc
beat`` sends the periodic ones of ``CELERY_BEAT_SCHEDULE``.
"""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc.settings")

log = logging.getLogger(__name__)


class Task(DjangoTask):
    """Every task of the project; queues after commit without failing the commit."""

    def delay_on_commit(self, *args: object, **kwargs: object) -> None:
        """
        Queue the task once the current transaction commits.

        With a broker, a failure to queue (Redis down) is logged and does not
        turn the request whose writes already committed into an error page. In
        process (no broker), a task that fails after its retries (a mail server
        that does not answer) is logged, not raised into the request, unless
        ``task_eager_propagates`` is on, as the tests set it.
        """

        def queue() -> None:
            result = self.delay(*args, **kwargs)
            if self.app.conf.task_always_eager and result.failed():
                # The exception's kind only: its text may name a recipient.
                log.warning(
                    "task %s failed in process: %s",
                    self.name,
                    type(result.result).__name__,
                )

        # Django's robust mode logs the callable's __qualname__, which a partial lacks.
        queue.__qualname__ = f"{self.name}.delay_on_commit"
        conf = self.app.conf
        robust = not (conf.task_always_eager and conf.task_eager_propagates)
        transaction.on_commit(queue, robust=robust)


app = Celery("npc", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
