from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "lms.exams"
    label = "exams"
    verbose_name = _("Exams")

    def ready(self):
        from django.db.models.signals import post_save

        from .models import ExamSession
        from .services.sitting import forget_session_facts

        post_save.connect(forget_session_facts, sender=ExamSession, dispatch_uid="exams.forget_session_facts")
