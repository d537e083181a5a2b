from allauth.mfa.models import Authenticator
from django.conf import settings

from .models import User


class TwoFactorRequired(Exception):
    """Raised when an owner must turn on two-factor authentication before going on."""


def has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def require_two_factor_for_owner(user: User) -> None:
    """Raise TwoFactorRequired when the operator demands 2FA of owners and `user` has none."""
    if settings.SAMMEN_REQUIRE_2FA_FOR_OWNERS and not has_two_factor(user):
        raise TwoFactorRequired
