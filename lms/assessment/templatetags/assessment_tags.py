"""Small display helpers for the assessment screens."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def cell_score(unit, code):
    cell = unit.cells.get(code)
    if cell is None:
        return ""
    if cell.status == "missing":
        return format_html('<span class="w-status w-status--primary" title="{}">{} {}</span>', cell.source,
                           cell.score, _("missing"))
    return cell.score


@register.simple_tag
def stars(value):
    if value is None:
        return ""
    if not value:
        return _("none")
    return format_html('<span aria-label="{}">{}</span>', _("%(n)s stars") % {"n": value}, "★" * value)


@register.simple_tag
def move(moves, unit_id):
    delta = moves.get(unit_id, 0)
    if delta > 0:
        return format_html('<span style="color:#0a7d32" data-up="{}">▲{}</span>', delta, delta)
    if delta < 0:
        return format_html('<span style="color:#b4211a" data-down="{}">▼{}</span>', -delta, -delta)
    return "–"


@register.simple_tag
def ranking_groups(result):
    return [
        {"kind": "street", "title": _("Street offices"), "units": result.streets},
        {"kind": "squad", "title": _("Squads"), "units": result.squads},
    ]
