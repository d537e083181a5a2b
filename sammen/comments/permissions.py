"""What a viewer may do in a discussion. The kind that owns the thread decides; the engine asks.

A kind that wants a discussion under one of its rows hands the engine a
`DiscussionAccess` for each request: the thread, where its links lead, and what this
viewer may do there. The engine's views get one through a finder the kind passes as
the URL's extra argument (see `sammen/comments/views.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from sammen.accounts.models import Participant
from sammen.spaces.permissions import SpaceAccess

from .models import Comment, Thread


def comment_link(page: str, comment_id: int) -> str:
    """Return the address of a comment: the page, at the part of the discussion it is on."""
    return f"{page}?comment={comment_id}#comment-{comment_id}"


@dataclass(frozen=True)
class DiscussionUrls:
    """Where a discussion's links and forms lead, as the owning kind wired its URLs.

    `edit`, `delete`, `helpful` and `report` are URL names, reversed with `comment_args`
    followed by a comment's id; `report` is empty where nobody reports comments.
    """

    page: str  # the page that shows the discussion; ?comment= and ?comments= go on it
    post: str  # where comments and replies are posted (the engine's add_comment view)
    edit: str
    delete: str
    helpful: str
    report: str = ""
    comment_args: tuple[str | int, ...] = ()

    def for_comment(self, name: str, comment_id: int) -> str:
        """Return where a comment's "edit", "delete", "helpful" or "report" link goes."""
        url_name = {
            "edit": self.edit,
            "delete": self.delete,
            "helpful": self.helpful,
            "report": self.report,
        }[name]
        return reverse(url_name, args=[*self.comment_args, comment_id]) if url_name else ""

    def to_comment(self, comment_id: int) -> str:
        return comment_link(self.page, comment_id)


@dataclass(frozen=True)
class DiscussionAccess:
    """A thread as one viewer may take part in it, as the kind that owns it decided."""

    thread: Thread
    urls: DiscussionUrls
    space_access: SpaceAccess
    participant: Participant | None
    can_comment: bool  # post comments and replies
    can_moderate: bool  # see hidden comments and what they said
    can_mark_helpful: bool  # the thread's owner marks other people's comments
    title: str  # what the discussion is about, for the page that edits a comment
    # Whose comments carry the "author" badge; None where the owner is not to be named.
    owner_badge_id: int | None = None
    # What signed-in people who may not comment read instead of the form.
    closed_note: str = ""


# What a kind passes its URLs, called with the request and the URL's arguments:
# a finder of the discussion (for posting), and of one comment with its discussion.
FindDiscussion = Callable[..., DiscussionAccess]
FindComment = Callable[..., tuple[DiscussionAccess, Comment]]


def is_comment_author(access: DiscussionAccess, comment: Comment) -> bool:
    return access.participant is not None and comment.author_id == access.participant.pk
