"""Platform-level background jobs."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from celery import shared_task


@shared_task
def clean_expired_login_failures() -> int:
    """Delete throttling records older than the cool-off period; returns how many went."""
    from axes.models import AccessAttempt

    cutoff = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


@shared_task
def count_active_users() -> int:
    """A cheap task that touches the database; the integration tests run it on a real worker."""
    return get_user_model().objects.filter(is_active=True).count()
