"""Reads of discussions: pages of comments with their replies, and a person's comments."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from sammen.accounts.models import User
from sammen.core.http import parse_id, parse_int

from .models import Comment, Thread
from .permissions import DiscussionAccess
from .rendering import render_bodies

# Top-level comments per page of a discussion, each with all its replies.
COMMENTS_PER_PAGE = 20


@dataclass
class CommentPage:
    """One page of a discussion: top-level comments with their replies, oldest first."""

    comments: list[Comment]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    def __len__(self) -> int:
        return len(self.comments)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def visible_comments(access: DiscussionAccess) -> Q:
    """Hidden comments show to their author and the moderators only."""
    if access.can_moderate:
        return Q()
    if access.participant is not None:
        return Q(hidden_at__isnull=True) | Q(author=access.participant)
    return Q(hidden_at__isnull=True)


def page_number_of(value: str | int | None) -> int:
    """Return a page number from the query string: 1 unless it is a whole number from 1 up."""
    return parse_int(value, low=1, high=999_999) or 1


def comments_for(access: DiscussionAccess, page_number: str | int | None = 1) -> CommentPage:
    """Return one page of the discussion; hidden comments only for those who may see them.

    A busy discussion has thousands of comments: a page holds COMMENTS_PER_PAGE of them,
    with their replies, and "Show more comments" brings the next.
    """
    visible = visible_comments(access)
    number = page_number_of(page_number)
    replies = Comment.objects.filter(visible).select_related("author__user").order_by("created_at")
    start = (number - 1) * COMMENTS_PER_PAGE
    rows = list(
        Comment.objects.filter(visible, thread=access.thread, parent__isnull=True)
        .select_related("author__user")
        .prefetch_related(Prefetch("replies", queryset=replies))[
            start : start + COMMENTS_PER_PAGE + 1
        ]
    )
    shown = rows[:COMMENTS_PER_PAGE]
    render_bodies([*shown, *(reply for comment in shown for reply in comment.replies.all())])
    return CommentPage(comments=shown, number=number, has_next=len(rows) > COMMENTS_PER_PAGE)


def comment_page_number(access: DiscussionAccess, comment_id: str | int | None) -> int:
    """Return the page of the discussion that shows a comment (a reply shows under its own).

    With no comment named, the last page, where a new comment appears; with one that
    is not there (or not for this viewer), the first.
    """
    visible = visible_comments(access)
    top_level = Comment.objects.filter(visible, thread=access.thread, parent__isnull=True)
    comment = None
    if comment_id is not None:
        comment_pk = parse_id(comment_id)
        if comment_pk is None:
            return 1
        comment = (
            Comment.objects.filter(visible, thread=access.thread, pk=comment_pk)
            .select_related("parent")
            .first()
        )
        if comment is None:
            return 1
    if comment is None:
        before = top_level.count() - 1
    else:
        shown = comment.parent or comment
        before = top_level.filter(
            Q(created_at__lt=shown.created_at) | Q(created_at=shown.created_at, pk__lt=shown.pk)
        ).count()
    return max(before, 0) // COMMENTS_PER_PAGE + 1


def visible_comment_count(thread: Thread) -> int:
    """Return how many comments of a thread everyone sees (not deleted, not hidden)."""
    return Comment.objects.filter(
        thread=thread, deleted_at__isnull=True, hidden_at__isnull=True
    ).count()


def personal_comment_data(user: User) -> dict[str, Any]:
    return {
        "comments": [
            {
                "text": comment.body,
                "at": comment.created_at.isoformat(),
                "deleted": comment.deleted_at is not None,
            }
            for comment in Comment.objects.filter(author__user=user)
        ]
    }
