from typing import Any

from django.db.models import QuerySet

from sammen.accounts.models import User
from sammen.spaces.models import Space

from .models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return the person's tokens, newest first, with their spaces."""
    return ApiToken.objects.filter(user=user).prefetch_related("spaces")


def spaces_for_tokens(user: User) -> QuerySet[Space]:
    """Return the spaces a person may give a token: those they belong to."""
    return Space.objects.filter(memberships__user=user).order_by("name")


def personal_token_data(user: User) -> dict[str, Any]:
    return {
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.shown,
                "spaces": [space.slug for space in token.spaces.all()],
                "can_write": token.can_write,
                "created_at": token.created_at.isoformat(),
                "expires_at": token.expires_at.isoformat(),
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            }
            for token in tokens_of(user)
        ]
    }
