"""One idea's page, beside its discussion: co-authors, ideas built on it, support, following."""

from dataclasses import dataclass

from sammen.accounts.models import User
from sammen.comments.queries import CommentPage

from ..models import CoAuthor, Idea, Support
from ..permissions import CallAccess


@dataclass
class IdeaPage:
    idea: Idea
    comments: CommentPage
    co_authors: list[CoAuthor]
    built_upon_by: list[Idea]
    supported: bool
    following: bool
    pending_co_authorship: CoAuthor | None


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
