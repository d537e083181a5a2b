"""What the conversation gives insights: statements and votes."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.insights.registry import ContributionSource, register_contribution_source

from .models import Statement, Vote


def connect() -> None:
    register_contribution_source(
        ContributionSource(
            kind="conversation",
            key="conversation.statement",
            label=_("Statements"),
            minutes=Decimal(2),
            # Seed statements are the organisers' own work, not the community's.
            rows=lambda: Statement.objects.filter(is_seed=False),
            space="conversation__activity__space_id",
            activity="conversation__activity_id",
            participant="author_id",
            at="created_at",
        ),
        ContributionSource(
            kind="conversation",
            key="conversation.vote",
            label=_("Votes on statements"),
            minutes=Decimal("0.1"),
            rows=Vote.objects.all,
            space="conversation__activity__space_id",
            activity="conversation__activity_id",
            participant="participant_id",
            at="created_at",
        ),
    )
