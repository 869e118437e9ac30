"""执法学法考试平台: the Django project and the LMS-side apps."""

from .celery import app as celery_app

__all__ = ["celery_app"]
