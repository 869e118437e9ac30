"""Job screens: the owner sees progress, result and files; anyone else gets a 404; staff see a list."""

from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest

from lms.core import roles
from lms.jobs import services
from lms.jobs.models import Job, JobStatus
from tests.conftest import make_user

from . import job_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db):
    return make_user("hr-jobs", roles.HR)


@pytest.fixture
def other_hr(db):
    return make_user("hr-other", roles.HR)


@pytest.fixture
def finished_job(hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.start_job(kind="test.count", owner=hr, task=job_tasks.counting_job, params={"rows": 20},
                                  title="二十行")


def test_the_owner_sees_the_result_and_downloads_its_file(client, hr, finished_job):
    client.force_login(hr)
    page = client.get(reverse("jobs:detail", args=[finished_job.pk])).content.decode()
    assert "任务已完成" in page and "二十行" in page
    assert reverse("jobs:download", args=[finished_job.pk, "report"]) in page
    response = client.get(reverse("jobs:download", args=[finished_job.pk, "report"]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"rows=20"
    assert "no-store" in response["Cache-Control"] and "report.txt" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:status"])
def test_another_users_job_is_a_404(client, other_hr, finished_job, name):
    client.force_login(other_hr)
    assert client.get(reverse(name, args=[finished_job.pk])).status_code == 404


def test_another_users_result_file_is_a_404_even_for_a_superuser(client, superuser, other_hr, finished_job):
    for user in (other_hr, superuser):
        client.force_login(user)
        assert client.get(reverse("jobs:download", args=[finished_job.pk, "report"])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, finished_job):
    response = client.get(reverse("jobs:download", args=[finished_job.pk, "report"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_running_job_shows_a_progress_bar_that_polls_its_status(client, hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_job(kind="test.count", owner=hr, task=job_tasks.counting_job, params={"rows": 40})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job.refresh_from_db()
    services.report_progress(job, done=10, total=40, message="写入中")
    client.force_login(hr)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress class="job__bar" data-job-bar max="40" value="10">' in page and "25%" in page
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert "jobs/progress.js" in page and "<script>" not in page.split("jobs/progress.js")[0][-2000:]
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status == {"id": str(job.pk), "status": "running", "status_label": "进行中", "done": 10, "total": 40,
                      "percent": 25, "message": "写入中", "finished": False}


def test_a_failed_job_shows_its_message_and_its_owner_restarts_it(client, hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.count", owner=hr, task=job_tasks.counting_job,
                                 params={"rows": 20, "fail_at": 0})
    client.force_login(hr)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "任务失败" in page and "row 0 is wrong" in page and "data-job-restart" in page
    Job.objects.filter(pk=job.pk).update(params={"rows": 20})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:restart", args=[job.pk]))
    assert response.status_code == 302
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_nobody_else_restarts_a_job(client, other_hr, django_capture_on_commit_callbacks, hr):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.count", owner=hr, task=job_tasks.counting_job,
                                 params={"rows": 20, "fail_at": 0})
    client.force_login(other_hr)
    assert client.post(reverse("jobs:restart", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).attempt == 1


def test_my_jobs_lists_only_mine_and_says_so_when_empty(client, hr, other_hr, finished_job):
    client.force_login(other_hr)
    page = client.get(reverse("jobs:mine")).content.decode()
    assert "还没有任务" in page and "二十行" not in page
    client.force_login(hr)
    page = client.get(reverse("jobs:mine")).content.decode()
    assert "二十行" in page and "已完成" in page


def test_staff_with_the_permission_see_everybodys_recent_jobs(client, hr, other_hr, superuser, finished_job):
    client.force_login(other_hr)
    response = client.get(reverse("jobs:all"))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    other_hr.user_permissions.add(Permission.objects.get(codename="view_all_jobs"))
    for user in (make_user("hr-other-2", roles.HR), superuser):
        if user is not superuser:
            user.user_permissions.add(Permission.objects.get(codename="view_all_jobs"))
        client.force_login(user)
        page = client.get(reverse("jobs:all"), {"status": "succeeded"}).content.decode()
        assert "二十行" in page and "hr-jobs" in page
        # The list names the job but does not link another user's result.
        assert reverse("jobs:detail", args=[finished_job.pk]) not in page
    assert "二十行" not in client.get(reverse("jobs:all"), {"status": "failed"}).content.decode()


def test_the_admin_menu_has_my_jobs(client, hr):
    client.force_login(hr)
    assert reverse("jobs:mine") in client.get("/admin/").content.decode()


def test_an_expired_file_is_no_longer_offered_or_served(client, hr, finished_job):
    from datetime import timedelta

    from django.utils import timezone

    finished_job.files.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(hr)
    assert client.get(reverse("jobs:download", args=[finished_job.pk, "report"])).status_code == 404
    assert "data-job-file" not in client.get(reverse("jobs:detail", args=[finished_job.pk])).content.decode()
