"""The demo question bank: knowledge-point tree and questions written from the facts in DOMAIN.md.

One module per law / area; this package only concatenates them in a fixed order so
question codes and the parent-before-child order of KNOWLEDGE_POINTS stay stable.

Top-level areas (exam blueprints are spread over these five):
XF 宪法, QZ 行政强制法, CF 行政处罚法, CG 城市管理执法办法, BJ 本局制度 (which also holds
the eight standardisation areas as the branch BJ-BZ).
"""

from . import benju, chengguan, chufa, qiangzhi, xianfa

_MODULES = (xianfa, qiangzhi, chufa, chengguan, benju)

KNOWLEDGE_POINTS: list[tuple[str, str, str | None]] = [kp for m in _MODULES for kp in m.KNOWLEDGE_POINTS]
QUESTIONS: list[dict] = [q for m in _MODULES for q in m.QUESTIONS]

__all__ = ["KNOWLEDGE_POINTS", "QUESTIONS"]
