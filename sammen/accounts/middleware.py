from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import TwoFactorRequired


class OwnerTwoFactorMiddleware:
    """Send an owner who must use two-factor authentication, and does not yet, to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        messages.warning(
            request,
            _("Space owners on this site must use two-factor authentication. Set it up first."),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
