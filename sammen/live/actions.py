"""Every write of a live session. Each refuses bad input before it changes anything,
and tells the screens what changed only after the transaction commits."""

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Block, Membership

from .analysis import quiz_points
from .audit_actions import AuditAction
from .events import publish
from .language import looks_profane
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    EMAIL_DOMAIN_MAX_LENGTH,
    HIDDEN_REASON_MAX_LENGTH,
    MAX_OPTIONS,
    MAX_POLLS,
    NAME_MAX_LENGTH,
    OPTION_MAX_LENGTH,
    POLL_TITLE_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TEXT_ANSWER_MAX_LENGTH,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    Admission,
    Attendee,
    Choice,
    CrewMember,
    CrewRole,
    LiveSession,
    Moderation,
    Option,
    Poll,
    PollKind,
    PollState,
    Presence,
    Question,
    QuestionStatus,
    Reaction,
    ReactionKind,
    Response,
    Screen,
    TextDisplay,
    Upvote,
)
from .names import friendly_name

PRESENCE_FRESH_SECONDS = 20


# Text people type -------------------------------------------------------------------


def clean_text(text: str, *, max_length: int, empty: str, field: str, one_line: bool) -> str:
    """Return `text` trimmed, or refuse it: empty, too long, or with invisible characters."""
    text = (text or "").strip()
    if not text:
        raise ActionRefused(empty, field=field)
    if len(text) > max_length:
        raise ActionRefused(
            _("Keep it to %(count)s characters or fewer.") % {"count": max_length}, field=field
        )
    allowed = {"\n", "\r", "\t"} if not one_line else set()
    if any(
        unicodedata.category(character) in {"Cc", "Cs", "Co"} and character not in allowed
        for character in text
    ):
        raise ActionRefused(
            _("Remove the invisible control characters from this text."), field=field
        )
    if one_line and ("\n" in text or "\r" in text):
        raise ActionRefused(_("Keep this on one line."), field=field)
    return text


def languages_of(session: LiveSession) -> list[str]:
    return [session.activity.space.default_language, get_language() or "en"]


# The session ------------------------------------------------------------------------


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
        publish(session.pk, "stage")
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
        publish(session.pk, "polls", "questions", "stage")


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
        publish(session.pk, "stage")


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
        publish(session.pk, "questions")


# Joining ----------------------------------------------------------------------------


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
    publish(session.pk, "audience")
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
        publish(attendee.session_id, "questions", f"mine:{attendee.pk}")


# Questions --------------------------------------------------------------------------


def do_ask_question(attendee: Attendee, text: str, *, anonymous: bool = False) -> Question:
    """Ask the room a question. It shows at once, or after approval when the session asks for
    that, or when a word in it is on the profanity list."""
    session = attendee.session
    if not session.is_live:
        raise ActionRefused(_("This session is not live right now."))
    if not session.questions_open:
        raise ActionRefused(_("Questions are closed for now."))
    text = clean_text(
        text,
        max_length=QUESTION_MAX_LENGTH,
        empty=_("Write your question first."),
        field="text",
        one_line=False,
    )
    if anonymous and not session.anonymous_questions:
        raise ActionRefused(
            _("In this session, questions show the asker's name."), field="anonymous"
        )
    flagged = looks_profane(text, languages_of(session))
    status = QuestionStatus.PENDING if session.pre_moderated or flagged else QuestionStatus.VISIBLE
    with transaction.atomic():
        question = Question.objects.create(
            session=session,
            author=attendee,
            text=text,
            anonymous=anonymous,
            status=status,
            flagged=flagged,
        )
        publish(session.pk, "questions", f"mine:{attendee.pk}")
    return question


