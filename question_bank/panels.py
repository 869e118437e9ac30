"""The item-writing checks panel on the question edit page (命题规范检查)."""

from django.urls import reverse

from wagtail.admin.panels import Panel


class ItemChecksPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "question_bank/panels/item_checks.html"

        def get_context_data(self, parent_context=None):
            from .item_checks import check_question

            context = super().get_context_data(parent_context)
            instance = self.instance
            if instance is not None and instance.pk:
                context["findings"] = check_question(instance)
                context["review_url"] = reverse("question_bank_tools:question_checks", args=[instance.pk])
            return context
