"""The conversation's part of the API: statements with their votes, the opinion map's
figures (groups, what unites them, what divides them), voting and adding statements.
Registered from apps.py.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import StringConstraints

from sammen.api.pagination import ListFilters, page_of
from sammen.api.permissions import api_activity
from sammen.api.schemas import ERRORS, Printable, Slug
from sammen.core.errors import ActionRefused
from sammen.core.http import MAX_ID
from sammen.core.ratelimit import allow

from . import actions
from .models import STATEMENT_MAX_LENGTH, Statement, StatementState, VoteValue
from .permissions import (
    ConversationAccess,
    access_statement,
    can_add_statement,
    can_see_report,
    conversation_access_for,
    voting_refusal,
)
from .queries.opinion_map import StatementView
from .queries.report import conversation_report, with_vote_counts
from .views.participate import VOTES_PER_PARTICIPANT_PER_MINUTE

router = Router()

CONVERSATION = "/spaces/{space_slug}/activities/{activity_slug}"
STATEMENTS = CONVERSATION + "/statements"
StatementId = Annotated[int, Path(ge=1, le=MAX_ID, description="The statement's id.")]
VOTE_VALUES = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}
# Statements a person may add through the API in an hour, as many as from one network.
STATEMENTS_PER_HOUR = 30


class StatementOut(Schema):
    id: int
    number: int
    text: str
    state: str
    is_seed: bool
    is_meta: bool
    agree: int
    disagree: int
    passed: int
    created_at: datetime


class StatementList(Schema):
    items: list[StatementOut]
    next_cursor: str | None


class StatementIn(Schema):
    text: Annotated[
        str, StringConstraints(min_length=1, max_length=STATEMENT_MAX_LENGTH), Printable
    ]


class VoteIn(Schema):
    value: Literal["agree", "disagree", "pass"]


class VoteOut(Schema):
    statement_id: int
    value: str


class MapStatementOut(Schema):
    number: int
    text: str
    agree_percent: int
    disagree_percent: int
    pass_percent: int
    votes: int
    direction: str
    share: int


class GroupOut(Schema):
    letter: str
    size: int
    share: int
    representative: list[MapStatementOut]


class FiguresOut(Schema):
    participants: int
    votes: int
    statements: int
    from_participants: int
    waiting: int


class OpinionMapOut(Schema):
    figures: FiguresOut
    ready: bool
    computed_at: datetime | None
    groups: list[GroupOut]
    uniting: list[MapStatementOut]
    divisive: list[MapStatementOut]


def conversation_access(
    request: HttpRequest, space_slug: str, activity_slug: str, *, write: bool = False
) -> ConversationAccess:
    activity_access = api_activity(request, space_slug, activity_slug, write=write)
    return conversation_access_for(request, activity_access)


def statement_out(statement: Statement) -> StatementOut:
    return StatementOut(
        id=statement.pk,
        number=statement.number,
        text=statement.text,
        state=statement.state,
        is_seed=statement.is_seed,
        is_meta=statement.is_meta,
        agree=statement.agree_count,  # type: ignore[attr-defined]
        disagree=statement.disagree_count,  # type: ignore[attr-defined]
        passed=statement.pass_count,  # type: ignore[attr-defined]
        created_at=statement.created_at,
    )


def map_statement_out(item: StatementView) -> MapStatementOut:
    return MapStatementOut(
        number=item.statement.number,
        text=item.statement.text,
        agree_percent=item.bar.agree,
        disagree_percent=item.bar.disagree,
        pass_percent=item.bar.passed,
        votes=item.bar.votes,
        direction=item.direction,
        share=item.share,
    )


@router.get(STATEMENTS, response={200: StatementList, **ERRORS}, summary="Statements")
def list_statements(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, filters: Query[ListFilters]
) -> dict[str, object]:
    """Return the statements you may see, each with its agree, disagree and pass votes."""
    access = conversation_access(request, space_slug, activity_slug)
    statements = Statement.objects.filter(conversation=access.conversation)
    if not access.can_manage:
        own = Q(author=access.participant) if access.participant is not None else Q(pk__in=[])
        statements = statements.filter(Q(state=StatementState.SHOWN) | own)
    rows, next_cursor = page_of(statements, filters)
    counted = with_vote_counts(
        access.conversation,
        Statement.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk"),
    )
    return {"items": [statement_out(row) for row in counted], "next_cursor": next_cursor}


@router.get(
    CONVERSATION + "/opinion-map",
    response={200: OpinionMapOut, **ERRORS},
    summary="The opinion map's figures",
)
def opinion_map(request: HttpRequest, space_slug: Slug, activity_slug: Slug) -> OpinionMapOut:
    """Return the report's figures: the opinion groups, what unites and what divides them.

    Organisers read it at any time, everyone else once the organisers made it public."""
    access = conversation_access(request, space_slug, activity_slug)
    if not can_see_report(access):
        raise PermissionDenied(_("The organisers have not made this report public yet."))
    report = conversation_report(access)
    view = report.view
    return OpinionMapOut(
        figures=FiguresOut(**vars(report.figures)),
        ready=view.ready,
        computed_at=view.computed_at,
        groups=[
            GroupOut(
                letter=group.letter,
                size=group.size,
                share=group.share,
                representative=[map_statement_out(item) for item in group.representative],
            )
            for group in view.groups
        ],
        uniting=[map_statement_out(item) for item in view.uniting],
        divisive=[map_statement_out(item) for item in view.divisive],
    )


@router.post(
    STATEMENTS + "/{statement_id}/vote",
    response={200: VoteOut, **ERRORS},
    summary="Vote on a statement",
)
def vote(
    request: HttpRequest,
    space_slug: Slug,
    activity_slug: Slug,
    statement_id: StatementId,
    payload: VoteIn,
) -> VoteOut:
    """Agree, disagree or pass; voting again changes your vote."""
    access = conversation_access(request, space_slug, activity_slug, write=True)
    refusal = voting_refusal(access)
    if refusal or access.participant is None:
        raise PermissionDenied(refusal or _("Sign in to take part in this conversation."))
    statement = access_statement(access, statement_id)
    if statement.state != StatementState.SHOWN:
        raise ActionRefused(_("That statement is no longer in the conversation."))
    if not allow(
        f"conversation-votes:{access.participant.pk}", VOTES_PER_PARTICIPANT_PER_MINUTE, 60
    ):
        raise ActionRefused(
            _("That was a lot of votes in a short time. Take a breath and try again in a minute.")
        )
    actions.do_vote(access.participant, statement, VOTE_VALUES[payload.value])
    return VoteOut(statement_id=statement.pk, value=payload.value)


@router.post(STATEMENTS, response={201: StatementOut, **ERRORS}, summary="Add a statement")
def add_statement(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, payload: StatementIn
) -> Status:
    """Add your own statement; where the organisers moderate first, it waits for them."""
    access = conversation_access(request, space_slug, activity_slug, write=True)
    if access.participant is None or not can_add_statement(access):
        raise PermissionDenied(
            voting_refusal(access) or _("This conversation takes no new statements.")
        )
    if not allow(f"conversation-api-statements:{access.participant.pk}", STATEMENTS_PER_HOUR, 3600):
        raise ActionRefused(_("You added many statements in a short time. Try again later."))
    statement = actions.do_add_statement(access.participant, access.conversation, payload.text)
    counted = with_vote_counts(access.conversation, Statement.objects.filter(pk=statement.pk))
    return Status(201, statement_out(counted[0]))
