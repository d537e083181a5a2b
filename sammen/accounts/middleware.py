from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .permissions import TwoFactorRequired


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
