"""What the open call gives insights: ideas and supports, and how fast ideas are answered."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.insights.registry import (
    AnswerSource,
    ContributionSource,
    register_answer_source,
    register_contribution_source,
)

from .models import Idea, Support


def connect() -> None:
    register_contribution_source(
        ContributionSource(
            kind="call",
            key="call.idea",
            label=_("Ideas"),
            minutes=Decimal(20),
            rows=Idea.objects.all,
            space="call__activity__space_id",
            activity="call__activity_id",
            participant="author_id",
            at="created_at",
        ),
        ContributionSource(
            kind="call",
            key="call.support",
            label=_("Supports"),
            minutes=Decimal("0.25"),
            rows=Support.objects.all,
            space="idea__call__activity__space_id",
            activity="idea__call__activity_id",
            participant="participant_id",
            at="created_at",
        ),
    )
    register_answer_source(
        AnswerSource(
            key="call.idea",
            label=_("Ideas"),
            rows=Idea.objects.all,
            space="call__activity__space_id",
            activity="call__activity_id",
            contributed_at="created_at",
            answered_at="answered_at",
        )
    )
