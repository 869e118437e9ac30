"""Roster admin screens: upload → preview → confirm, slips, template, browsing, warnings, permissions."""

from django.core.management import call_command
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from lms.core.models import AuditEntry
from lms.jobs.models import Job, JobStatus, Upload
from lms.roster.demo import DEMO_OFFICER_ID
from lms.roster.models import Person, RosterSnapshot
from tests.unit.roster.workbooks import person_row, simple_roster

pytestmark = pytest.mark.django_db


def upload(client, buffer, name="花名册.xlsx"):
    buffer.name = name
    buffer.seek(0)
    return client.post(reverse("roster_import"), {"file": buffer}, follow=True)


def confirm(client, token, capture):
    with capture(execute=True):
        return client.post(reverse("roster_import_confirm"), {"token": token})


def test_hr_uploads_previews_and_confirms_as_a_job(client, hr_user, django_capture_on_commit_callbacks):
    client.force_login(hr_user)
    response = upload(client, simple_roster([person_row(1, position="中队长"), person_row(2)]))
    page = response.content.decode()
    assert response.status_code == 200 and "导入预览" in page
    assert 'data-count="created">2<' in page and "东城一中队" in page
    assert Person.objects.count() == 0
    token = client.session["roster_import_pending"]["upload"]
    response = confirm(client, token, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="roster.import", owner=hr_user)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED and job.result["counts"]["created"] == 2
    assert Person.objects.count() == 2 and RosterSnapshot.objects.count() == 1
    assert AuditEntry.objects.filter(action="roster.import", actor=hr_user).exists()
    page = client.get(response["Location"]).content.decode()
    assert "花名册已导入" in page and 'data-count="created">2<' in page
    slips = client.get(reverse("jobs:download", args=[job.pk, "slips-xlsx"]))
    assert slips.status_code == 200 and "no-store" in slips["Cache-Control"]
    pdf = client.get(reverse("jobs:download", args=[job.pk, "slips-pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The confirmed file is gone: confirming again does nothing.
    assert not Upload.objects.exists()
    assert confirm(client, token, django_capture_on_commit_callbacks).status_code == 302
    assert Person.objects.count() == 2 and Job.objects.count() == 1


def test_a_forged_token_does_not_confirm(client, hr_user):
    client.force_login(hr_user)
    upload(client, simple_roster([person_row(1)]))
    response = client.post(reverse("roster_import_confirm"), {"token": "0" * 32})
    assert response.status_code == 302 and Person.objects.count() == 0 and not Job.objects.exists()


def test_an_upload_whose_owners_session_ended_cannot_be_confirmed_by_anyone(
    client, hr_user, django_capture_on_commit_callbacks
):
    from lms.core import roles
    from tests.conftest import make_user

    client.force_login(hr_user)
    upload(client, simple_roster([person_row(1)]))
    token = client.session["roster_import_pending"]["upload"]
    client.post("/admin/logout/")
    for user in (make_user("hr2", roles.HR), hr_user):
        client.force_login(user)
        assert confirm(client, token, django_capture_on_commit_callbacks).status_code == 302
    assert Person.objects.count() == 0 and not Job.objects.exists() and not Upload.objects.exists()


def test_a_roster_that_changed_since_the_preview_fails_the_job_with_every_error(
    client, hr_user, django_capture_on_commit_callbacks, monkeypatch
):
    from lms.roster import tasks
    from lms.roster.services.imports import import_roster

    def changed(**kwargs):
        report = import_roster(**kwargs)
        report.error("同一手机号已被他人使用", sheet="东城一中队", row=4, column="手机号", value="13800000000")
        return report

    client.force_login(hr_user)
    upload(client, simple_roster([person_row(1)]))
    monkeypatch.setattr(tasks, "import_roster", changed)
    token = client.session["roster_import_pending"]["upload"]
    job_page = client.get(confirm(client, token, django_capture_on_commit_callbacks)["Location"]).content.decode()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "未导入任何数据" in job.message
    assert "同一手机号已被他人使用" in job_page and "data-roster-errors" in job_page and "data-job-restart" in job_page
    assert Person.objects.count() == 0
    assert Upload.objects.count() == 1  # kept for a restart, removed by the cleanup after a day


def test_a_restarted_import_whose_upload_expired_fails_with_a_clear_message(
    client, hr_user, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    upload(client, simple_roster([person_row(1)]))
    token = client.session["roster_import_pending"]["upload"]
    Upload.objects.all().delete()  # removed by the cleanup task between confirm and run
    client.get(confirm(client, token, django_capture_on_commit_callbacks)["Location"])
    assert Person.objects.count() == 0 and not Job.objects.exists()


def test_preview_lists_every_error(client, hr_user):
    client.force_login(hr_user)
    page = upload(client, simple_roster([person_row(1, phone="1"), person_row(2, position="局长")])).content.decode()
    assert "2 个错误" in page or "2个错误" in page
    assert "不是有效的手机号" in page and "无法识别的值" in page
    assert "roster_import_pending" not in client.session


def test_template_download_has_the_template_columns(client, hr_user, tmp_path):
    client.force_login(hr_user)
    response = client.get(reverse("roster_import_template"))
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert [c.value for c in load_workbook(path).active[2]][:4] == ["序号", "姓名", "性别", "身份证号"]


def test_other_roles_cannot_import_or_download_slips(client, trainer, assessor):
    for user in (trainer, assessor):
        client.force_login(user)
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        for name in ("roster_import", "roster_slips_xlsx", "roster_import_template", "roster_import_preview"):
            response = client.get(reverse(name))
            assert (response.status_code, response.get("Location")) == (302, "/admin/"), name


def test_officers_never_reach_the_roster_admin(client, officer):
    client.force_login(officer)
    assert client.get(reverse("roster_person:index")).status_code == 403


def test_browsing_by_squad_with_search_and_warnings_on_demo_data(client, hr_user):
    call_command("seed_demo")
    client.force_login(hr_user)
    person = Person.objects.get(id_number=DEMO_OFFICER_ID)
    response = client.get(reverse("roster_person:index"), {"squad": person.squad_id, "q": "张伟"})
    page = response.content.decode()
    assert response.status_code == 200 and "张伟" in page
    page = client.get(reverse("roster_warnings")).content.decode()
    assert "南湖第二中队" in page and "无法制员" in page
    assert page.count("无法制员") == 1 and "无中队长" not in page
    snapshot = RosterSnapshot.objects.first()
    assert client.get(reverse("roster_snapshot_detail", args=[snapshot.pk])).status_code == 200
    assert client.get(reverse("roster_rostersnapshot:index")).status_code == 200
    assert client.get(reverse("roster_orgunit:index")).status_code == 200


def test_hr_cannot_delete_people(client, hr_user):
    call_command("seed_demo")
    client.force_login(hr_user)
    person = Person.objects.first()
    assert client.get(reverse("roster_person:delete", args=[person.pk])).status_code in (302, 403)
    assert Person.objects.filter(pk=person.pk).exists()


def test_demo_seed_links_the_demo_officer_and_is_idempotent():
    call_command("seed_demo")
    count = Person.objects.count()
    snapshots = RosterSnapshot.objects.count()
    call_command("seed_demo")
    assert Person.objects.count() == count and 190 <= count <= 210
    # The roster demo takes one snapshot (the exam demo may draw from another); a second run adds none.
    assert snapshots >= 1
    assert RosterSnapshot.objects.count() == snapshots
    person = Person.objects.get(user__username="demo_officer")
    assert person.position == "enforcement_officer" and person.id_number == DEMO_OFFICER_ID


def test_demo_roster_passes_its_own_import_validation(tmp_path):
    """Every demo ID number is valid: the exported demo roster re-imports with nothing to change."""
    import io

    from lms.roster.idcard import validate_id_number

    call_command("seed_demo")
    for number in Person.objects.values_list("id_number", flat=True):
        assert validate_id_number(number) == number
    out = tmp_path / "demo.xlsx"
    call_command("export_roster", str(out), stdout=io.StringIO())
    report_out = io.StringIO()
    call_command("import_roster", str(out), "--dry-run", stdout=report_out)
    assert "created=0 updated=0 deactivated=0 unchanged=200" in report_out.getvalue()


def test_hr_reissues_a_lost_initial_code(client, hr_user):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from lms.roster.services.imports import import_roster

    report = import_roster(file=simple_roster([person_row(1)]), filename="r.xlsx", dry_run=False)
    old_code = report.slips[0].code
    person = Person.objects.get()
    client.force_login(hr_user)
    assert "重置初始登录码" in client.get(reverse("roster_person:index")).content.decode()
    assert client.get(reverse("roster_reissue_code", args=[person.pk])).status_code == 200
    response = client.post(reverse("roster_reissue_code", args=[person.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="roster.reissue_code").exists()
    slips = client.get(reverse("roster_slips_xlsx"))
    assert slips.status_code == 200
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=person.id_number, password=old_code) is None