def do_upvote_question(attendee: Attendee, question: Question, *, up: bool = True) -> bool:
    """Add (or take back) one's vote for a question. Return True if it changed anything.

    The unique constraint keeps one vote per person; the count moves in the same
    transaction as the vote row, so the count shown is the count stored.
    """
    if question.session_id != attendee.session_id:
        raise ActionRefused(_("This question belongs to another session."))
    if question.status != QuestionStatus.VISIBLE:
        raise ActionRefused(_("This question is not shown, so it cannot get votes."))
    if question.author_id == attendee.pk:
        raise ActionRefused(_("You cannot vote for your own question."))
    with transaction.atomic():
        if up:
            try:
                with transaction.atomic():
                    Upvote.objects.create(question=question, attendee=attendee)
            except IntegrityError:
                return False
            Question.objects.filter(pk=question.pk).update(upvote_count=F("upvote_count") + 1)
        else:
            deleted, _rows = Upvote.objects.filter(question=question, attendee=attendee).delete()
            if not deleted:
                return False
            Question.objects.filter(pk=question.pk, upvote_count__gt=0).update(
                upvote_count=F("upvote_count") - 1
            )
        publish(question.session_id, "questions")
    question.refresh_from_db(fields=["upvote_count"])
    return True


class Moderate:
    APPROVE = "approve"
    HIDE = "hide"
    RESTORE = "restore"
    PIN = "pin"
    UNPIN = "unpin"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    ALL = (APPROVE, HIDE, RESTORE, PIN, UNPIN, ANSWERED, UNANSWERED)


def check_reason(reason: str) -> str:
    return clean_text(
        reason,
        max_length=HIDDEN_REASON_MAX_LENGTH,
        empty=_("Say why you hide it: the author sees the reason."),
        field="reason",
        one_line=True,
    )


def moderate_one(actor: User, question: Question, action: str, reason: str) -> None:
    """Apply one moderation act inside the caller's transaction, with its audit entry."""
    fields: list[str]
    if action == Moderate.APPROVE:
        question.status, question.hidden_reason = QuestionStatus.VISIBLE, ""
        fields = ["status", "hidden_reason"]
    elif action == Moderate.HIDE:
        question.status, question.hidden_reason = QuestionStatus.HIDDEN, reason
        question.pinned = False
        fields = ["status", "hidden_reason", "pinned"]
    elif action == Moderate.RESTORE:
        question.status, question.hidden_reason = QuestionStatus.VISIBLE, ""
        fields = ["status", "hidden_reason"]
    elif action in {Moderate.PIN, Moderate.UNPIN}:
        if action == Moderate.PIN and question.status != QuestionStatus.VISIBLE:
            raise ActionRefused(_("Only questions that are shown can be pinned."))
        question.pinned = action == Moderate.PIN
        fields = ["pinned"]
    else:
        question.answered_at = timezone.now() if action == Moderate.ANSWERED else None
        if action == Moderate.ANSWERED:
            question.pinned = False
        fields = ["answered_at", "pinned"]
    question.save(update_fields=fields)
    details: dict[str, object] = {"act": action}
    if reason:
        details["reason"] = reason
    do_log_audit_entry(
        actor,
        question.session.activity.space,
        AuditAction.LIVE_QUESTION_MODERATED,
        question,
        **details,
    )


def do_moderate_questions(
    actor: User, session: LiveSession, questions: list[Question], action: str, reason: str = ""
) -> int:
    """Approve, hide (with a reason the author sees), restore, pin or mark answered, in bulk.

    Return how many questions changed. Every act gets its own audit entry.
    """
    if action not in Moderate.ALL:
        raise ActionRefused(_("Choose one of the actions offered."))
    if not questions:
        raise ActionRefused(_("Select at least one question."))
    if any(question.session_id != session.pk for question in questions):
        raise ActionRefused(_("These questions belong to another session."))
    reason = check_reason(reason) if action == Moderate.HIDE else ""
    authors = set()
    with transaction.atomic():
        for question in questions:
            question.session = session
            moderate_one(actor, question, action, reason)
            authors.add(question.author_id)
        publish(session.pk, "questions", *(f"mine:{author}" for author in authors))
    return len(questions)


def do_reply_to_question(actor: User, question: Question, text: str) -> None:
    """Answer a question in writing; the reply shows under it for everyone."""
    text = (text or "").strip()
    if text:
        text = clean_text(
            text, max_length=REPLY_MAX_LENGTH, empty="", field="reply", one_line=False
        )
    with transaction.atomic():
        question.reply, question.replied_by = text, actor if text else None
        question.save(update_fields=["reply", "replied_by"])
        do_log_audit_entry(
            actor,
            question.session.activity.space,
            AuditAction.LIVE_QUESTION_MODERATED,
            question,
            act="reply",
        )
        publish(question.session_id, "questions", f"mine:{question.author_id}")


