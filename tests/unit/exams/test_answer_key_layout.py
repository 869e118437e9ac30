"""The answer key PDF never splits an item: every "number.answer" reads whole in the extracted text."""

import io
import re
import shutil
import subprocess

from django.utils import translation

import pytest
from pypdf import PdfReader

from lms.exams.models import PaperQuestion
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.exams.services.printables import answer_text, write_answer_key
from lms.roster.models import Position

from .factories import build_bank, build_blueprint, build_district, build_session

pytestmark = pytest.mark.django_db
ITEM = re.compile(r"(\d+)\.(\S+)")


@pytest.fixture
def long_session(db):
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 2}])
    build_bank({("single", "K1", 3): 40, ("multiple", "K1", 3): 30, ("true_false", "K1", 2): 60})
    blueprint = build_blueprint(sections=[("single", 35, "1"), ("multiple", 25, "1"), ("true_false", 40, "1")])
    session = build_session(blueprint=blueprint)
    draw_candidates(session=session, seed="key-layout")
    issue_papers(session=session)
    return session


def expected_keys(session) -> dict[str, dict[int, str]]:
    keys = {}
    for candidate in session.candidates.all():
        questions = PaperQuestion.objects.filter(paper__candidate=candidate).select_related("version", "question")
        keys[candidate.ticket_number] = {
            n: answer_text(q, q.version) for n, q in enumerate(questions.order_by("position"), start=1)
        }
    return keys


def key_blocks(text: str, tickets) -> dict[str, dict[int, str]]:
    """Ticket number → the items read after it; a split item shows up as a wrong or missing number."""
    blocks, current = {}, None
    for line in text.splitlines():
        head = line.strip().split(" ")[0]
        if head in tickets:
            current = blocks.setdefault(head, {})
            continue
        if current is not None:
            for number, answer in ITEM.findall(line):
                assert int(number) not in current, f"item {number} read twice under {head}: {line!r}"
                current[int(number)] = answer
    return blocks


def render_key(session) -> bytes:
    out = io.BytesIO()
    with translation.override("zh-hans"):
        write_answer_key(session=session, out=out)
    return out.getvalue()


def test_every_item_of_the_answer_key_extracts_whole_with_pypdf(long_session):
    with translation.override("zh-hans"):
        expected = expected_keys(long_session)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_key(long_session))).pages)
    assert key_blocks(text, expected) == {ticket: items for ticket, items in expected.items() if ticket in text}
    assert len(key_blocks(text, expected)) >= 1


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext missing (poppler-utils)")
def test_every_item_of_the_answer_key_extracts_whole_with_pdftotext(long_session, tmp_path, output_dir):
    path = tmp_path / "key.pdf"
    path.write_bytes(render_key(long_session))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    with translation.override("zh-hans"):
        expected = expected_keys(long_session)
    found = key_blocks(text, expected)
    assert found and all(found[ticket] == expected[ticket] for ticket in found)
    shutil.copy(path, output_dir / "exams_answer_key.pdf")
