from django import template
from django.db.models import QuerySet

from sammen.demo.models import DemoAccount

register = template.Library()


@register.simple_tag
def demo_accounts() -> QuerySet[DemoAccount]:
    """Return the demo accounts, if the demo data is still loaded."""
    return DemoAccount.objects.select_related("user").order_by("position")


@register.simple_tag
def demo_password() -> str:
    from sammen.demo.data import DEMO_PASSWORD

    return DEMO_PASSWORD