# Polls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionInput:
    label: str
    is_correct: bool = False


def check_poll(
    kind: str,
    title: str,
    options: list[OptionInput],
    scale_max: int,
    text_display: str,
    quiz_seconds: int,
) -> tuple[str, list[OptionInput]]:
    if kind not in PollKind.values:
        raise ActionRefused(_("Choose a kind of poll."), field="kind")
    title = clean_text(
        title,
        max_length=POLL_TITLE_MAX_LENGTH,
        empty=_("Write the question of the poll."),
        field="title",
        one_line=True,
    )
    cleaned: list[OptionInput] = []
    if kind in {PollKind.SINGLE, PollKind.MULTIPLE, PollKind.RANKING}:
        for option in options:
            if not option.label.strip():
                continue
            label = clean_text(
                option.label, max_length=OPTION_MAX_LENGTH, empty="", field="options", one_line=True
            )
            cleaned.append(OptionInput(label, option.is_correct and kind != PollKind.RANKING))
        if len(cleaned) < 2:
            raise ActionRefused(_("Give at least two answer options."), field="options")
        if len(cleaned) > MAX_OPTIONS:
            raise ActionRefused(
                _("A poll has at most %(count)s answer options.") % {"count": MAX_OPTIONS},
                field="options",
            )
        labels = [option.label.casefold() for option in cleaned]
        if len(set(labels)) != len(labels):
            raise ActionRefused(_("Each answer option must be different."), field="options")
        if kind == PollKind.SINGLE and sum(option.is_correct for option in cleaned) > 1:
            raise ActionRefused(
                _("A single-choice quiz question has one correct answer."), field="options"
            )
    if not 2 <= scale_max <= 10:
        raise ActionRefused(_("A scale goes from 1 to a number from 2 to 10."), field="scale_max")
    if text_display not in TextDisplay.values:
        raise ActionRefused(_("Choose how to show the answers."), field="text_display")
    if not 5 <= quiz_seconds <= 600:
        raise ActionRefused(_("Give between 5 and 600 seconds to answer."), field="quiz_seconds")
    return title, cleaned


def do_save_poll(
    actor: User,
    session: LiveSession,
    *,
    poll: Poll | None = None,
    kind: str,
    title: str,
    options: list[OptionInput] | None = None,
    scale_max: int = 5,
    text_display: str = TextDisplay.CLOUD,
    quiz_seconds: int = 20,
    time_limit: int | None = None,
) -> Poll:
    """Prepare a poll before the session or improvise one during it.

    Its kind and options can change until someone answers; after that only its wording.
    A quiz question may have a time limit: it closes by itself that long after opening.
    """
    title, cleaned = check_poll(kind, title, options or [], scale_max, text_display, quiz_seconds)
    if time_limit is not None:
        if not TIME_LIMIT_MIN <= time_limit <= TIME_LIMIT_MAX:
            raise ActionRefused(
                _("Give a time limit between %(min)s and %(max)s seconds, or none.")
                % {"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX},
                field="time_limit",
            )
        if not any(option.is_correct for option in cleaned):
            raise ActionRefused(
                _(
                    "Only quiz questions have a time limit: tick a correct answer, or leave "
                    "the time limit empty."
                ),
                field="time_limit",
            )
    if poll is not None and poll.session_id != session.pk:
        raise ActionRefused(_("This poll belongs to another session."))
    answered = poll is not None and poll.responses.exists()
    if answered and poll is not None:
        current = [(o.label, o.is_correct) for o in poll.options.all()]
        if kind != poll.kind or current != [(o.label, o.is_correct) for o in cleaned]:
            raise ActionRefused(
                _("People have answered this poll: reset it before you change its options.")
            )
    if poll is None and session.polls.count() >= MAX_POLLS:
        raise ActionRefused(_("A session has at most %(count)s polls.") % {"count": MAX_POLLS})
    with transaction.atomic():
        if poll is None:
            last = session.polls.order_by("-position").values_list("position", flat=True).first()
            poll = Poll(session=session, position=(last or 0) + 1)
        poll.kind, poll.title, poll.scale_max = kind, title, scale_max
        poll.text_display, poll.quiz_seconds = text_display, quiz_seconds
        poll.time_limit = time_limit
        poll.is_quiz = any(option.is_correct for option in cleaned)
        poll.save()
        if not answered:
            poll.options.all().delete()
            Option.objects.bulk_create(
                Option(poll=poll, position=position, label=o.label, is_correct=o.is_correct)
                for position, o in enumerate(cleaned)
            )
        do_log_audit_entry(
            actor, session.activity.space, AuditAction.LIVE_POLL_CHANGED, poll, act="saved"
        )
        publish(session.pk, "polls", f"results:{poll.pk}", "stage")
    return poll


def do_delete_poll(actor: User, poll: Poll) -> None:
    session = poll.session
    with transaction.atomic():
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_POLL_CHANGED,
            poll,
            act="deleted",
            answers=poll.responses.count(),
        )
        if session.shown_poll_id == poll.pk:
            LiveSession.objects.filter(pk=session.pk).update(screen=Screen.JOIN)
        poll.delete()
        publish(session.pk, "polls", "stage", "leaderboard")


