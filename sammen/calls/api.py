"""The open call's part of the API: ideas with their support counts and discussions,
submitting, supporting and answering ideas. Registered from apps.py.

Each endpoint finds the activity through the token (sammen.api.permissions) and then
checks the call's own access, as the call's pages do.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StringConstraints

from sammen.api.comments import CommentIn, add_comment, comments_page
from sammen.api.pagination import ListFilters, page_of
from sammen.api.permissions import api_activity, token_of
from sammen.api.schemas import ERRORS, CommentList, CommentOut, Printable, Slug
from sammen.core.http import MAX_ID

from . import actions
from .actions.ideas import visible_author_name
from .discussion import idea_discussion
from .models import ANSWER_MAX_LENGTH, BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Idea
from .permissions import CallAccess, access_idea, call_access_for, can_submit_idea, can_support
from .queries import mark_supported, visible_ideas

router = Router()

IDEAS = "/spaces/{space_slug}/activities/{activity_slug}/ideas"
IDEA = IDEAS + "/{idea_id}"
IdeaId = Annotated[int, Path(ge=1, le=MAX_ID, description="The idea's id.")]


class IdeaOut(Schema):
    id: int
    title: str
    body: str
    author: str = Field(description="The author's public name (hidden in a blind call).")
    status: str
    support_count: int
    comment_count: int
    supported_by_you: bool
    builds_on_id: int | None
    answer: str
    answered_at: datetime | None
    created_at: datetime
    url: str


class IdeaList(Schema):
    items: list[IdeaOut]
    next_cursor: str | None


class IdeaIn(Schema):
    title: Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH), Printable]
    body: Annotated[str, StringConstraints(min_length=1, max_length=BODY_MAX_LENGTH), Printable]


class SupportOut(Schema):
    supported_by_you: bool
    support_count: int
    status: str


class IdeaAnswerIn(Schema):
    status: Literal["under_review", "selected", "in_progress", "done", "not_selected"]
    text: Annotated[str, StringConstraints(min_length=1, max_length=ANSWER_MAX_LENGTH), Printable]


def call_access(
    request: HttpRequest,
    space_slug: str,
    activity_slug: str,
    *,
    write: bool = False,
    manage: bool = False,
) -> CallAccess:
    activity_access = api_activity(request, space_slug, activity_slug, write=write, manage=manage)
    return call_access_for(request, activity_access)


def idea_out(request: HttpRequest, idea: Idea) -> IdeaOut:
    return IdeaOut(
        id=idea.pk,
        title=idea.title,
        body=idea.body,
        author=visible_author_name(idea),
        status=idea.status,
        support_count=idea.support_count,
        comment_count=idea.comment_count,
        supported_by_you=getattr(idea, "supported_by_viewer", False),
        builds_on_id=idea.builds_on_id,
        answer=idea.answer,
        answered_at=idea.answered_at,
        created_at=idea.created_at,
        url=request.build_absolute_uri(idea.get_absolute_url()),
    )


def seen_idea(request: HttpRequest, access: CallAccess, idea_id: int) -> IdeaOut:
    idea = access_idea(access, idea_id)
    mark_supported([idea], access.participant)
    return idea_out(request, idea)


@router.get(IDEAS, response={200: IdeaList, **ERRORS}, summary="Ideas of an open call")
def list_ideas(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, filters: Query[ListFilters]
) -> dict[str, object]:
    """Return the ideas you may see, with their support and comment counts, oldest first."""
    access = call_access(request, space_slug, activity_slug)
    ideas = visible_ideas(access).select_related("author__user")
    rows, next_cursor = page_of(ideas, filters)
    for idea in rows:
        idea.call = access.call
    mark_supported(rows, access.participant)
    return {"items": [idea_out(request, idea) for idea in rows], "next_cursor": next_cursor}


@router.get(IDEA, response={200: IdeaOut, **ERRORS}, summary="An idea")
def get_idea(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, idea_id: IdeaId
) -> IdeaOut:
    access = call_access(request, space_slug, activity_slug)
    return seen_idea(request, access, idea_id)


@router.post(IDEAS, response={201: IdeaOut, **ERRORS}, summary="Submit an idea")
def submit_idea(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, payload: IdeaIn
) -> Status:
    access = call_access(request, space_slug, activity_slug, write=True)
    if access.participant is None or not can_submit_idea(access):
        raise PermissionDenied(_("Only members of the space can share ideas, while it is open."))
    idea = actions.do_submit_idea(
        access.participant, access.call, title=payload.title, body=payload.body
    )
    return Status(201, seen_idea(request, access, idea.pk))


def change_support(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int, *, support: bool
) -> SupportOut:
    access = call_access(request, space_slug, activity_slug, write=True)
    idea = access_idea(access, idea_id)
    if access.participant is None or not can_support(access, idea):
        raise PermissionDenied(_("You cannot support this idea."))
    if support:
        actions.do_support_idea(access.participant, idea)
    else:
        actions.do_unsupport_idea(access.participant, idea)
    return SupportOut(
        supported_by_you=support, support_count=idea.support_count, status=idea.status
    )


@router.post(IDEA + "/support", response={200: SupportOut, **ERRORS}, summary="Support an idea")
def support_idea(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, idea_id: IdeaId
) -> SupportOut:
    """Support the idea once; supporting again changes nothing."""
    return change_support(request, space_slug, activity_slug, idea_id, support=True)


@router.delete(
    IDEA + "/support", response={200: SupportOut, **ERRORS}, summary="Take back your support"
)
def unsupport_idea(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, idea_id: IdeaId
) -> SupportOut:
    return change_support(request, space_slug, activity_slug, idea_id, support=False)


@router.post(
    IDEA + "/answer", response={200: IdeaOut, **ERRORS}, summary="Answer an idea (organisers)"
)
def answer_idea(
    request: HttpRequest,
    space_slug: Slug,
    activity_slug: Slug,
    idea_id: IdeaId,
    payload: IdeaAnswerIn,
) -> IdeaOut:
    """Answer the idea in public with a status and the reason; everyone involved is told."""
    access = call_access(request, space_slug, activity_slug, write=True, manage=True)
    idea = access_idea(access, idea_id)
    actions.do_answer_idea(token_of(request).user, idea, status=payload.status, text=payload.text)
    return seen_idea(request, access, idea.pk)


@router.get(
    IDEA + "/comments", response={200: CommentList, **ERRORS}, summary="Comments on an idea"
)
def list_comments(
    request: HttpRequest,
    space_slug: Slug,
    activity_slug: Slug,
    idea_id: IdeaId,
    filters: Query[ListFilters],
) -> dict[str, object]:
    access = call_access(request, space_slug, activity_slug)
    return comments_page(idea_discussion(access, access_idea(access, idea_id)), filters)


@router.post(IDEA + "/comments", response={201: CommentOut, **ERRORS}, summary="Comment on an idea")
def post_comment(
    request: HttpRequest,
    space_slug: Slug,
    activity_slug: Slug,
    idea_id: IdeaId,
    payload: CommentIn,
) -> Status:
    access = call_access(request, space_slug, activity_slug, write=True)
    discussion = idea_discussion(access, access_idea(access, idea_id))
    return Status(201, add_comment(discussion, payload))
