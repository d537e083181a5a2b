"""Joining a session: who is let in, and under what name."""

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Block

from ..events import Event, publish
from ..models import NAME_MAX_LENGTH, Admission, Attendee, LiveSession
from ..names import friendly_name
from .text import clean_text


def admission_refusal(session: LiveSession, participant: Participant, name: str) -> str:
    """Return why this participant may not join (translated), or "" when they may."""
    user = participant.user
    if user is not None and Block.objects.filter(space=session.activity.space, user=user).exists():
        return _("The organisers of this space have blocked you.")
    if session.admission == Admission.NAMED and not name.strip():
        return _("This session asks everyone for a name. Tell the room what to call you.")
    if session.admission in {Admission.ACCOUNTS, Admission.DOMAIN} and user is None:
        return _("This session is for people with an account. Sign in to join.")
    if session.admission == Admission.DOMAIN and user is not None:
        domain = user.email.rpartition("@")[2].lower()
        if domain != session.email_domain:
            return _("This session is for people with an email address at %(domain)s.") % {
                "domain": session.email_domain
            }
    return ""


def do_join_session(session: LiveSession, participant: Participant, *, name: str = "") -> Attendee:
    """Let a participant in, under the name they chose or a friendly generated one.

    Joining again returns the same attendee, so a reload or a second tap changes nothing.
    """
    existing = Attendee.objects.filter(session=session, participant=participant).first()
    if existing is not None:
        return existing
    if not session.is_live:
        raise ActionRefused(_("This session is not live right now."))
    refusal = admission_refusal(session, participant, name)
    if refusal:
        raise ActionRefused(refusal, field="name")
    if name.strip():
        name = clean_text(name, max_length=NAME_MAX_LENGTH, empty="", field="name", one_line=True)
    elif participant.user is not None:
        name = participant.user.display_name[:NAME_MAX_LENGTH]
    else:
        name = friendly_name(get_language() or "en")
    try:
        with transaction.atomic():
            attendee = Attendee.objects.create(session=session, participant=participant, name=name)
    except IntegrityError:  # the same person joined twice at the same moment
        return Attendee.objects.get(session=session, participant=participant)
    publish(session.pk, Event.audience())
    return attendee


def do_rename_attendee(attendee: Attendee, name: str) -> None:
    name = clean_text(
        name,
        max_length=NAME_MAX_LENGTH,
        empty=_("Tell the room what to call you."),
        field="name",
        one_line=True,
    )
    with transaction.atomic():
        attendee.name = name
        attendee.save(update_fields=["name"])
        publish(attendee.session_id, Event.questions(), Event.mine(attendee.pk))
