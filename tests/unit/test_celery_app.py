"""The Celery app: JSON only, late acks with prefetch 1, time limits, and tasks that wait for commit."""

import pytest

from lms.celery import app
from lms.core.tasks import count_active_users
from tests.conftest import make_user


def test_configuration_suits_long_tasks():
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit


def test_beat_schedule_is_loaded_from_its_file():
    app.finalize()
    assert "clean-expired-login-failures" in app.conf.beat_schedule


@pytest.mark.django_db
def test_delay_on_commit_waits_for_the_transaction(django_capture_on_commit_callbacks):
    make_user("someone")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        count_active_users.delay_on_commit()
    # Nothing was sent while the transaction was open; it is queued to run on commit.
    assert len(callbacks) == 1
