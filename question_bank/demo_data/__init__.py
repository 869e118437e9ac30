"""The demo question bank: knowledge-point tree and questions written from the facts in DOMAIN.md.

One module per law / area; this package only concatenates them in a fixed order so
codes and the parent-before-child order of KNOWLEDGE_POINTS stay stable.
"""

from importlib import import_module

_MODULES = ("xianfa", "qiangzhi", "chufa", "chengguan", "benju")

KNOWLEDGE_POINTS: list[tuple[str, str, str | None]] = []
QUESTIONS: list[dict] = []

for _name in _MODULES:
    try:
        _mod = import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # modules are added one law at a time
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    KNOWLEDGE_POINTS.extend(_mod.KNOWLEDGE_POINTS)
    QUESTIONS.extend(_mod.QUESTIONS)

__all__ = ["KNOWLEDGE_POINTS", "QUESTIONS"]
