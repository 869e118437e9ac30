from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        from .rendering import bump_generation

        # A cached lesson body shows image renditions and document links: retire them all when one changes.
        for model in (get_image_model(), get_document_model()):
            post_save.connect(bump_generation, sender=model, dispatch_uid=f"lesson-body-{model._meta.label}-save")
            post_delete.connect(bump_generation, sender=model, dispatch_uid=f"lesson-body-{model._meta.label}-del")
