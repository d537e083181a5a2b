"""Who may use a token, and what a call made with one may reach.

Every API call acts as the token's owner through the same access_* functions as the
pages, and only inside the spaces the token names; writing needs a read+write token.
"""

import hmac

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.permissions import ActivityAccess, access_activity
from sammen.spaces.permissions import SpaceAccess, access_space

from .models import TOKEN_PREFIX, ApiToken, token_digest

# A token is the prefix and 43 URL-safe characters; anything much longer is no token.
RAW_MAX_LENGTH = 100


class ReadOnlyToken(PermissionDenied):
    """A write asked with a token that may only read."""


def token_for(raw: str) -> ApiToken | None:
    """Return the usable token `raw` is, or None: unknown, revoked, expired or malformed."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > RAW_MAX_LENGTH or not raw.isascii():
        return None
    digest = token_digest(raw)
    token = ApiToken.objects.select_related("user").filter(digest=digest).first()
    # The lookup is by the digest's index; comparing again in constant time keeps a
    # timing difference from telling anything about stored digests.
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    if not token.is_usable() or not token.user.is_active:
        return None
    return token


def token_of(request: HttpRequest) -> ApiToken:
    """Return the token the API's authentication put on the request."""
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise PermissionDenied
    return token


def api_space(request: HttpRequest, space_slug: str, *, write: bool = False) -> SpaceAccess:
    """Return the space as the token's owner may use it; 404 outside the token's spaces."""
    token = token_of(request)
    if not token.spaces.filter(slug=space_slug).exists():
        raise Http404
    if write and not token.can_write:
        raise ReadOnlyToken(_("This token may only read. Create a read and write token."))
    return access_space(token.user, space_slug)


def api_activity(
    request: HttpRequest,
    space_slug: str,
    activity_slug: str,
    *,
    write: bool = False,
    manage: bool = False,
) -> ActivityAccess:
    """Return the activity as the token's owner may use it (404 hidden, 403 not theirs to run)."""
    api_space(request, space_slug, write=write)
    return access_activity(token_of(request).user, space_slug, activity_slug, manage=manage)


def access_token(user: User, token_id: int) -> ApiToken:
    """Return one of the person's own tokens; 404 for anyone else's."""
    return get_object_or_404(ApiToken, pk=token_id, user=user)
