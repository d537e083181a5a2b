from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from . import hooks
from .models import Participant, User
from .permissions import has_two_factor


def personal_data_of(user: User) -> dict[str, Any]:
    """Return everything Sammen holds about `user` and what they contributed, as JSON data."""
    participant = Participant.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "format": "sammen-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "reading_language": user.reading_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "avatar": user.avatar.url if user.avatar else None,
            "two_factor_enabled": has_two_factor(user),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "participant": {
            "id": str(participant.public_id),
            "created_at": participant.created_at.isoformat(),
            "claimed_at": participant.claimed_at.isoformat() if participant.claimed_at else None,
        }
        if participant
        else None,
    }
    for section in hooks.personal_data_sections:
        data.update(section(user))
    return data