def do_open_poll(actor: User, poll: Poll) -> None:
    """Open a poll for answers and put it on the presenter's screen."""
    session = poll.session
    if not session.is_live:
        raise ActionRefused(_("Open the session before you open its polls."))
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state == PollState.OPEN:
            return
        locked.state, locked.closed_at = PollState.OPEN, None
        if locked.opened_at is None or locked.is_quiz:
            locked.opened_at = timezone.now()
        locked.save(update_fields=["state", "opened_at", "closed_at"])
        LiveSession.objects.filter(pk=session.pk).update(screen=Screen.POLL, shown_poll=locked)
        do_log_audit_entry(
            actor, session.activity.space, AuditAction.LIVE_POLL_CHANGED, locked, act="opened"
        )
        publish(session.pk, "polls", f"results:{poll.pk}", "stage")
        if locked.deadline is not None:
            deadline = locked.deadline
            transaction.on_commit(lambda: schedule_poll_close(locked.pk, deadline))
    poll.state, poll.opened_at, poll.closed_at = locked.state, locked.opened_at, None


def do_close_poll(actor: User, poll: Poll) -> None:
    """Close a poll: answers stop, and in a quiz the leaderboard moves."""
    session = poll.session
    with transaction.atomic():
        # FOR UPDATE waits for answers in flight (they hold a share lock on the poll row).
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != PollState.OPEN:
            return
        locked.state, locked.closed_at = PollState.CLOSED, timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        do_log_audit_entry(
            actor, session.activity.space, AuditAction.LIVE_POLL_CHANGED, locked, act="closed"
        )
        publish(session.pk, "polls", f"results:{poll.pk}", "stage", "leaderboard")
    poll.state, poll.closed_at = locked.state, locked.closed_at


def do_close_poll_at_time_limit(poll_id: int) -> bool:
    """Close an open poll whose time limit has passed by the server's clock; return whether
    it closed now. Safe to call from several places at once: only one closes it."""
    with transaction.atomic():
        locked = (
            Poll.objects.select_for_update()
            .select_related("session__activity__space")
            .filter(pk=poll_id)
            .first()
        )
        if locked is None or not locked.is_past_deadline(timezone.now()):
            return False
        locked.state, locked.closed_at = PollState.CLOSED, timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        do_log_audit_entry(
            None,
            locked.session.activity.space,
            AuditAction.LIVE_POLL_CHANGED,
            locked,
            act="closed at the time limit",
        )
        publish(locked.session_id, "polls", f"results:{poll_id}", "stage", "leaderboard")
    return True


def close_polls_past_their_time(session: LiveSession) -> int:
    """Close the session's polls whose time is up; return how many closed.

    The next request's fallback, for when no task worker closed them on time.
    """
    now = timezone.now()
    timed = Poll.objects.filter(session=session, state=PollState.OPEN, time_limit__isnull=False)
    due = [
        poll.pk
        for poll in timed.only("pk", "state", "opened_at", "time_limit")
        if poll.is_past_deadline(now)
    ]
    return sum(do_close_poll_at_time_limit(poll_id) for poll_id in due)


def schedule_poll_close(poll_id: int, deadline: datetime) -> None:
    """Ask the task worker to close the poll at its deadline. A backend that cannot run
    tasks later (the immediate one of the test suite) leaves it to the next request."""
    from .tasks import close_poll_at_time_limit

    if close_poll_at_time_limit.get_backend().supports_defer:
        close_poll_at_time_limit.using(run_after=deadline).enqueue(poll_id)


