from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.calls.models import Idea
from sammen.calls.queries import comment_url
from sammen.comments.models import Comment
from sammen.conversations.models import Statement, StatementState
from sammen.spaces.models import Block, Membership, Space

from .models import Reason, Report

# The queue shows the oldest open reports first; a space with more waiting sees
# these, and the rest once they are dealt with.
QUEUE_LIMIT = 200
HIDDEN_LIMIT = 30


@dataclass
class ModeratedItem:
    """An idea, a comment or a statement as the moderation page shows it, with its open
    reports."""

    target: Idea | Comment | Statement | None  # None once its author deleted it for good
    reports: list[Report] = field(default_factory=list)
    author_membership: Membership | None = None
    author_blocked: bool = False

    @property
    def kind(self) -> str:
        """Return "idea", "comment" or "statement" ("" once deleted for good)."""
        if self.target is None:
            return ""
        return self.target._meta.model_name or ""

    @property
    def dom_id(self) -> str:
        if self.target is None:
            return f"deleted-{self.reports[0].pk}"
        return f"{self.kind}-{self.target.pk}"

    @property
    def is_idea(self) -> bool:
        return isinstance(self.target, Idea)

    @property
    def is_statement(self) -> bool:
        return isinstance(self.target, Statement)

    @property
    def idea(self) -> Idea | None:
        if isinstance(self.target, Comment):
            return self.target.thread.idea
        if isinstance(self.target, Idea):
            return self.target
        return None

    @property
    def activity(self) -> Activity | None:
        if isinstance(self.target, Statement):
            return self.target.conversation.activity
        idea = self.idea
        return idea.call.activity if idea is not None else None

    @property
    def url(self) -> str:
        """Return where organisers see it in place: a statement on its conversation's
        statements page, where they moderate it."""
        if isinstance(self.target, Statement):
            activity = self.target.conversation.activity
            url = reverse("conversations:statements", args=[activity.space.slug, activity.slug])
            return f"{url}?number={self.target.number}#statement-{self.target.pk}"
        if self.idea is None:
            return ""
        if isinstance(self.target, Comment):
            return comment_url(self.target, self.idea)
        return self.idea.get_absolute_url()

    @property
    def excerpt(self) -> str:
        if isinstance(self.target, Statement):
            return self.target.text
        return self.target.body if self.target is not None else ""

    @property
    def is_gone(self) -> bool:
        return self.target is None or (
            isinstance(self.target, Comment) and self.target.deleted_at is not None
        )

    @property
    def author(self) -> Participant | None:
        return self.target.author if self.target is not None else None

    @property
    def show_author(self) -> bool:
        """Blind calls keep an idea's author from the organisers too, until it is answered."""
        if isinstance(self.target, Idea):
            return not self.target.author_is_hidden()
        return self.author is not None

    @property
    def hidden_at(self) -> datetime | None:
        if isinstance(self.target, Statement):
            return self.target.reviewed_at if self.target.is_hidden else None
        return self.target.hidden_at if self.target is not None else None

    @property
    def hidden_by(self) -> User | None:
        if isinstance(self.target, Statement):
            return self.target.reviewed_by if self.target.is_hidden else None
        return self.target.hidden_by if self.target is not None else None

    @property
    def hidden_reason(self) -> str:
        return self.target.hidden_reason if self.target is not None else ""

    @property
    def is_hidden(self) -> bool:
        if isinstance(self.target, Statement):
            return self.target.is_hidden
        return self.hidden_at is not None

    def moderation_url(self, step: str) -> str:
        assert self.target is not None
        return reverse(f"moderation:{step}_{self.kind}", args=[self.space_slug, self.target.pk])

    @property
    def space_slug(self) -> str:
        activity = self.activity
        if activity is not None:
            return activity.space.slug
        assert isinstance(self.target, Comment)
        return self.target.thread.space.slug

    @property
    def hide_url(self) -> str:
        return self.moderation_url("hide")

    @property
    def restore_url(self) -> str:
        return self.moderation_url("restore")

    @property
    def suggested_reason(self) -> str:
        """Return the reason most reporters gave, as a starting point for the public one."""
        if not self.reports:
            return ""
        reason, _count = Counter(report.reason for report in self.reports).most_common(1)[0]
        return str(Reason(reason).label)


IDEA_RELATIONS = ("call__activity__space", "author__user", "hidden_by")
COMMENT_RELATIONS = ("thread__idea__call__activity__space", "author__user", "hidden_by")
STATEMENT_RELATIONS = ("conversation__activity__space", "author__user", "reviewed_by")


def with_authors(items: list[ModeratedItem], space: Space) -> list[ModeratedItem]:
    """Attach each author's membership and block, so the page can offer to block them."""
    user_ids = {
        item.author.user_id
        for item in items
        if item.author is not None and item.show_author and item.author.user_id
    }
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(space=space, user_id__in=user_ids)
    }
    blocked = set(
        Block.objects.filter(space=space, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    for item in items:
        author_id = item.author.user_id if item.author is not None else None
        if author_id is not None and item.show_author:
            item.author_membership = memberships.get(author_id)
            item.author_blocked = author_id in blocked
    return items


def open_reports(space: Space) -> tuple[list[ModeratedItem], bool]:
    """Return the space's reported ideas, comments and statements, oldest report first, and
    whether more wait beyond the queue's limit."""
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
    statement_type = ContentType.objects.get_for_model(Statement)
    statements = Statement.objects.select_related(*STATEMENT_RELATIONS).in_bulk(
        {report.target_id for report in reports if report.target_type_id == statement_type.pk}
    )
    targets: dict[int, dict[int, Idea | Comment | Statement]] = {
        idea_type.pk: dict(ideas),
        comment_type.pk: dict(comments),
        statement_type.pk: dict(statements),
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
    """Return the ideas, comments and statements hidden in the space, most recently hidden
    first (statements organisers rejected before anyone saw them too)."""
    ideas = Idea.objects.filter(call__activity__space=space, hidden_at__isnull=False)
    comments = Comment.objects.filter(
        thread__space=space, thread__idea__isnull=False, hidden_at__isnull=False
    )
    statements = Statement.objects.filter(
        conversation__activity__space=space, state=StatementState.HIDDEN
    )
    hidden: list[Idea | Comment | Statement] = [
        *ideas.select_related(*IDEA_RELATIONS).order_by("-hidden_at")[:HIDDEN_LIMIT],
        *comments.select_related(*COMMENT_RELATIONS).order_by("-hidden_at")[:HIDDEN_LIMIT],
        *statements.select_related(*STATEMENT_RELATIONS).order_by("-reviewed_at")[:HIDDEN_LIMIT],
    ]
    hidden.sort(key=hidden_moment, reverse=True)
    return with_authors([ModeratedItem(target=target) for target in hidden[:HIDDEN_LIMIT]], space)


def hidden_moment(target: Idea | Comment | Statement) -> datetime:
    if isinstance(target, Statement):
        return target.reviewed_at or target.created_at
    return target.hidden_at or target.created_at


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
