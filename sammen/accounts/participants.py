"""The signed cookie that lets an anonymous participant come back, and claim their work later."""

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .models import Participant, User

COOKIE_NAME = "sammen_participant"
COOKIE_SALT = "sammen.participant"
COOKIE_MAX_AGE = 365 * 24 * 3600


def anonymous_participant_from(request: HttpRequest) -> Participant | None:
    """Return the anonymous participant this browser's signed cookie names, if any."""
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    if not value:
        return None
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        return None
    return Participant.objects.filter(
        public_id=public_id, user__isnull=True, erased_at__isnull=True
    ).first()


def participant_of(request: HttpRequest) -> Participant | None:
    """Return the viewer's participant: their account's, or this browser's anonymous one."""
    user = request.user
    if isinstance(user, User):
        return Participant.objects.filter(user=user).select_related("user").first()
    return anonymous_participant_from(request)


def remember_participant(response: HttpResponse, participant: Participant) -> None:
    """Let this browser come back as `participant`."""
    response.set_signed_cookie(
        COOKIE_NAME,
        str(participant.public_id),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.HTTPS,
    )


def forget_participant(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
