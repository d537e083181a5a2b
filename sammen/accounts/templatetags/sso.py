from typing import Any

from django import template
from django.urls import reverse

from sammen.accounts.sso import OIDC, SHOWS_SSO_BUTTON, Provider
from sammen.accounts.sso import sso_providers as configured_providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[Provider]:
    """Return the OpenID Connect providers people can sign in with here."""
    return configured_providers()


@register.simple_tag(takes_context=True)
def sso_login_url(context: dict[str, Any], provider: Any) -> str:
    """Return where a "Sign in with …" button posts, and let the page's policy allow it.

    `provider` is one of ours (sso.Provider) or allauth's, whose app knows the id.
    """
    request = context.get("request")
    if request is not None:
        setattr(request, SHOWS_SSO_BUTTON, True)
    app = getattr(provider, "app", None)
    provider_id = app.provider_id if app is not None else provider.id
    return reverse(f"{OIDC}_login", kwargs={"provider_id": provider_id})
