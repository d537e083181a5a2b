from datetime import date, datetime

from django import template
from django.utils.safestring import SafeString

from sammen.core.dates import time_element
from sammen.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render text people wrote in Sammen's safe Markdown subset."""
    return render_markdown(text or "")


@register.filter
def when(value: date | datetime | None, style: str = "moment") -> SafeString:
    """Write a date or moment in a <time> element: `|when`, or `|when:"date"` for the day."""
    return time_element(value, style)


@register.filter
def isodate(value: str) -> date | str:
    """Read a day stored as ISO text ("2026-12-02") so `|when:"date"` can write it; else as is."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def ago(value: datetime | None) -> SafeString:
    """Write how long ago a moment was ("3 hours ago"), its full date and time as the title."""
    return time_element(value, "ago")
