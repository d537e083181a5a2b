"""The signed cookie that lets an anonymous participant come back, and claim their work later."""

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow, client_ip

from .actions import do_create_anonymous_participant
from .models import Participant, ParticipantEmail, User

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


def has_verified_email(participant: Participant | None) -> bool:
    """Accounts verify their address at sign-up; others prove one with a one-time link."""
    if participant is None:
        return False
    if participant.user_id is not None:
        return True
    return ParticipantEmail.objects.filter(participant=participant).exists()


def participant_for(
    request: HttpRequest, known: Participant | None, *, bucket: str, per_hour: int
) -> tuple[Participant, bool]:
    """Return the participant who acts in this request, and whether it was just created.

    `known` is the viewer's participant as the caller found it (`participant_of`); a
    visitor without one gets a new anonymous participant, at most `per_hour` an hour
    from one network, counted in `<bucket>:<network>`. Each kind passes a bucket of
    its own (`call-new-participant`), so one kind's newcomers never use up another's.
    Past the limit, refuse and create nothing. The caller remembers a new participant
    (`remember_participant`) on the response it sends.
    """
    if known is not None:
        return known, False
    if not allow(f"{bucket}:{client_ip(request)}", per_hour, 3600):
        raise ActionRefused(_("Too many new visitors from your network. Try again later."))
    return do_create_anonymous_participant(), True


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
