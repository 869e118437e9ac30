"""Printables: Chinese text extracts from the PDF (so it is really there) and pages render non-blank."""

import shutil
import subprocess

from django.core.management import call_command

import pytest
from PIL import Image
from pypdf import PdfReader

from lms.exams.models import PaperQuestion
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.exams.services.printables import answer_text
from lms.roster.models import Position

from .factories import build_bank, build_blueprint, build_district, build_session


@pytest.fixture
def issued(db):
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 4}])
    build_bank({("single", "K1", 3): 10, ("true_false", "K1", 2): 6})
    session = build_session(blueprint=build_blueprint(sections=[("single", 6, "2"), ("true_false", 4, "2")]))
    draw_candidates(session=session, seed="pdf")
    issue_papers(session=session)
    return session


def _text(path):
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_print_papers_contains_names_tickets_and_renders(issued, tmp_path, output_dir):
    out = tmp_path / "papers.pdf"
    call_command("print_papers", issued.code, str(out), "--answer-key", str(tmp_path / "key.pdf"))
    text = _text(out)
    candidates = list(issued.candidates.all())
    for c in candidates:
        assert c.name in text and c.ticket_number in text
        assert c.id_number not in text  # only the masked number is printed
    assert "准考证" in text and "签到表" in text and "答题卡" in text
    assert "第" in text and "行政强制措施" in text
    assert "答案" not in text.replace("答题", "")  # no key in the candidates' file
    assert "答案" in _text(tmp_path / "key.pdf")
    shutil.copy(out, output_dir / "exams_print_papers.pdf")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm missing (poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "6", str(out), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == 6
    for image in images:
        grey = Image.open(image).convert("L")
        dark = grey.histogram()[:128]
        dark = sum(dark)
        assert dark > 200, f"{image.name} looks blank"
    shutil.copy(images[0], output_dir / "exams_admission_ticket.png")
    shutil.copy(images[-1], output_dir / "exams_paper_page.png")


def test_answer_key_letters_follow_the_option_permutation(issued):
    q = PaperQuestion.objects.filter(question__type="single").select_related("question", "version").first()
    # the bank's single-choice answer is B (original index 1); it shows where the permutation put index 1
    assert answer_text(q, q.version) == "ABCD"[q.option_order.index(1)]
