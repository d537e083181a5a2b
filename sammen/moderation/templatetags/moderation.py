from django import template

from sammen.spaces.models import Space

from ..models import Report

register = template.Library()


@register.simple_tag
def open_report_count(space: Space) -> int:
    """Return how many reports in the space wait for a moderator (one query)."""
    return Report.objects.filter(space=space, resolved_at__isnull=True).count()
