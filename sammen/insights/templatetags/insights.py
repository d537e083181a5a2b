from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

from sammen.insights.exports import hidden

register = template.Library()


@register.filter
def figure(value: object, decimals: int = 0) -> str:
    """Write a figure of the insights, or "fewer than 5" where it covers too few people."""
    if value is None:
        return hidden()
    if isinstance(value, float | Decimal):
        return str(floatformat(value, f"{decimals}g"))
    return str(intcomma(value))  # type: ignore[arg-type]
