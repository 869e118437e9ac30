"""Item health in the bank admin: the questions flagged for review, and each version's figures per exam.

Read-only: retiring or editing a flagged question is the trainer's decision, made on the question itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .models import HealthFlag, QuestionVersion, VersionHealth
from .services.item_health import MIN_ATTEMPTS, pooled_distractors


def _require(request):
    if not request.user.has_perm("question_bank.view_question"):
        raise PermissionDenied


def health_index(request):
    _require(request)
    show_all = request.GET.get("all") == "1"
    flag = request.GET.get("flag", "")
    healths = VersionHealth.objects.select_related("version__question__knowledge_point").order_by(
        "version__question__code", "version__number")
    if not show_all:
        healths = healths.filter(flagged=True)
    if flag in HealthFlag.values:
        healths = [h for h in healths if flag in h.flags]
    page = Paginator(healths, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "question_bank/health_index.html", {
        "page_title": _("Question health"), "header_icon": "warning", "page_obj": page, "show_all": show_all,
        "flag": flag, "flags": HealthFlag.choices, "min_attempts": MIN_ATTEMPTS,
    })


def health_detail(request, version_id):
    _require(request)
    version = get_object_or_404(QuestionVersion.objects.select_related("question__knowledge_point"), pk=version_id)
    rows = list(version.session_statistics.all())
    health = VersionHealth.objects.filter(version=version).first()
    labels = {"true": _("True"), "false": _("False")}
    pooled = pooled_distractors(rows)
    options = [{**o, "label": labels.get(o["key"], o["key"]),
                "text": _option_text(version, o["key"]),
                "top_share": o["top"] / pooled["top_size"] if pooled["top_size"] else None,
                "bottom_share": o["bottom"] / pooled["bottom_size"] if pooled["bottom_size"] else None}
               for o in pooled["options"]]
    return TemplateResponse(request, "question_bank/health_detail.html", {
        "page_title": _("Figures of %(code)s v%(n)d") % {"code": version.question.code, "n": version.number},
        "header_icon": "warning", "version": version, "rows": rows, "health": health, "options": options,
        "pooled": pooled, "min_attempts": MIN_ATTEMPTS,
        "edit_url": reverse("wagtailsnippets_question_bank_question:edit", args=[version.question_id]),
    })


def _option_text(version: QuestionVersion, key: str) -> str:
    from .grading import OPTION_KEYS, plain_text

    if key in ("true", "false"):
        return ""
    index = OPTION_KEYS.find(key)
    return plain_text(version.options[index]) if 0 <= index < len(version.options or []) else ""


class HealthMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("question_bank.view_question")


class HealthViewSet(ViewSet):
    name = "question_bank_health"
    url_prefix = "question_bank/health"
    icon = "warning"
    menu_label = gettext_lazy("Question health")
    menu_name = "question_health"
    menu_item_class = HealthMenuItem

    @property
    def menu_url(self):
        return reverse("question_bank_health:index")

    def get_urlpatterns(self):
        return [
            path("", health_index, name="index"),
            path("<int:version_id>/", health_detail, name="detail"),
        ]
