"""What the meeting gives insights: coming to it, rating its sessions and answering its
follow-ups."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.insights.registry import ContributionSource, register_contribution_source

from .models import FollowUp, Registration, SessionRating


def connect() -> None:
    register_contribution_source(
        ContributionSource(
            kind="meeting",
            key="meeting.attendance",
            label=_("Attending a meeting"),
            minutes=Decimal(180),
            rows=lambda: Registration.objects.filter(checked_in_at__isnull=False),
            space="meeting__activity__space_id",
            activity="meeting__activity_id",
            participant="participant_id",
            at="checked_in_at",
        ),
        ContributionSource(
            kind="meeting",
            key="meeting.session_rating",
            label=_("Ratings of sessions"),
            minutes=Decimal(1),
            rows=SessionRating.objects.all,
            space="session__meeting__activity__space_id",
            activity="session__meeting__activity_id",
            participant="registration__participant_id",
            at="created_at",
        ),
        ContributionSource(
            kind="meeting",
            key="meeting.follow_up",
            label=_("Follow-up answers"),
            minutes=Decimal(5),
            rows=lambda: FollowUp.objects.filter(answered_at__isnull=False),
            space="registration__meeting__activity__space_id",
            activity="registration__meeting__activity_id",
            participant="registration__participant_id",
            at="answered_at",
        ),
    )
