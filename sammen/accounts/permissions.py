from allauth.mfa.models import Authenticator
from django.conf import settings

from .models import User


class TwoFactorRequired(Exception):
    """Raised when an organiser must turn on two-factor authentication before going on."""


def has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def lacks_required_two_factor(user: User) -> bool:
    """Return whether the operator demands 2FA of organisers and `user` has none."""
    return bool(settings.SAMMEN_REQUIRE_2FA_FOR_OWNERS) and not has_two_factor(user)
