"""Bearer-token authentication for the API, with a rate limit per token."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from sammen.core.ratelimit import allow

from .actions import do_mark_token_used
from .models import ApiToken
from .permissions import token_for

# Calls per token and minute; a client past it gets 429 until the next minute.
CALLS_PER_MINUTE = 120


class TokenAuth(HttpBearer):
    """`Authorization: Bearer smn_…`: the call acts as the token's owner.

    Sessions do not count: a browser's cookie never authenticates an API call, so
    the API needs no CSRF protection and a page cannot call it on a visitor's behalf.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token)
        if found is None:
            return None
        if not allow(f"api-token:{found.pk}", CALLS_PER_MINUTE, 60):
            raise HttpError(429, _("Too many calls with this token. Wait a minute."))
        do_mark_token_used(found)
        # The pages' permission functions read request.user; the token's owner acts.
        request.user = found.user
        return found

    def __call__(self, request: HttpRequest) -> Any:
        request.user = AnonymousUser()  # whatever a session said, only the token counts
        return super().__call__(request)
