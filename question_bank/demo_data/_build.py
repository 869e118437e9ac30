"""Small constructors that keep the demo bank readable.

Each returns a plain dict in the exact shape the question-bank loader expects, so
the per-law modules read like a question paper rather than like nested literals.
"""

from __future__ import annotations

OBJECTIVE_POINTS = 2
FILL_POINTS = 2
ESSAY_POINTS = 10


def single(code, kp, difficulty, stem, options, answer, explanation, legal_basis):
    return {
        "code": code, "type": "single", "kp": kp, "difficulty": difficulty,
        "stem": stem, "options": list(options), "answer": [answer],
        "explanation": explanation, "legal_basis": legal_basis, "points": OBJECTIVE_POINTS,
    }


def multiple(code, kp, difficulty, stem, options, answer, explanation, legal_basis):
    # answer is written as letters, e.g. "ABD"; stored as a sorted list
    return {
        "code": code, "type": "multiple", "kp": kp, "difficulty": difficulty,
        "stem": stem, "options": list(options), "answer": sorted(answer),
        "explanation": explanation, "legal_basis": legal_basis, "points": OBJECTIVE_POINTS,
    }


def true_false(code, kp, difficulty, stem, answer, explanation, legal_basis):
    return {
        "code": code, "type": "true_false", "kp": kp, "difficulty": difficulty,
        "stem": stem, "options": [], "answer": [bool(answer)],
        "explanation": explanation, "legal_basis": legal_basis, "points": OBJECTIVE_POINTS,
    }


def fill_blank(code, kp, difficulty, stem, answer, explanation, legal_basis):
    # answer: one list of accepted spellings per ____ in the stem
    return {
        "code": code, "type": "fill_blank", "kp": kp, "difficulty": difficulty,
        "stem": stem, "options": [], "answer": [list(a) for a in answer],
        "explanation": explanation, "legal_basis": legal_basis, "points": FILL_POINTS,
    }


def essay(code, kp, difficulty, stem, reference_answer, marking_points, explanation, legal_basis):
    return {
        "code": code, "type": "essay", "kp": kp, "difficulty": difficulty,
        "stem": stem, "options": [], "answer": [],
        "reference_answer": reference_answer, "marking_points": list(marking_points),
        "explanation": explanation, "legal_basis": legal_basis, "points": ESSAY_POINTS,
    }
