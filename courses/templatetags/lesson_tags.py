"""{% lesson_body %}: the lesson's blocks, with what all officers share from the cache (courses.rendering)."""

from django import template

from ..rendering import render_lesson_body

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_body(context):
    return render_lesson_body(context, context["page"])
