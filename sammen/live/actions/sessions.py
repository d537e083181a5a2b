"""The session: its join code, its settings, its crew, what the big screen shows."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction
from sammen.spaces.models import Membership

from ..events import Event, publish
from ..models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    EMAIL_DOMAIN_MAX_LENGTH,
    Admission,
    CrewMember,
    CrewRole,
    LiveSession,
    Moderation,
    Poll,
    Screen,
)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def do_setup_live_session(activity: Activity) -> LiveSession:
    """Give an activity of the live kind its session and join code, once."""
    existing = LiveSession.objects.filter(activity=activity).first()
    if existing is not None:
        return existing
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return LiveSession.objects.create(activity=activity, code=new_code())
        except IntegrityError:
            continue  # the code was taken: draw another
    raise ActionRefused(_("No free join code was found. Please try again."))


def do_renew_join_code(actor: User, session: LiveSession) -> str:
    """Give the session a new join code, for when the old one reached the wrong people."""
    for _attempt in range(10):
        code = new_code()
        try:
            with transaction.atomic():
                LiveSession.objects.filter(pk=session.pk).update(code=code)
                do_log_audit_entry(
                    actor,
                    session.activity.space,
                    AuditAction.LIVE_UPDATED,
                    session.activity,
                    code="renewed",
                )
        except IntegrityError:
            continue
        session.code = code
        publish(session.pk, Event.stage())
        return code
    raise ActionRefused(_("No free join code was found. Please try again."))


@dataclass(frozen=True)
class LiveSettings:
    admission: str = Admission.ANYONE
    email_domain: str = ""
    moderation: str = Moderation.POST
    anonymous_questions: bool = True
    reactions_enabled: bool = True
    results_to_participants: bool = True
    attached_to: Activity | None = None


def do_update_live_settings(actor: User, session: LiveSession, new: LiveSettings) -> None:
    """Save who may join, how questions are moderated, and what participants may do."""
    if new.admission not in Admission.values:
        raise ActionRefused(_("Choose who may join from the options offered."), field="admission")
    if new.moderation not in Moderation.values:
        raise ActionRefused(_("Choose how questions are moderated."), field="moderation")
    domain = new.email_domain.strip().lower().lstrip("@")
    if new.admission == Admission.DOMAIN:
        if (
            not domain
            or "." not in domain
            or len(domain) > EMAIL_DOMAIN_MAX_LENGTH
            or " " in domain
        ):
            raise ActionRefused(
                _("Give the email domain people must sign in with, like example.org."),
                field="email_domain",
            )
    else:
        domain = ""
    attached = new.attached_to
    if attached is not None and (
        attached.space_id != session.activity.space_id or attached.pk == session.activity.pk
    ):
        raise ActionRefused(
            _("A session can only be part of another activity of the same space."),
            field="attached_to",
        )
    with transaction.atomic():
        session.admission, session.email_domain = new.admission, domain
        session.moderation = new.moderation
        session.anonymous_questions = new.anonymous_questions
        session.reactions_enabled = new.reactions_enabled
        session.results_to_participants = new.results_to_participants
        session.attached_to = attached
        session.save(
            update_fields=[
                "admission",
                "email_domain",
                "moderation",
                "anonymous_questions",
                "reactions_enabled",
                "results_to_participants",
                "attached_to",
            ]
        )
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_UPDATED,
            session.activity,
            admission=new.admission,
            moderation=new.moderation,
            part_of=attached.title if attached else "",
        )
        publish(session.pk, Event.polls(), Event.questions(), Event.stage())


def do_set_crew_role(actor: User, session: LiveSession, user: User, role: str) -> None:
    """Make a member of the space a moderator or presenter of the session; "" removes them."""
    if role and role not in CrewRole.values:
        raise ActionRefused(_("Choose one of the roles offered."), field="role")
    if not Membership.objects.filter(space=session.activity.space, user=user).exists():
        raise ActionRefused(_("Helpers must be members of the space."), field="user")
    with transaction.atomic():
        if role:
            CrewMember.objects.update_or_create(session=session, user=user, defaults={"role": role})
        else:
            CrewMember.objects.filter(session=session, user=user).delete()
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_CREW_CHANGED,
            session.activity,
            person=user.display_name,
            role=role or "none",
        )


def do_show_on_screen(session: LiveSession, screen: str, poll: Poll | None = None) -> None:
    """Choose what the presenter view shows: how to join, a poll, questions, the leaderboard."""
    if screen not in Screen.values:
        raise ActionRefused(_("Choose what to show from the options offered."))
    if screen == Screen.POLL and (poll is None or poll.session_id != session.pk):
        raise ActionRefused(_("Choose a poll of this session."))
    session.screen = screen
    session.shown_poll = poll if screen == Screen.POLL else session.shown_poll
    with transaction.atomic():
        session.save(update_fields=["screen", "shown_poll"])
        publish(session.pk, Event.stage())


def do_set_questions_open(actor: User, session: LiveSession, is_open: bool) -> None:
    """Lock or unlock Q&A: while locked nobody asks, but everyone still reads and upvotes."""
    with transaction.atomic():
        session.questions_open = is_open
        session.save(update_fields=["questions_open"])
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_QUESTIONS_LOCKED,
            session.activity,
            open=is_open,
        )
        # STAGE too: whether asking is open is the session's state (hot.py forgets it).
        publish(session.pk, Event.questions(), Event.stage())
