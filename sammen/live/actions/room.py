"""The room: reactions, and how many screens each process serves."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused

from ..events import publish
from ..models import Attendee, LiveSession, Presence, Reaction, ReactionKind

PRESENCE_FRESH_SECONDS = 20


def do_react(attendee: Attendee, kind: str) -> Reaction:
    session = attendee.session
    if kind not in ReactionKind.values:
        raise ActionRefused(_("Choose one of the reactions offered."))
    if not session.reactions_enabled or not session.is_live:
        raise ActionRefused(_("Reactions are off in this session."))
    with transaction.atomic():
        reaction = Reaction.objects.create(session=session, attendee=attendee, kind=kind)
        publish(session.pk, reaction=kind)
    return reaction


def do_record_presence(session_id: int, process: str, participants: int) -> int:
    """Store how many participants this process serves; return the audience over all processes.

    Also raises the session's peak audience when the audience is larger than ever.
    """
    now = timezone.now()
    with transaction.atomic():
        Presence.objects.update_or_create(
            session_id=session_id,
            process=process,
            defaults={"participants": participants, "updated_at": now},
        )
        audience = (
            Presence.objects.filter(
                session_id=session_id,
                updated_at__gte=now - timedelta(seconds=PRESENCE_FRESH_SECONDS),
            ).aggregate(total=Sum("participants"))["total"]
            or 0
        )
        LiveSession.objects.filter(pk=session_id, peak_audience__lt=audience).update(
            peak_audience=audience
        )
    return int(audience)
