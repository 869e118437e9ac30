"""Two web nodes, one worker: a roster upload previewed on one gunicorn server is confirmed on the other,
the job runs on a real Celery worker, its progress is read from both nodes and the slips are downloaded
from the first. Both servers and the worker share PostgreSQL, Redis (cache, sessions, broker) and one
private storage folder, as a city deployment does (docs/deploy.md)."""

import re
import time

import pytest
import requests

from lms.core import roles
from lms.roster.models import Person
from tests.cluster import cluster  # noqa: F401 - the fixture
from tests.conftest import make_user
from tests.unit.roster.workbooks import person_row, simple_roster

pytestmark = [pytest.mark.integration]
ROWS = 300


def sign_in(session: requests.Session, base: str, username: str) -> None:
    session.get(base + "/admin/login/")
    response = session.post(base + "/admin/login/", data={
        "username": username, "password": "pass-Word-123", "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }, headers={"Referer": base + "/admin/login/"})
    assert response.url.rstrip("/").endswith("/admin"), response.url


def post(session: requests.Session, url: str, **kwargs):
    base = url.split("/admin/")[0]
    data = {**kwargs.pop("data", {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(url, data=data, headers={"Referer": base + "/admin/"}, **kwargs)


def test_preview_on_one_node_confirm_on_the_other_progress_from_both_slips_from_the_first(cluster):  # noqa: F811
    (node_a, node_b), private_root = cluster
    make_user("hr_nodes", roles.HR)
    make_user("hr_other", roles.HR)
    hr = requests.Session()
    sign_in(hr, node_a, "hr_nodes")

    workbook = simple_roster([person_row(n) for n in range(1, ROWS + 1)])
    preview = post(hr, node_a + "/admin/roster/import/", files={"file": ("花名册.xlsx", workbook.getvalue())})
    assert preview.url == node_a + "/admin/roster/import/preview/" and f'data-count="created">{ROWS}<' in preview.text
    uploads = list((private_root / "uploads" / "roster").iterdir())
    assert len(uploads) == 1  # the waiting upload is on the shared private storage, not in a node's temp folder
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)

    confirmed = post(hr, node_b + "/admin/roster/import/confirm/", data={"token": token}, allow_redirects=False)
    assert confirmed.status_code == 302, confirmed.text[:2000]
    job_path = confirmed.headers["Location"]
    assert re.fullmatch(r"/admin/jobs/[0-9a-f-]{36}/", job_path)

    seen = {node_a: [], node_b: []}
    deadline = time.monotonic() + 180
    status = {}
    while time.monotonic() < deadline:
        for node in (node_a, node_b):
            status = hr.get(node + job_path + "status/").json()
            seen[node].append(status["status"])
        if status["finished"]:
            break
        time.sleep(0.3)
    assert status["status"] == "succeeded", status
    assert seen[node_a] and seen[node_b] and seen[node_a][-1] == seen[node_b][-1] == "succeeded"
    assert Person.objects.count() == ROWS

    page = hr.get(node_b + job_path)
    assert "花名册已导入" in page.text and f'data-count="created">{ROWS}<' in page.text
    pdf = hr.get(node_a + job_path + "files/slips-pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "no-store" in pdf.headers["Cache-Control"]
    xlsx = hr.get(node_a + job_path + "files/slips-xlsx/")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert not list((private_root / "uploads" / "roster").iterdir())  # the confirmed upload is gone

    other = requests.Session()
    sign_in(other, node_b, "hr_other")
    assert other.get(node_a + job_path + "files/slips-pdf/").status_code == 404
    assert other.get(node_b + job_path + "status/").status_code == 404