def do_reset_poll(actor: User, poll: Poll) -> int:
    """Delete a poll's answers and put it back to "not opened yet". Return how many went."""
    session = poll.session
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        removed = Response.objects.filter(poll=locked).count()
        Response.objects.filter(poll=locked).delete()
        locked.state, locked.opened_at, locked.closed_at = PollState.DRAFT, None, None
        locked.results_shown = None
        locked.save(update_fields=["state", "opened_at", "closed_at", "results_shown"])
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_POLL_CHANGED,
            locked,
            act="reset",
            removed=removed,
        )
        publish(session.pk, "polls", f"results:{poll.pk}", "stage", "leaderboard")
    poll.state, poll.opened_at, poll.closed_at = locked.state, None, None
    poll.results_shown = None
    return removed


def do_set_poll_results_shown(actor: User, poll: Poll, *, shown: bool) -> None:
    """Show or hide a poll's results on the big screen and on every phone at once.

    People always see their own answer; this decides whether they see everyone's.
    """
    session = poll.session
    with transaction.atomic():
        updated = (
            Poll.objects.filter(pk=poll.pk).exclude(results_shown=shown).update(results_shown=shown)
        )
        poll.results_shown = shown
        if not updated:
            return
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_POLL_CHANGED,
            poll,
            act="results shown" if shown else "results hidden",
        )
        publish(session.pk, f"results:{poll.pk}")


def do_move_poll(actor: User, poll: Poll, position: int) -> None:
    """Put a poll at `position` (1 is first) in the session's order of polls.

    The order is the presenter's next and back, and the order of the results. Every
    poll gets its place again, 1 to n, so earlier gaps and ties disappear.
    """
    session = poll.session
    with transaction.atomic():
        order = list(
            Poll.objects.select_for_update()
            .filter(session=session)
            .order_by("position", "id")
            .only("pk", "position")
        )
        ids = [item.pk for item in order]
        if poll.pk not in ids:
            raise ActionRefused(_("This poll is no longer there."))
        if not 1 <= position <= len(order):
            raise ActionRefused(
                _("Choose a place from 1 to %(count)s.") % {"count": len(order)}, field="position"
            )
        if ids.index(poll.pk) == position - 1:
            return
        order.insert(position - 1, order.pop(ids.index(poll.pk)))
        changed = []
        for place, item in enumerate(order, start=1):
            if item.position != place:
                item.position = place
                changed.append(item)
        Poll.objects.bulk_update(changed, ["position"])
        do_log_audit_entry(
            actor,
            session.activity.space,
            AuditAction.LIVE_POLL_CHANGED,
            poll,
            act="moved",
            position=position,
        )
        publish(session.pk, "polls")
    poll.position = position


