"""The contributions of the shared apps: comments, under whatever their activity is."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sammen.comments.models import Comment

from .registry import ContributionSource, register_contribution_source


def register() -> None:
    register_contribution_source(
        ContributionSource(
            kind="",
            key="comments.comment",
            label=_("Comments"),
            minutes=Decimal(3),
            rows=lambda: Comment.objects.filter(deleted_at__isnull=True),
            space="thread__space_id",
            activity="thread__activity_id",
            participant="author_id",
            at="created_at",
        )
    )
