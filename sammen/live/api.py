"""The live session's part of the API: its results (figures, polls, questions), as the
results page and its JSON export show them. Registered from apps.py.

The crew read them at any time (a newsroom graphic during the session); everyone who
may see the activity once it has closed, as on the page.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from sammen.api.permissions import api_space
from sammen.api.schemas import ERRORS, Slug

from .queries import session_report
from .views.results import poll_rows, results_access, shown_question_rows

router = Router()


class PollRowOut(Schema):
    answer: str
    count: int
    percent: int | None = None
    correct: bool | None = None


class PollOut(Schema):
    question: str
    kind: str
    quiz: bool
    respondents: int
    mean: float | None
    results: list[PollRowOut]


class QuestionOut(Schema):
    text: str
    asked_by: str
    upvotes: int
    answered: bool
    reply: str
    asked_at: datetime


class ReactionOut(Schema):
    kind: str
    label: str
    count: int


class LiveResultsOut(Schema):
    people_who_joined: int
    peak_audience: int
    questions_asked: int
    questions_answered: int
    upvotes: int
    poll_answers: int
    reactions: list[ReactionOut]
    polls: list[PollOut]
    questions: list[QuestionOut]


@router.get(
    "/spaces/{space_slug}/activities/{activity_slug}/results",
    response={200: LiveResultsOut, **ERRORS},
    summary="A live session's results",
)
def live_results(request: HttpRequest, space_slug: Slug, activity_slug: Slug) -> LiveResultsOut:
    """Return the session's figures, every poll's results and the questions the room saw.

    Askers appear by their chosen name only, and not at all when they asked anonymously."""
    api_space(request, space_slug)
    access = results_access(request, space_slug, activity_slug)
    report = session_report(access.session)
    return LiveResultsOut(
        people_who_joined=report.attendees,
        peak_audience=report.peak_audience,
        questions_asked=report.questions,
        questions_answered=report.questions_answered,
        upvotes=report.upvotes,
        poll_answers=report.answers,
        reactions=[
            ReactionOut(kind=kind, label=label, count=count)
            for kind, label, count in report.reactions
        ],
        polls=[
            PollOut(
                question=result.poll.title,
                kind=result.poll.kind,
                quiz=result.poll.is_quiz,
                respondents=result.respondents,
                mean=result.mean,
                results=[PollRowOut.model_validate(row) for row in poll_rows(result)],
            )
            for result in report.polls
        ],
        questions=[
            QuestionOut(
                text=question.text,
                asked_by=question.asked_by,
                upvotes=question.upvote_count,
                answered=question.is_answered,
                reply=question.reply,
                asked_at=question.created_at,
            )
            for question in shown_question_rows(access)
        ],
    )
