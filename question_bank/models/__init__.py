"""Question-bank models. Questions and knowledge points live in questions.py; exam blueprints in blueprints.py."""

from .blueprints import (  # noqa: F401
    Blueprint,
    BlueprintDifficultyQuota,
    BlueprintKnowledgeQuota,
    BlueprintSection,
)
from .quality import ExclusionGroup, ExclusionGroupMember, ExclusionSeparation, ItemCheckReview  # noqa: F401
from .questions import (  # noqa: F401
    KnowledgePoint,
    Question,
    QuestionStatus,
    QuestionType,
    QuestionUse,
    QuestionVersion,
)
from .statistics import HealthFlag, VersionHealth, VersionSessionStatistics  # noqa: F401
