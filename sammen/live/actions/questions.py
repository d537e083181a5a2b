"""Questions from the room: asking, upvoting, moderating and replying."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction

from ..events import Event, publish
from ..language import looks_profane
from ..models import (
    HIDDEN_REASON_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    Attendee,
    LiveSession,
    Question,
    QuestionStatus,
    Upvote,
)
from .text import clean_text, languages_of


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
        publish(session.pk, Event.questions(), Event.mine(attendee.pk))
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
        publish(question.session_id, Event.questions())
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
        publish(session.pk, Event.questions(), *(Event.mine(author) for author in authors))
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
        publish(question.session_id, Event.questions(), Event.mine(question.author_id))
