import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Membership, Space

from .models import NAME_MAX_LENGTH, SHOWN_LENGTH, TOKEN_PREFIX, ApiToken, token_digest

MAX_LIVE_TOKENS = 50
MAX_LIFETIME = timedelta(days=366)
# Marking a token used is a write; once a minute is enough to tell which tokens work.
LAST_USED_PRECISION = timedelta(minutes=1)


def do_create_token(
    user: User,
    *,
    name: str,
    spaces: list[Space],
    can_write: bool,
    expires_at: datetime,
) -> tuple[ApiToken, str]:
    """Create a token for the person's own use; return it and its secret, shown this once."""
    now = timezone.now()
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ActionRefused(_("Give the token a name of at most 80 characters."), field="name")
    if not spaces:
        raise ActionRefused(_("Choose at least one space."), field="spaces")
    member_of = set(
        Membership.objects.filter(user=user, space__in=spaces).values_list("space_id", flat=True)
    )
    if any(space.pk not in member_of for space in spaces):
        raise ActionRefused(_("Choose only spaces you belong to."), field="spaces")
    if not now < expires_at <= now + MAX_LIFETIME:
        raise ActionRefused(
            _("Choose an expiry date after today and within a year."), field="expires_at"
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time
        live = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
        if live.count() >= MAX_LIVE_TOKENS:
            raise ActionRefused(_("You have many tokens already. Revoke one you no longer use."))
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=token_digest(raw),
            shown=raw[:SHOWN_LENGTH],
            can_write=can_write,
            created_at=now,
            expires_at=expires_at,
        )
        token.spaces.set(spaces)
    return token, raw


def do_revoke_token(user: User, token: ApiToken) -> None:
    """Stop a token from working, at once and for good. Revoking twice changes nothing."""
    if token.user_id != user.pk:
        raise ActionRefused(_("This token is not yours."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])


def do_mark_token_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
