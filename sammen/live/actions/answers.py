"""Answers to polls: checking, storing and scoring them, and hiding one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction

from ..analysis import quiz_points
from ..events import Event, publish
from ..language import looks_profane
from ..models import TEXT_ANSWER_MAX_LENGTH, Attendee, Choice, Poll, PollKind, PollState, Response
from .polls import do_close_poll_at_time_limit, lock_poll_if_open
from .text import clean_text, languages_of


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
        publish(poll.session_id, Event.results(poll.pk))
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
        publish(poll.session_id, Event.results(poll.pk), Event.questions())
