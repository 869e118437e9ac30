"""Each staff role reaches only its own admin areas (checked across every app's admin screens)."""

import pytest

ROSTER = ["/admin/roster/import/", "/admin/roster/import/template.xlsx"]
# Read-only roster screens: trainers and assessors need them to plan exams and read coverage.
ROSTER_BROWSE = ["/admin/roster_person/", "/admin/roster/warnings/"]
QUESTION_BANK = ["/admin/question_bank/questions/", "/admin/question_bank/import/", "/admin/question_bank/tools/coverage/"]
COURSES = ["/admin/courses/completion/", "/admin/snippets/courses/studyplan/", "/admin/pages/"]
EXAMS_EDIT = ["/admin/exams/blueprints/add/", "/admin/exams/sessions/add/"]
EXAMS_VIEW = ["/admin/exams/sessions/"]

ALLOWED = {
    "hr_user": ROSTER + ROSTER_BROWSE,
    "trainer": QUESTION_BANK + COURSES + EXAMS_EDIT + EXAMS_VIEW + ROSTER_BROWSE,
    "assessor": EXAMS_VIEW + ROSTER_BROWSE,
}
EVERY_AREA = ROSTER + ROSTER_BROWSE + QUESTION_BANK + COURSES + EXAMS_EDIT + EXAMS_VIEW


def cases():
    for role, allowed in ALLOWED.items():
        for url in EVERY_AREA:
            yield pytest.param(role, url, url in allowed, id=f"{role}-{url}")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url", "allowed"), list(cases()))
def test_staff_role_reaches_only_its_areas(client, request, role, url, allowed):
    client.force_login(request.getfixturevalue(role))
    status = client.get(url).status_code
    if allowed:
        assert status == 200
    else:
        assert status in (302, 403), f"{role} reached {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", EVERY_AREA)
def test_officer_reaches_no_admin_area(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 403
