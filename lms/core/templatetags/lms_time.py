"""`{% load lms_time %}`: {{ start|time_range:end }} and {{ moment|local_datetime }} (see lms.core.timefmt)."""

from django import template

from lms.core.timefmt import format_datetime, format_range

register = template.Library()


@register.filter
def time_range(start, end):
    return format_range(start, end)


@register.filter
def local_datetime(value):
    return format_datetime(value)
