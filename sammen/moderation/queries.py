from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from sammen.accounts.models import User
from sammen.calls.models import Idea
from sammen.calls.queries import comment_url
from sammen.comments.models import Comment
from sammen.spaces.models import Block, Membership, Space

from .models import Reason, Report

# The queue shows the oldest open reports first; a space with more waiting sees
# these, and the rest once they are dealt with.
QUEUE_LIMIT = 200
HIDDEN_LIMIT = 30


@dataclass
class ModeratedItem:
    """An idea or a comment as the moderation page shows it, with its open reports."""

    target: Idea | Comment | None  # None once its author deleted it for good
    reports: list[Report] = field(default_factory=list)
    author_membership: Membership | None = None
    author_blocked: bool = False

    @property
    def dom_id(self) -> str:
        if self.target is None:
            return f"deleted-{self.reports[0].pk}"
        return f"{'idea' if isinstance(self.target, Idea) else 'comment'}-{self.target.pk}"

    @property
    def is_idea(self) -> bool:
        return isinstance(self.target, Idea)

    @property
    def idea(self) -> Idea | None:
        if isinstance(self.target, Comment):
            return self.target.thread.idea
        return self.target

    @property
    def url(self) -> str:
        if self.idea is None:
            return ""
        if isinstance(self.target, Comment):
            return comment_url(self.target, self.idea)
        return self.idea.get_absolute_url()

    @property
    def is_gone(self) -> bool:
        return self.target is None or (
            isinstance(self.target, Comment) and self.target.deleted_at is not None
        )

    @property
    def show_author(self) -> bool:
        """Blind calls keep an idea's author from the organisers too, until it is answered."""
        return isinstance(self.target, Comment) or (
            isinstance(self.target, Idea) and not self.target.author_is_hidden()
        )

    @property
    def suggested_reason(self) -> str:
        """Return the reason most reporters gave, as a starting point for the public one."""
        if not self.reports:
            return ""
        reason, _count = Counter(report.reason for report in self.reports).most_common(1)[0]
        return str(Reason(reason).label)


IDEA_RELATIONS = ("call__activity__space", "author__user", "hidden_by")
COMMENT_RELATIONS = ("thread__idea__call__activity__space", "author__user", "hidden_by")


def with_authors(items: list[ModeratedItem], space: Space) -> list[ModeratedItem]:
    """Attach each author's membership and block, so the page can offer to block them."""
    user_ids = {
        item.target.author.user_id
        for item in items
        if item.target is not None and item.show_author and item.target.author.user_id
    }
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(space=space, user_id__in=user_ids)
    }
    blocked = set(
        Block.objects.filter(space=space, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    for item in items:
        author_id = item.target.author.user_id if item.target is not None else None
        if author_id is not None and item.show_author:
            item.author_membership = memberships.get(author_id)
            item.author_blocked = author_id in blocked
    return items


def open_reports(space: Space) -> tuple[list[ModeratedItem], bool]:
    """Return the space's reported ideas and comments, oldest report first, and whether
    more wait beyond the queue's limit."""
    reports = list(
        Report.objects.filter(space=space, resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "id")[: QUEUE_LIMIT + 1]
    )
    more = len(reports) > QUEUE_LIMIT
    reports = reports[:QUEUE_LIMIT]
    idea_type = ContentType.objects.get_for_model(Idea)
    comment_type = ContentType.objects.get_for_model(Comment)
    ideas = Idea.objects.select_related(*IDEA_RELATIONS).in_bulk(
        {report.target_id for report in reports if report.target_type_id == idea_type.pk}
    )
    comments = Comment.objects.select_related(*COMMENT_RELATIONS).in_bulk(
        {report.target_id for report in reports if report.target_type_id == comment_type.pk}
    )
    targets: dict[int, dict[int, Idea | Comment]] = {
        idea_type.pk: dict(ideas),
        comment_type.pk: dict(comments),
    }
    items: dict[tuple[int, int], ModeratedItem] = {}
    for report in reports:
        key = (report.target_type_id, report.target_id)
        if key not in items:
            target = targets.get(report.target_type_id, {}).get(report.target_id)
            items[key] = ModeratedItem(target=target)
        items[key].reports.append(report)
    return with_authors(list(items.values()), space), more


def recently_hidden(space: Space) -> list[ModeratedItem]:
    """Return the ideas and comments hidden in the space, most recently hidden first."""
    ideas = Idea.objects.filter(call__activity__space=space, hidden_at__isnull=False)
    comments = Comment.objects.filter(
        thread__space=space, thread__idea__isnull=False, hidden_at__isnull=False
    )
    hidden: list[Idea | Comment] = [
        *ideas.select_related(*IDEA_RELATIONS).order_by("-hidden_at")[:HIDDEN_LIMIT],
        *comments.select_related(*COMMENT_RELATIONS).order_by("-hidden_at")[:HIDDEN_LIMIT],
    ]
    hidden.sort(key=lambda target: target.hidden_at or target.created_at, reverse=True)
    return with_authors([ModeratedItem(target=target) for target in hidden[:HIDDEN_LIMIT]], space)


def blocks_in(space: Space) -> QuerySet[Block]:
    return (
        Block.objects.filter(space=space)
        .select_related("user", "blocked_by")
        .order_by("-created_at", "-id")
    )


def personal_moderation_data(user: User) -> dict[str, Any]:
    """Return the reports the person made, for "Download my data"."""
    return {
        "reports_made": [
            {
                "space": report.space.name,
                "about": f"{report.target_type.model} {report.target_id}",
                "reason": report.reason,
                "note": report.note,
                "at": report.created_at.isoformat(),
                "resolution": report.resolution or None,
            }
            for report in Report.objects.filter(reporter=user)
            .select_related("space", "target_type")
            .order_by("created_at")
        ]
    }