def lock_poll_if_open(poll_id: int) -> bool:
    """Return whether the poll is open, holding a share lock on its row until commit.

    On PostgreSQL, FOR KEY SHARE lets answers run side by side while a close (FOR
    UPDATE) waits for them, so no answer lands after the close. SQLite's IMMEDIATE
    transactions already run one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM live_poll WHERE id = %s AND state = %s FOR KEY SHARE",
                [poll_id, PollState.OPEN],
            )
            return cursor.fetchone() is not None
    return Poll.objects.filter(pk=poll_id, state=PollState.OPEN).exists()


def check_answer(
    poll: Poll, option_ids: list[int], value: int | None, text: str, ranking: list[int]
) -> tuple[list[int], int | None, str, list[int]]:
    options = {option.pk: option for option in poll.options.all()}
    if poll.kind == PollKind.SINGLE:
        if len(option_ids) != 1 or option_ids[0] not in options:
            raise ActionRefused(_("Choose one of the answers."), field="answer")
        return option_ids, None, "", []
    if poll.kind == PollKind.MULTIPLE:
        chosen = list(dict.fromkeys(option_ids))
        if not chosen or any(option_id not in options for option_id in chosen):
            raise ActionRefused(_("Choose one or more of the answers."), field="answer")
        return chosen, None, "", []
    if poll.kind == PollKind.RATING:
        if value is None or not 1 <= value <= poll.scale_max:
            raise ActionRefused(
                _("Choose a number from 1 to %(max)s.") % {"max": poll.scale_max}, field="answer"
            )
        return [], value, "", []
    if poll.kind == PollKind.RANKING:
        if sorted(ranking) != sorted(options) or len(set(ranking)) != len(options):
            raise ActionRefused(_("Put every answer in a place, each place once."), field="answer")
        return [], None, "", ranking
    text = clean_text(
        text,
        max_length=TEXT_ANSWER_MAX_LENGTH,
        empty=_("Write your answer first."),
        field="answer",
        one_line=True,
    )
    return [], None, text, []


def do_answer_poll(
    attendee: Attendee,
    poll: Poll,
    *,
    option_ids: list[int] | None = None,
    value: int | None = None,
    text: str = "",
    ranking: list[int] | None = None,
) -> Response:
    """Store one attendee's answer to an open poll, or change it while the poll is open.

    One answer per person per poll is kept by the database's unique constraint; a
    repeated or concurrent submission updates that answer. Quiz answers cannot change.
    """
    if poll.session_id != attendee.session_id:
        raise ActionRefused(_("This poll belongs to another session."))
    if poll.state != PollState.OPEN:
        raise ActionRefused(_("This poll is closed."))
    if poll.is_past_deadline(timezone.now()):
        do_close_poll_at_time_limit(poll.pk)
        raise ActionRefused(_("Time is up: this question takes no more answers."))
    chosen, value, text, ranking = check_answer(poll, option_ids or [], value, text, ranking or [])
    flagged = poll.kind == PollKind.TEXT and looks_profane(text, languages_of(poll.session))
    points = 0
    if poll.is_quiz:
        correct = {o.pk for o in poll.options.all() if o.is_correct}
        seconds = (timezone.now() - (poll.opened_at or timezone.now())).total_seconds()
        # A time limit shorter than the full-points window shrinks the window to it, so
        # the last second before the limit earns the speed bonus no more.
        window = min(poll.quiz_seconds, poll.time_limit or poll.quiz_seconds)
        points = quiz_points(set(chosen) == correct, seconds, window)
    language = get_language() or "en"
    with transaction.atomic():
        if not lock_poll_if_open(poll.pk):
            raise ActionRefused(_("This poll is closed."))
        if poll.is_past_deadline(timezone.now()):
            raise ActionRefused(_("Time is up: this question takes no more answers."))
        if poll.is_quiz:
            response, created = Response.objects.get_or_create(
                poll=poll,
                attendee=attendee,
                defaults={"points": points, "language": language},
            )
            if not created:
                raise ActionRefused(_("In a quiz, your first answer counts."), field="answer")
        else:
            # One statement inserts the answer or, when this person answered before,
            # replaces it: the unique constraint decides, also under concurrent submits.
            (response,) = Response.objects.bulk_create(
                [
                    Response(
                        poll=poll,
                        attendee=attendee,
                        value=value,
                        text=text,
                        flagged=flagged,
                        language=language,
                        updated_at=timezone.now(),
                    )
                ],
                update_conflicts=True,
                unique_fields=["poll", "attendee"],
                update_fields=["value", "text", "flagged", "hidden", "language", "updated_at"],
            )
            Choice.objects.filter(response_id=response.pk).delete()
        places = [(option, None) for option in chosen] + [
            (option, place + 1) for place, option in enumerate(ranking)
        ]
        Choice.objects.bulk_create(
            Choice(response_id=response.pk, option_id=option, rank=rank) for option, rank in places
        )
        response.chosen = places  # type: ignore[attr-defined]
        publish(poll.session_id, f"results:{poll.pk}")
    return response


def do_moderate_answer(actor: User, response: Response, *, hidden: bool) -> None:
    """Hide an open-text answer from the results (or show it again)."""
    poll = response.poll
    with transaction.atomic():
        response.hidden = hidden
        if not hidden:
            response.flagged = False
        response.save(update_fields=["hidden", "flagged"])
        do_log_audit_entry(
            actor,
            poll.session.activity.space,
            AuditAction.LIVE_ANSWER_MODERATED,
            poll,
            hidden=hidden,
            answer=response.text[:80],
        )
        publish(poll.session_id, f"results:{poll.pk}", "questions")


# Reactions and presence -------------------------------------------------------------


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
