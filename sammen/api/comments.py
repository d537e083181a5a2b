"""A discussion's comments for the API, under whichever kind owns the discussion.

The kind hands over the DiscussionAccess its pages use (who may comment, who sees
hidden comments); this module reads and adds comments as the pages do.
"""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StringConstraints

from sammen.comments.actions import do_add_comment
from sammen.comments.models import COMMENT_MAX_LENGTH, Comment
from sammen.comments.permissions import DiscussionAccess
from sammen.comments.queries import visible_comments
from sammen.core.errors import ActionRefused
from sammen.core.http import MAX_ID
from sammen.core.ratelimit import allow

from .pagination import ListFilters, page_of
from .schemas import CommentOut, Printable

# As on the pages (sammen.comments.views): one bucket per participant, pages and API.
COMMENTS_PER_HOUR = 60


class CommentIn(Schema):
    body: Annotated[str, StringConstraints(min_length=1, max_length=COMMENT_MAX_LENGTH), Printable]
    parent_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="The comment this one replies to, in the same discussion."
    )


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        parent_id=comment.parent_id,
        author=comment.author.public_name,
        body=comment.body,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        hidden=comment.hidden_at is not None,
        helpful=comment.helpful_at is not None,
    )


def comments_page(access: DiscussionAccess, filters: ListFilters) -> dict[str, object]:
    """Return a page of the discussion's comments and replies, in the order they came."""
    rows = Comment.objects.filter(
        visible_comments(access), thread=access.thread, deleted_at__isnull=True
    ).select_related("author__user")
    page, next_cursor = page_of(rows, filters)
    return {"items": [comment_out(comment) for comment in page], "next_cursor": next_cursor}


def add_comment(access: DiscussionAccess, payload: CommentIn) -> CommentOut:
    """Add a comment as the pages do: same permission, same rate limit, same action."""
    participant = access.participant
    if participant is None or not access.can_comment:
        raise PermissionDenied(_("You cannot comment here."))
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, thread=access.thread).first()
        if parent is None:
            raise ActionRefused(
                _("You can only reply to a comment in the same discussion."), field="parent_id"
            )
    if not allow(f"comments-post:{participant.pk}", COMMENTS_PER_HOUR, 3600):
        raise ActionRefused(_("You wrote many comments in a short time. Take a breath."))
    comment = do_add_comment(participant, access.thread, payload.body, parent=parent)
    return comment_out(Comment.objects.select_related("author__user").get(pk=comment.pk))
