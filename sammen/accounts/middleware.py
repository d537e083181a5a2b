import logging
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from requests import RequestException

from .permissions import TwoFactorRequired
from .sso import OIDC, SHOWS_SSO_BUTTON, sso_form_origins, user_of

logger = logging.getLogger(__name__)


def two_factor_setup_response(request: HttpRequest) -> HttpResponse:
    """Send an organiser who must use two-factor authentication, and does not yet, to set it up."""
    messages.warning(
        request,
        _(
            "Owners and moderators of spaces on this site must use two-factor "
            "authentication. Set it up first."
        ),
        fail_silently=True,  # requests served without middleware have no message store
    )
    url = reverse("mfa_activate_totp")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)  # the whole page, not a swapped fragment
    return HttpResponseRedirect(url)


class OwnerTwoFactorMiddleware:
    """Turn TwoFactorRequired, raised by the permission layer, into the way to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        return two_factor_setup_response(request)


class SignInMethodMiddleware:
    """Note on each request's user which providers their session signed in with.

    Sits right after AuthenticationMiddleware; the user is still loaded only when
    something asks for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: user_of(request))  # type: ignore[assignment]
        response = self.get_response(request)
        if getattr(request, SHOWS_SSO_BUTTON, False):
            # The button's post is redirected to the provider: let the policy allow it.
            origins = sso_form_origins()
            if origins:
                response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer a provider that cannot be reached, or answers nonsense, with a calm page.

        allauth catches these on the way back from the provider, not on the way there
        (where it reads the provider's configuration first).
        """
        match = request.resolver_match
        if match is None or not match.url_name or not match.url_name.startswith(OIDC):
            return None
        if not isinstance(exception, RequestException | KeyError | ValueError):
            return None
        logger.warning("Single sign-on provider failed: %r", exception)
        return render(request, "socialaccount/authentication_error.html", status=502)
