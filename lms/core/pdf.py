"""Chinese fonts for every PDF we print (account slips, papers, admission tickets, sign-in sheets).

Prefer embedding a real CJK TrueType font (WenQuanYi Zen Hei, Debian's fonts-wqy-zenhei): reportlab
embeds only the glyphs used, so every printer shows the same shapes. On a machine without it, fall back to
reportlab's built-in STSong-Light CID font, which needs no file and still extracts as correct text, but
is rendered with whatever Song font the viewer has.
"""

import logging
from functools import cache
from pathlib import Path

from django.conf import settings

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATE_FONT_FILES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
logger = logging.getLogger(__name__)

EMBEDDED_FONT_NAME = "CJK"
FALLBACK_CID_FONT = "STSong-Light"


@cache
def cjk_font_name() -> str:
    """Register the best available CJK font once per process and return its reportlab name."""
    configured = getattr(settings, "PDF_CJK_FONT_FILE", "")
    for path in ([configured] if configured else []) + CANDIDATE_FONT_FILES:
        if path and Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED_FONT_NAME, path, subfontIndex=0))
            except Exception as exc:  # a font reportlab cannot read (e.g. CFF outlines): try the next
                logger.warning("PDF font %s unusable: %s", path, exc)
                continue
            return EMBEDDED_FONT_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT
