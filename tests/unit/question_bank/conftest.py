"""Fixtures for the question-bank tests: a small knowledge-point tree and a question maker."""

import pytest

from question_bank.models import KnowledgePoint
from question_bank.services.questions import create_question


def add_kp(code, name, parent=None):
    if parent is None:
        return KnowledgePoint.add_root(code=code, name=name)
    return parent.add_child(code=code, name=name)


@pytest.fixture
def kp_tree(db):
    law = add_kp("QZF", "行政强制法")
    measures = add_kp("QZF-CS", "行政强制措施", law)
    enforcement = add_kp("QZF-ZX", "行政强制执行", law)
    constitution = add_kp("XF", "宪法")
    return {"law": law, "measures": measures, "enforcement": enforcement, "constitution": constitution}


@pytest.fixture
def make_question(kp_tree):
    def make(**overrides):
        fields = {
            "question_type": "single",
            "knowledge_point": kp_tree["measures"],
            "stem": "情况紧急需当场实施行政强制措施的，应当在多长时间内向行政机关负责人报告？",
            "options": ["12小时", "24小时", "48小时", "72小时"],
            "answer": ["B"],
            "explanation": "行政强制法第十九条。",
            "legal_basis": "《行政强制法》第十九条",
        }
        fields.update(overrides)
        return create_question(**fields)

    return make
