"""
The Celery application, configured from the ``CELERY_*`` Django settings.

Without ``CELERY_BROKER_URL`` tasks run in-process (eagerly); with it (Redis in
production and CI) a ``celery -A npc worker`` runs them and ``celery -A npc
beat`` sends the periodic ones of ``CELERY_BEAT_SCHEDULE``.
"""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc.settings")


class Task(DjangoTask):
    """Every task of the project; queues after commit without failing the commit."""

    def delay_on_commit(self, *args: object, **kwargs: object) -> None:
        """
        Queue the task once the current transaction commits.

        With a broker, a failure to queue (Redis down) is logged and does not
        turn the request whose writes already committed into an error page. In
        process (no broker) the task's own errors still propagate, as tests need.
        """

        def queue() -> None:
            self.delay(*args, **kwargs)

        # Django's robust mode logs the callable's __qualname__, which a partial lacks.
        queue.__qualname__ = f"{self.name}.delay_on_commit"
        transaction.on_commit(queue, robust=not self.app.conf.task_always_eager)


app = Celery("npc", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
