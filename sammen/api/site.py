"""The API itself: one NinjaAPI at /api/, the shared endpoints and each kind's routers.

Every answer is JSON. Refusals carry a translated `detail` (and the `field` it is
about, when there is one): 401 without a usable token, 403 for what the token or its
owner may not do, 404 for what is not there or not theirs to see, 422 for input that
does not validate, 429 past the token's rate limit. Reads carry an ETag and answer
If-None-Match with 304 Not Modified.
"""

import hashlib
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from sammen.accounts.permissions import TwoFactorRequired
from sammen.core.errors import ActionRefused

from .auth import TokenAuth
from .endpoints import router as shared_router
from .registry import registered_routers

VERSION = "v1"
DESCRIPTION = (
    "Read Sammen's spaces, activities and results, and take part, with a personal "
    "access token: `Authorization: Bearer smn_…`. Create one under Account → API tokens."
)


class SammenApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # What a token may see depends on its owner, and the words on the language.
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        patch_cache_control(response, private=True, no_cache=True)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Vary", "Cache-Control"):
                not_modified[header] = response[header]
            return not_modified
        return response


def refusal(api: NinjaAPI, request: HttpRequest, status: int, detail: str, **more: Any) -> Any:
    return api.create_response(request, {"detail": detail, **more}, status=status)


def add_exception_handlers(api: NinjaAPI) -> None:
    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return refusal(api, request, 404, _("Not found, or not yours to see with this token."))

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return refusal(api, request, 403, str(exc) or _("You may not do this."))

    def two_factor(request: HttpRequest, exc: Any) -> HttpResponse:
        return refusal(
            api, request, 403, _("Turn on two-factor authentication to manage this space.")
        )

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return refusal(api, request, 422, str(exc.message), field=exc.field)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = refusal(
            api,
            request,
            401,
            _("Send a valid token in the header: Authorization: Bearer smn_…"),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(TwoFactorRequired, two_factor)
    api.add_exception_handler(ActionRefused, refused)
    api.add_exception_handler(AuthenticationError, unauthenticated)


@cache
def sammen_api() -> NinjaAPI:
    """Build the API once, when the URLs are first loaded (after every app's ready())."""
    api = SammenApi(
        title="Sammen API",
        version=VERSION,
        description=DESCRIPTION,
        auth=TokenAuth(),
        urls_namespace="api-v1",
        openapi_url="/openapi.json",
        docs_url=None,
    )
    add_exception_handlers(api)
    api.add_router(f"/{VERSION}/", shared_router)
    for registered in registered_routers():
        api.add_router(f"/{VERSION}/{registered.prefix}", registered.router, tags=[registered.tag])
    return api
