from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .rendering import bump_body_generation, bump_tree_generation

        # A cached lesson body shows image renditions and document links: retire them all when one changes.
        for model in (get_image_model(), get_document_model()):
            post_save.connect(bump_body_generation, sender=model, dispatch_uid=f"lesson-body-{model._meta.label}")
            post_delete.connect(bump_body_generation, sender=model, dispatch_uid=f"lesson-body-del-{model._meta.label}")
        # A cached lesson position (course, number, next lesson) changes with the tree.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(bump_tree_generation, dispatch_uid=f"lesson-tree-{signal}")
        post_delete.connect(bump_tree_generation, sender="wagtailcore.Page", dispatch_uid="lesson-tree-delete")
        # An officer's completion of a lesson is cached for the lesson page; written through here.
        from .rendering import forget_completion, remember_completion

        post_save.connect(remember_completion, sender="courses.LessonProgress", dispatch_uid="lesson-completion")
        post_delete.connect(forget_completion, sender="courses.LessonProgress", dispatch_uid="lesson-completion-del")
        # Cached routes hold the site and the view restrictions too.
        for sender in ("wagtailcore.Site", "wagtailcore.PageViewRestriction"):
            post_save.connect(bump_tree_generation, sender=sender, dispatch_uid=f"lesson-tree-save-{sender}")
            post_delete.connect(bump_tree_generation, sender=sender, dispatch_uid=f"lesson-tree-del-{sender}")
        m2m_changed.connect(bump_tree_generation, sender="wagtailcore.PageViewRestriction_groups",
                            dispatch_uid="lesson-tree-restriction-groups")
