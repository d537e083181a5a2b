from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import sso_requirement_for


class SingleSignOnMiddleware:
    """Explain a refusal that single sign-on would lift.

    An owner or moderator of a space that requires single sign-on, whose session did
    not sign in through its provider, uses the space as a member
    (spaces.permissions.space_access_for), so organisers' pages refuse them
    (PermissionDenied). On a page of a space, such a refusal says why, and offers the
    way in, instead of the plain 403 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        match = request.resolver_match
        slug = match.kwargs.get("space_slug") if match is not None else None
        if not isinstance(slug, str) or not request.user.is_authenticated:
            return None
        requirement = sso_requirement_for(request.user, slug)
        if requirement is None:
            return None
        space, provider = requirement
        return render(
            request,
            "spaces/sso_required.html",
            {"space": space, "provider": provider},
            status=403,
        )
