"""An idea's page and its discussion: comment pages, rendered Markdown, links to a comment."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.utils.safestring import mark_safe

from sammen.accounts.models import User
from sammen.comments.models import Comment
from sammen.core.http import parse_id, parse_int
from sammen.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
)

from ..models import CoAuthor, Idea, Support
from ..permissions import CallAccess

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


@dataclass
class IdeaPage:
    idea: Idea
    comments: CommentPage
    co_authors: list[CoAuthor]
    built_upon_by: list[Idea]
    supported: bool
    following: bool
    pending_co_authorship: CoAuthor | None


def visible_comments(access: CallAccess) -> Q:
    """Hidden comments show to their author and the organisers only."""
    if access.can_manage:
        return Q()
    if access.participant is not None:
        return Q(hidden_at__isnull=True) | Q(author=access.participant)
    return Q(hidden_at__isnull=True)


def page_number_of(value: str | int | None) -> int:
    """Return a page number from the query string: 1 unless it is a whole number from 1 up."""
    return parse_int(value, low=1, high=999_999) or 1


def comments_for(access: CallAccess, idea: Idea, page_number: str | int | None = 1) -> CommentPage:
    """Return one page of the discussion; hidden comments only for those who may see them.

    A busy idea has thousands of comments: a page holds COMMENTS_PER_PAGE of them, with
    their replies, and "Show more comments" brings the next.
    """
    visible = visible_comments(access)
    number = page_number_of(page_number)
    replies = Comment.objects.filter(visible).select_related("author__user").order_by("created_at")
    start = (number - 1) * COMMENTS_PER_PAGE
    rows = list(
        Comment.objects.filter(visible, thread=idea.thread, parent__isnull=True)
        .select_related("author__user")
        .prefetch_related(Prefetch("replies", queryset=replies))[
            start : start + COMMENTS_PER_PAGE + 1
        ]
    )
    shown = rows[:COMMENTS_PER_PAGE]
    render_bodies([*shown, *(reply for comment in shown for reply in comment.replies.all())])
    return CommentPage(comments=shown, number=number, has_next=len(rows) > COMMENTS_PER_PAGE)


# Rendered Markdown is kept by the text it came from (and the rules that rendered it),
# so an edited comment simply finds no entry; a day lets texts nobody reads go.
MARKDOWN_CACHE_SECONDS = 24 * 3600
MARKDOWN_RULES = hashlib.blake2b(
    repr(
        (sorted(ALLOWED_TAGS), sorted(ALLOWED_ATTRIBUTES.items()), sorted(ALLOWED_URL_SCHEMES))
    ).encode(),
    digest_size=6,
).hexdigest()


def markdown_key(text: str) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return f"calls:md:{MARKDOWN_RULES}:{digest}"


def render_bodies(comments: list[Comment]) -> None:
    """Set `body_html` on each comment, from the cache when the same text was rendered before.

    Rendering Markdown takes a millisecond or more a comment: a page of a discussion
    would spend most of its time on it.
    """
    keys = {comment.pk: markdown_key(comment.body) for comment in comments}
    found = cache.get_many(list(set(keys.values()))) if keys else {}
    rendered = {}
    for comment in comments:
        key = keys[comment.pk]
        html = found.get(key)
        if html is None:
            html = rendered[key] = str(render_markdown(comment.body))
            found[key] = html
        comment.body_html = mark_safe(html)  # type: ignore[attr-defined]  # noqa: S308 - sanitized
    if rendered:
        cache.set_many(rendered, MARKDOWN_CACHE_SECONDS)


def comment_page_number(access: CallAccess, idea: Idea, comment_id: str | int | None) -> int:
    """Return the page of the discussion that shows a comment (a reply shows under its own).

    With no comment named, the last page, where a new comment appears; with one that
    is not there (or not for this viewer), the first.
    """
    visible = visible_comments(access)
    top_level = Comment.objects.filter(visible, thread=idea.thread, parent__isnull=True)
    comment = None
    if comment_id is not None:
        comment_pk = parse_id(comment_id)
        if comment_pk is None:
            return 1
        comment = (
            Comment.objects.filter(visible, thread=idea.thread, pk=comment_pk)
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


def comment_url(comment: Comment, idea: Idea) -> str:
    """Return the address of a comment: its idea's page, at the page of the discussion it is on."""
    return f"{idea.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"


def idea_page(access: CallAccess, idea: Idea, user: User | None, comments: CommentPage) -> IdeaPage:
    from sammen.notifications.models import Follow

    participant = access.participant
    co_authors = list(idea.co_authors.select_related("participant__user"))
    pending = next(
        (
            co_author
            for co_author in co_authors
            if participant is not None
            and co_author.participant_id == participant.pk
            and co_author.accepted_at is None
        ),
        None,
    )
    return IdeaPage(
        idea=idea,
        comments=comments,
        co_authors=[co_author for co_author in co_authors if co_author.accepted_at is not None],
        built_upon_by=list(
            idea.built_upon_by.filter(hidden_at__isnull=True).only("id", "title", "call_id")
        ),
        supported=participant is not None
        and Support.objects.filter(idea=idea, participant=participant).exists(),
        following=user is not None
        and Follow.objects.filter(user=user, thread=idea.thread).exists(),
        pending_co_authorship=pending,
    )
