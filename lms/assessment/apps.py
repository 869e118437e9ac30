from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """The annual rule-of-law assessment (依法行政工作考核): schemes, unit scores, star ratings."""

    name = "lms.assessment"
    label = "assessment"
    verbose_name = _("Annual assessment")
