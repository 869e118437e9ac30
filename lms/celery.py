"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _load_beat_schedule(sender, **kwargs):
    # The periodic jobs live in one file so operators see them in one place.
    from lms.beat_schedule import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
