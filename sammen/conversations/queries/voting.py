"""Reads for taking part: the viewer's votes, the next statement, where one stands."""

import random
from dataclasses import dataclass

from django.db.models import QuerySet

from .. import analysis, maps
from ..charts import OpinionMapChart, opinion_map_chart
from ..models import Conversation, Statement, StatementState, StoredMap, Vote
from ..permissions import ConversationAccess
from .opinion_map import GroupView, map_view

YOUR_VOTES_PAGE_SIZE = 20
MAX_UNSHOWN_OF_VIEWER = 50  # a participant adds at most 20 statements a day


def votes_of(conversation: Conversation, participant_id: int | None) -> dict[int, int]:
    """Return the participant's votes in the conversation: {statement pk: value}."""
    if participant_id is None:
        return {}
    return dict(
        Vote.objects.filter(conversation=conversation, participant_id=participant_id).values_list(
            "statement_id", "value"
        )
    )


def votes_of_viewer(access: ConversationAccess) -> QuerySet[Vote]:
    """Return the viewer's votes on the statements still shown, the latest first cast first.

    Ordered by when each vote was first cast, so changing one keeps its place in the list.
    """
    if access.participant is None:
        return Vote.objects.none()
    return (
        Vote.objects.filter(
            conversation=access.conversation,
            participant=access.participant,
            statement__state=StatementState.SHOWN,
        )
        .select_related("statement")
        .order_by("-created_at", "-pk")
    )


def unshown_statements_of_viewer(access: ConversationAccess) -> list[Statement]:
    """Return the viewer's own statements others do not see (waiting or hidden), newest
    first, so they learn why."""
    if access.participant is None:
        return []
    return list(
        Statement.objects.filter(conversation=access.conversation, author=access.participant)
        .exclude(state=StatementState.SHOWN)
        .order_by("-created_at", "-number")[:MAX_UNSHOWN_OF_VIEWER]
    )


def choose_statement(candidates: list[tuple[int, float | None]], seed: str) -> int | None:
    """Pick the next statement at random, weighted by the analysis's priority.

    The same seed picks the same statement, so a reload shows the statement the
    participant was about to vote on, not another one.
    """
    if not candidates:
        return None
    new = maps.new_statement_priority()
    ordered = sorted(candidates)
    weights = [max(new if priority is None else priority, 1e-9) for _pk, priority in ordered]
    return random.Random(seed).choices([pk for pk, _p in ordered], weights=weights)[0]  # noqa: S311 - not a secret


@dataclass
class VoteCard:
    """What the voting card shows: the next statement, or why there is none."""

    statement: Statement | None
    voted: int
    total: int
    refusal: str = ""

    @property
    def all_done(self) -> bool:
        return not self.refusal and self.statement is None and self.total > 0

    @property
    def position(self) -> int:
        return self.voted + 1


@dataclass
class TakingPart:
    """One viewer's side of a conversation: the next statement and where they stand."""

    card: VoteCard
    place: "YourPlace"


@dataclass
class YourPlace:
    """Where the viewer stands on the map, or how many more votes until they see it."""

    ready: bool
    votes_needed: int
    group: GroupView | None = None
    chart: OpinionMapChart | None = None
    group_count: int = 0

    @property
    def shown(self) -> bool:
        return self.ready and self.votes_needed == 0 and self.chart is not None


def your_place(
    conversation: Conversation, votes: dict[int, int], stored: StoredMap | None
) -> YourPlace:
    """Place the viewer on the stored map from their votes (cheap: no analysis is run)."""
    if stored is None or not stored.ready:
        return YourPlace(ready=False, votes_needed=0)
    summary = stored.summary
    state = maps.placement_state(stored)
    if state is None:
        return YourPlace(ready=False, votes_needed=0)
    needed = min(analysis.ENTRY_VOTES, len(state.statement_ids))
    placement = analysis.place_participant(state, votes) if votes else None
    counted = placement.vote_count if placement is not None else 0
    if placement is None or counted < needed or placement.group_id is None:
        return YourPlace(
            ready=True, votes_needed=max(needed - counted, 1), group_count=len(summary["groups"])
        )
    group_summary = next(
        (group for group in summary["groups"] if group["id"] == placement.group_id), None
    )
    group_view = None
    if group_summary is not None:
        wanted = [item["statement"] for item in group_summary["representative"]]
        statements = Statement.objects.filter(
            pk__in=wanted, conversation=conversation, state=StatementState.SHOWN
        ).in_bulk()
        view = map_view(stored, statements, figures={})
        group_view = next((group for group in view.groups if group.id == placement.group_id), None)
    return YourPlace(
        ready=True,
        votes_needed=0,
        group=group_view,
        chart=opinion_map_chart(
            summary, you=(placement.x, placement.y), your_group=placement.group_id
        ),
        group_count=len(summary["groups"]),
    )


def taking_part(
    access: ConversationAccess, refusal: str, seed: str, *, stored: StoredMap | None = None
) -> TakingPart:
    """Return the viewer's next statement (never one they voted on) and where they stand."""
    conversation = access.conversation
    participant_id = access.participant.pk if access.participant is not None else None
    votes = votes_of(conversation, participant_id)
    shown = list(
        Statement.objects.filter(conversation=conversation, state=StatementState.SHOWN).values_list(
            "pk", "priority"
        )
    )
    open_ones = [(pk, priority) for pk, priority in shown if pk not in votes]
    voted = len(shown) - len(open_ones)
    statement = None
    if not refusal:
        chosen = choose_statement(open_ones, f"{seed}:{voted}")
        if chosen is not None:
            statement = Statement.objects.get(pk=chosen)
            statement.conversation = conversation
    if stored is None:
        stored = (
            StoredMap.objects.filter(conversation=conversation)
            .only("conversation_id", "format", "ready", "placement", "summary", "computed_at")
            .first()
        )
    return TakingPart(
        card=VoteCard(statement=statement, voted=voted, total=len(shown), refusal=refusal),
        place=your_place(conversation, votes, stored),
    )
