"""Render what changed in a session for each kind of screen, from the database.

Called by the hub in a worker thread: one read per changed item, then one render per
kind of screen (participant, moderator or presenter, in each language in use).
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from .events import Changes, Event, EventKind
from .models import LiveSession, Poll, PollKind, Screen
from .queries import (
    audience_now,
    flagged_answers,
    has_quiz,
    leaderboard,
    moderation_queue,
    open_polls,
    own_questions,
    poll_result,
    quiz_totals,
    ranked,
    shown_questions,
)


@dataclass
class Rendered:
    at: float  # when the database was read, in milliseconds since the epoch
    shared: dict[Any, dict[str, str]] = field(default_factory=dict)
    personal: dict[int, dict[str, str]] = field(default_factory=dict)


class Reader:
    """Read each part of a session at most once per snapshot, whatever the screens need."""

    def __init__(self, session: LiveSession) -> None:
        self.session = session
        self.cache: dict[str, Any] = {}

    def get(self, key: str, load: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]

    def polls(self) -> list[Poll]:
        return self.get("polls", lambda: open_polls(self.session))

    def all_polls(self) -> list[Poll]:
        return self.get("all_polls", lambda: list(self.session.polls.prefetch_related("options")))

    def result(self, poll: Poll) -> Any:
        return self.get(f"result:{poll.pk}", lambda: poll_result(poll))

    def questions(self) -> Any:
        return self.get("questions", lambda: list(shown_questions(self.session)))

    def queue(self) -> Any:
        return self.get("queue", lambda: moderation_queue(self.session))

    def leaderboard(self) -> Any:
        return self.get("leaderboard", lambda: leaderboard(self.session))

    def audience(self) -> int:
        return int(self.get("audience", lambda: audience_now(self.session.pk)))


def render(
    session_id: int, events: Iterable[Event], variants: set[Any], attendees: dict[int, str]
) -> Rendered:
    """Return, per kind of screen, the HTML of every target that `events` touch."""
    at = time.time() * 1000
    session = (
        LiveSession.objects.select_related("activity__space", "shown_poll")
        .filter(pk=session_id)
        .first()
    )
    rendered = Rendered(at=at)
    if session is None:
        return rendered
    reader = Reader(session)
    changes = Changes.of(events)
    for variant in variants:
        with translation.override(variant.language):
            render_variant = RENDERERS[variant.audience]
            rendered.shared[variant] = render_variant(reader, changes)
    for attendee_id, language in attendees.items():
        if attendee_id in changes.attendees:
            rendered.personal.setdefault(attendee_id, {}).update(
                render_personal(attendee_id, language)
            )
    if changes.touches(EventKind.LEADERBOARD) and attendees and has_quiz(session):
        standings = dict(ranked(quiz_totals(session)))
        for attendee_id, language in attendees.items():
            with translation.override(language):
                rendered.personal.setdefault(attendee_id, {})["live-score"] = render_to_string(
                    "live/_score.html", {"standing": standings.get(attendee_id)}
                )
    return rendered


def render_participant(reader: Reader, changes: Changes) -> dict[str, str]:
    session = reader.session
    swaps: dict[str, str] = {}
    if changes.touches(EventKind.POLLS, EventKind.STAGE):
        polls = reader.polls()
        swaps["live-polls"] = render_to_string(
            "live/_polls.html",
            {
                "session": session,
                "polls": [(poll, result_context(reader, poll), None) for poll in polls],
                "shared": True,
            },
        )
    else:
        for poll in reader.polls():
            if changes.wants_results(poll.pk):
                swaps[f"poll-{poll.pk}-results"] = render_to_string(
                    "live/_results.html", {"session": session, **result_context(reader, poll)}
                )
    if changes.touches(EventKind.QUESTIONS):
        swaps["live-questions"] = render_to_string(
            "live/_questions.html",
            {"session": session, "questions": reader.questions(), "shared": True},
        )
    if changes.touches(EventKind.LEADERBOARD):
        swaps["live-leaderboard"] = render_to_string(
            "live/_leaderboard.html", {"standings": reader.leaderboard()}
        )
    return swaps


def result_context(reader: Reader, poll: Poll, size: str = "small") -> dict[str, Any]:
    """Return what a poll's results region shows: the results only once they are revealed;
    on the big screen, until then, how many have answered."""
    revealed = poll.results_revealed(reader.session)
    context: dict[str, Any] = {
        "poll": poll,
        "result": reader.result(poll) if revealed else None,
        "size": size,
        "answer_count": None,
    }
    if size == "large" and not revealed:
        context["answer_count"] = reader.get(f"count:{poll.pk}", poll.responses.count)
    return context


def render_moderator(reader: Reader, changes: Changes) -> dict[str, str]:
    session = reader.session
    swaps: dict[str, str] = {}
    if changes.touches(EventKind.QUESTIONS):
        swaps["mod-queue"] = render_to_string(
            "live/_moderation_queue.html", {**page_context(session), "queue": reader.queue()}
        )
    if changes.any_results or changes.touches(EventKind.POLLS):
        swaps["mod-answers"] = render_to_string(
            "live/_flagged_answers.html",
            {**page_context(session), "answers": flagged_answers(session)},
        )
    if changes.touches(EventKind.AUDIENCE):
        swaps["audience-count"] = str(reader.audience())
    return swaps


def render_presenter(reader: Reader, changes: Changes) -> dict[str, str]:
    session = reader.session
    swaps: dict[str, str] = {}
    screen = session.screen
    restage = changes.touches(EventKind.STAGE, EventKind.POLLS) or (
        (changes.touches(EventKind.QUESTIONS) and screen == Screen.QUESTIONS)
        or (changes.touches(EventKind.LEADERBOARD) and screen == Screen.LEADERBOARD)
    )
    if restage:
        swaps["stage"] = render_to_string("live/_stage.html", stage_context(reader))
    elif screen == Screen.POLL and session.shown_poll is not None:
        poll = session.shown_poll
        if changes.wants_results(poll.pk):
            swaps[f"stage-poll-{poll.pk}-results"] = render_to_string(
                "live/_results.html", {"session": session, **result_context(reader, poll, "large")}
            )
    if changes.touches(EventKind.AUDIENCE):
        swaps["audience-count"] = str(reader.audience())
    return swaps


def page_context(session: LiveSession) -> dict[str, Any]:
    return {"session": session, "activity": session.activity, "space": session.activity.space}


def stage_context(reader: Reader) -> dict[str, Any]:
    session = reader.session
    context: dict[str, Any] = {**page_context(session), "screen": session.screen}
    if session.screen == Screen.POLL and session.shown_poll is not None:
        poll = session.shown_poll
        poll.session = session
        context["poll"] = poll
        context.update(
            {f"result_{key}": value for key, value in result_context(reader, poll, "large").items()}
        )
        context["is_text"] = poll.kind == PollKind.TEXT
        context["results_revealed"] = poll.results_revealed(session)
    elif session.screen == Screen.QUESTIONS:
        # Five fit a 1080p screen at a size the back of the room can read, even when each
        # takes two lines.
        context["questions"] = reader.questions()[:5]
    elif session.screen == Screen.LEADERBOARD:
        context["standings"] = reader.leaderboard()
    return context


RENDERERS = {
    "participant": render_participant,
    "moderator": render_moderator,
    "presenter": render_presenter,
}


def render_personal(attendee_id: int, language: str) -> dict[str, str]:
    """Return what only this attendee sees: their questions waiting or hidden, and why.

    One query; most people have no such question, and their part is empty without a
    render (a room's screens all connect at once after a restart). The caller knows the
    attendee is of the session (its stream's access check, or the room's streams)."""
    questions = own_questions(attendee_id)
    if not questions:
        return {"live-mine": ""}
    with translation.override(language):
        return {"live-mine": render_to_string("live/_mine.html", {"own_questions": questions})}
