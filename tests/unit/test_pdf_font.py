"""Chinese renders in our PDFs: the text extracts as written, with the embedded font when available."""

import io
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from lms.core.pdf import CANDIDATE_FONT_FILES, EMBEDDED_FONT_NAME, FALLBACK_CID_FONT, cjk_font_name


def test_chinese_text_survives_a_round_trip_through_a_pdf():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(cjk_font_name(), 14)
    pdf.drawString(72, 720, "准考证 张伟 法制员")
    pdf.save()
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "准考证" in text and "张伟" in text and "法制员" in text


def test_a_real_font_is_embedded_when_one_is_installed():
    installed = any(Path(p).exists() for p in CANDIDATE_FONT_FILES)
    assert cjk_font_name() == (EMBEDDED_FONT_NAME if installed else FALLBACK_CID_FONT)
