"""Question-bank models. Questions and knowledge points live in questions.py; exam blueprints in blueprints.py."""

from .questions import KnowledgePoint, Question, QuestionStatus, QuestionType, QuestionVersion  # noqa: F401
