from django import template

from sammen.accounts.sso import Provider
from sammen.accounts.sso import sso_providers as configured_providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[Provider]:
    """Return the OpenID Connect providers people can sign in with here."""
    return configured_providers()
