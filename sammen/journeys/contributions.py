"""What the journey gives insights: ratings of touchpoints and proposed touchpoints."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.insights.registry import ContributionSource, register_contribution_source

from .models import Rating, Touchpoint


def connect() -> None:
    register_contribution_source(
        ContributionSource(
            kind="journey",
            key="journey.rating",
            label=_("Ratings of touchpoints"),
            minutes=Decimal("0.5"),
            rows=Rating.objects.all,
            space="journey__activity__space_id",
            activity="journey__activity_id",
            participant="participant_id",
            at="created_at",
        ),
        ContributionSource(
            kind="journey",
            key="journey.proposal",
            label=_("Proposed touchpoints"),
            minutes=Decimal(5),
            rows=Touchpoint.objects.all,
            space="journey__activity__space_id",
            activity="journey__activity_id",
            participant="proposed_by_id",
            at="created_at",
        ),
    )
