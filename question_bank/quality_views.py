"""Admin screens for exam quality: the item-writing report of the bank, one question's warnings (mark as
considered), exclusion-group proposals (accept / not the same fact) and the groups (split / merge).

Thin views: the work is in item_checks, services.reviews and exclusion.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages

from .exclusion import (
    ExclusionError,
    accept_proposal,
    merge_groups,
    propose_groups,
    reject_proposal,
    split_group,
)
from .item_checks import CHECK_LABELS, SEVERE, bank_report, blueprint_key_distributions, check_question
from .models import Blueprint, ExclusionGroup, ExclusionGroupMember, Question, QuestionType
from .services.reviews import ReviewError, consider_warning, withdraw_consideration

PER_PAGE = 25


def _require(request, *codenames: str) -> None:
    if not all(request.user.has_perm(f"question_bank.{codename}") for codename in codenames):
        raise PermissionDenied


def checks_report(request):
    """The bank's item-writing report: counts per check, key positions per type and per blueprint, and the
    questions with open warnings."""
    _require(request, "view_question")
    report = bank_report()
    only = request.GET.get("check", "")
    open_findings = report.open_findings()
    if only in CHECK_LABELS:
        open_findings = {c: [f for f in fs if f.check == only] for c, fs in open_findings.items()
                         if any(f.check == only for f in fs)}
    codes = sorted(open_findings)
    page = Paginator(codes, PER_PAGE).get_page(request.GET.get("p"))
    questions = {q.code: q for q in Question.objects.filter(code__in=list(page.object_list))}
    type_labels = dict(QuestionType.choices)
    blueprints = []
    for blueprint in Blueprint.objects.order_by("name"):
        distributions = blueprint_key_distributions(blueprint)
        blueprints.append({"blueprint": blueprint, "distributions": [
            {"label": type_labels.get(t, t), "dist": d} for t, d in sorted(distributions.items())]})
    return render(request, "question_bank/checks_report.html", {
        "report": report,
        "longest_pct": round(float(report.longest.rate) * 100, 1),
        "chance_pct": round(float(report.longest.chance_rate) * 100, 1),
        "counts": report.counts(),
        "distributions": [{"label": type_labels.get(t, t), "dist": d} for t, d in sorted(report.distributions.items())],
        "blueprints": blueprints,
        "page": page,
        "rows": [{"code": code, "question": questions.get(code), "findings": open_findings[code]}
                 for code in page.object_list],
        "only": only,
        "check_labels": [(code, str(label)) for code, label in CHECK_LABELS.items()],
        "severe": SEVERE,
    })


@require_http_methods(["GET", "POST"])
def question_checks(request, pk: int):
    """One question's warnings; each can be marked as considered with a reason, or reopened."""
    _require(request, "view_question")
    question = get_object_or_404(Question, pk=pk)
    if request.method == "POST":
        _require(request, "change_question")
        check = request.POST.get("check", "")
        try:
            if request.POST.get("action") == "reopen":
                withdraw_consideration(question=question, check=check, actor=request.user)
                messages.success(request, _("The warning is open again."))
            else:
                consider_warning(question=question, check=check, reason=request.POST.get("reason", ""),
                                 actor=request.user)
                messages.success(request, _("Marked as considered."))
        except ReviewError as exc:
            messages.error(request, exc.message)
        return redirect("question_bank_tools:question_checks", pk=question.pk)
    return render(request, "question_bank/question_checks.html", {
        "question": question,
        "findings": check_question(question),
        "edit_url": reverse("wagtailsnippets_question_bank_question:edit", args=[question.pk]),
    })


def _questions(request, name: str) -> list[Question]:
    ids = [int(v) for v in request.POST.getlist(name) if v.isdigit()]
    return list(Question.objects.filter(pk__in=ids))


@require_http_methods(["GET", "POST"])
def group_proposals(request):
    """Automatic proposals: accept (a new group, or the one existing group grows) or reject (never again)."""
    _require(request, "view_question")
    if request.method == "POST":
        _require(request, "change_question")
        questions = _questions(request, "question")
        try:
            if request.POST.get("action") == "reject":
                if len(questions) < 2:
                    raise ExclusionError(_("Choose at least two questions."))
                reject_proposal(questions=questions, actor=request.user)
                messages.success(request, _("Not proposed together again."))
            else:
                group = accept_proposal(questions=questions, name=request.POST.get("name", ""), actor=request.user)
                messages.success(request, _("Group %(code)s saved.") % {"code": group.code})
        except ExclusionError as exc:
            messages.error(request, exc.message)
        return redirect(f"{reverse('question_bank_tools:group_proposals')}?p={request.POST.get('p', '')}")
    proposals = propose_groups()
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("p"))
    ids = {i for p in page.object_list for i in p.question_ids}
    questions = Question.objects.in_bulk(ids)
    return render(request, "question_bank/group_proposals.html", {
        "page": page,
        "proposals": [{"proposal": p, "questions": [questions[i] for i in p.question_ids if i in questions]}
                      for p in page.object_list],
        "total": len(proposals),
    })


@require_http_methods(["GET", "POST"])
def groups_index(request):
    """The groups with their questions: split some off, or merge several groups."""
    _require(request, "view_question")
    if request.method == "POST":
        _require(request, "change_question")
        try:
            if request.POST.get("action") == "merge":
                groups = list(ExclusionGroup.objects.filter(pk__in=[int(v) for v in request.POST.getlist("group")
                                                                    if v.isdigit()]))
                merged = merge_groups(groups=groups, actor=request.user)
                messages.success(request, _("Merged into %(code)s.") % {"code": merged.code})
            else:
                group = get_object_or_404(ExclusionGroup, pk=request.POST.get("group_id", "0"))
                split_group(group=group, questions=_questions(request, "question"), actor=request.user)
                messages.success(request, _("Split off from %(code)s.") % {"code": group.code})
        except (ExclusionError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect(f"{reverse('question_bank_tools:groups')}?p={request.POST.get('p', '')}&q={request.POST.get('q', '')}")
    groups = ExclusionGroup.objects.annotate(size=Count("members")).prefetch_related(
        Prefetch("members", queryset=ExclusionGroupMember.objects.select_related("question").order_by("question__code")))
    query = request.GET.get("q", "").strip()
    if query:
        groups = groups.filter(code__icontains=query) | groups.filter(name__icontains=query) | groups.filter(
            members__question__code__icontains=query)
        groups = groups.distinct()
    page = Paginator(groups.order_by("code"), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "question_bank/groups.html", {"page": page, "query": query})
