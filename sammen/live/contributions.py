"""What the live session gives insights: questions, upvotes, poll answers and reactions,
and how fast questions are answered in the room."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.insights.registry import (
    AnswerSource,
    ContributionSource,
    register_answer_source,
    register_contribution_source,
)

from .models import Question, Reaction, Response, Upvote


def connect() -> None:
    register_contribution_source(
        ContributionSource(
            kind="live",
            key="live.question",
            label=_("Questions asked live"),
            minutes=Decimal(1),
            rows=Question.objects.all,
            space="session__activity__space_id",
            activity="session__activity_id",
            participant="author__participant_id",
            at="created_at",
        ),
        ContributionSource(
            kind="live",
            key="live.upvote",
            label=_("Upvotes of questions"),
            minutes=Decimal("0.05"),
            rows=Upvote.objects.all,
            space="question__session__activity__space_id",
            activity="question__session__activity_id",
            participant="attendee__participant_id",
            at="created_at",
        ),
        ContributionSource(
            kind="live",
            key="live.answer",
            label=_("Live poll answers"),
            minutes=Decimal("0.5"),
            rows=Response.objects.all,
            space="poll__session__activity__space_id",
            activity="poll__session__activity_id",
            participant="attendee__participant_id",
            at="created_at",
        ),
        ContributionSource(
            kind="live",
            key="live.reaction",
            label=_("Reactions"),
            minutes=Decimal("0.02"),
            rows=Reaction.objects.all,
            space="session__activity__space_id",
            activity="session__activity_id",
            participant="attendee__participant_id",
            at="created_at",
        ),
    )
    register_answer_source(
        AnswerSource(
            key="live.question",
            label=_("Questions asked live"),
            rows=Question.objects.all,
            space="session__activity__space_id",
            activity="session__activity_id",
            contributed_at="created_at",
            answered_at="answered_at",
        )
    )
