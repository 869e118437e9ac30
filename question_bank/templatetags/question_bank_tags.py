"""Template helpers for rendering questions."""

from django import template

register = template.Library()


@register.filter
def blanks(count) -> range:
    """range(1, count + 1), for one input per blank of a fill-in question."""
    return range(1, int(count or 0) + 1)
