"""Polls: writing, opening, closing, resetting and ordering them, and their time limit."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction

from ..events import Event, publish
from ..models import (
    MAX_OPTIONS,
    MAX_POLLS,
    OPTION_MAX_LENGTH,
    POLL_TITLE_MAX_LENGTH,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    LiveSession,
    Option,
    Poll,
    PollKind,
    PollState,
    Response,
    Screen,
    TextDisplay,
)
from .text import clean_text


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
        publish(session.pk, Event.polls(), Event.results(poll.pk), Event.stage())
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
        publish(session.pk, Event.polls(), Event.stage(), Event.leaderboard())


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
        publish(session.pk, Event.polls(), Event.results(poll.pk), Event.stage())
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
        publish(
            session.pk, Event.polls(), Event.results(poll.pk), Event.stage(), Event.leaderboard()
        )
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
        publish(
            locked.session_id,
            Event.polls(),
            Event.results(poll_id),
            Event.stage(),
            Event.leaderboard(),
        )
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
    from ..tasks import close_poll_at_time_limit

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
        publish(
            session.pk, Event.polls(), Event.results(poll.pk), Event.stage(), Event.leaderboard()
        )
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
        publish(session.pk, Event.results(poll.pk))


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
        publish(session.pk, Event.polls())
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
