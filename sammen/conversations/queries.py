"""Reads of the conversations app: the next statement, where one stands, the report."""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sammen.activities.models import Activity

from . import analysis, maps
from .charts import GROUP_COLOURS, OpinionMapChart, VoteBar, opinion_map_chart, vote_bar
from .models import Conversation, Statement, StatementState, StoredMap, Vote, Voter
from .permissions import ConversationAccess
from .similarity import most_similar

MODERATION_PAGE_SIZE = 50
MODERATION_FILTERS = {
    "pending": _("Waiting for approval"),
    "unreviewed": _("Shown, not yet reviewed"),
    "shown": _("Shown"),
    "hidden": _("Hidden"),
    "all": _("All"),
}
YOUR_VOTES_PAGE_SIZE = 20
MAX_UNSHOWN_OF_VIEWER = 50  # a participant adds at most 20 statements a day
# More numbered markers than this hide the map under them; the table lists them all the same.
MAX_MAP_STATEMENTS = 50


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
class StatementView:
    """A statement with its votes, overall and per group, as the report shows it."""

    statement: Statement
    bar: VoteBar
    group_bars: list[tuple[str, int, VoteBar]]
    direction: str = ""
    share: int = 0  # percent of the group (or, uniting, of the least convinced group)
    gic: float | None = None
    gap: int = 0  # percent points between the groups that differ most


@dataclass
class GroupView:
    id: int
    letter: str
    size: int
    colour: int
    share: int  # percent of the grouped participants
    representative: list[StatementView] = field(default_factory=list)


@dataclass
class MapView:
    """A stored opinion map, with its statements resolved, for pages."""

    stored: StoredMap | None
    ready: bool
    reason: str
    groups: list[GroupView]
    consensus_agree: list[StatementView]
    consensus_disagree: list[StatementView]
    divisive: list[StatementView]
    statements: dict[int, StatementView]
    # Statements every group voted on often enough to tell whether they unite it, and
    # statements voted on, but not that often in every group (analysis.Consensus).
    statements_with_enough_votes: int = 0
    statements_with_too_few_votes: int = 0

    @property
    def computed_at(self) -> datetime | None:
        return self.stored.computed_at if self.stored else None

    @property
    def uniting(self) -> list[StatementView]:
        """Return the statements that unite the groups: agreed ones, then disagreed ones."""
        return self.consensus_agree + self.consensus_disagree

    @property
    def uniting_verdict(self) -> str:
        """Return "found", "divided" (enough votes, nothing unites) or "too_few_votes"."""
        if self.uniting:
            return "found"
        return "divided" if self.statements_with_enough_votes else "too_few_votes"


def counted_votes(statement: Statement) -> tuple[int, int, int] | None:
    """Return the statement's votes as counted in the database, when the query counted them."""
    if not hasattr(statement, "agree_count"):
        return None
    return (
        int(getattr(statement, "agree_count", 0)),
        int(getattr(statement, "disagree_count", 0)),
        int(getattr(statement, "pass_count", 0)),
    )


def statement_view(
    statement: Statement, figures: dict[str, Any] | None, groups: list[dict[str, Any]]
) -> StatementView:
    """Return the statement's votes: overall as counted now, per group as the map counted."""
    counted = counted_votes(statement)
    if figures is None:
        return StatementView(
            statement=statement, bar=vote_bar(*(counted or (0, 0, 0))), group_bars=[]
        )
    total = counted or figures["total"]
    return StatementView(
        statement=statement,
        bar=vote_bar(*total),
        group_bars=[
            (
                group["letter"],
                group["id"] % GROUP_COLOURS,
                vote_bar(
                    figures["agree"][index], figures["disagree"][index], figures["passed"][index]
                ),
            )
            for index, group in enumerate(groups)
        ],
        gic=figures["gic"],
    )


def map_view(
    stored: StoredMap | None,
    statements: dict[int, Statement],
    figures: dict[str, Any] | None = None,
) -> MapView:
    """Resolve a stored map's statement ids to the statements the viewer may see.

    `figures` (the votes per statement and group) default to the stored map's; pages
    that show no bars pass an empty dict and need not read them.
    """
    if stored is None or not stored.summary:
        return MapView(stored, False, analysis.NOT_ENOUGH_VOTES, [], [], [], [], {})
    summary = stored.summary
    groups = summary.get("groups") or []
    if figures is None:
        figures = stored.figures or {}
    views = {
        pk: statement_view(statement, figures.get(str(pk)), groups)
        for pk, statement in statements.items()
    }

    def pick(pk: int, **changes: Any) -> StatementView | None:
        view = views.get(pk)
        if view is None:
            return None
        return StatementView(**{**view.__dict__, **changes})

    grouped = max(sum(group["size"] for group in groups), 1)
    group_views = []
    for group in groups:
        representative = []
        for item in group["representative"]:
            view = pick(
                item["statement"],
                direction=item["direction"],
                share=round(100 * item["n_success"] / item["n_trials"]) if item["n_trials"] else 0,
            )
            if view is not None:
                representative.append(view)
        group_views.append(
            GroupView(
                id=group["id"],
                letter=group["letter"],
                size=group["size"],
                colour=group["id"] % GROUP_COLOURS,
                share=round(100 * group["size"] / grouped),
                representative=representative,
            )
        )
    consensus = maps.consensus_from_figures(figures) if summary.get("ready") else None

    def consensus_views(items: tuple[analysis.ConsensusStatement, ...]) -> list[StatementView]:
        found = []
        for item in items:
            view = pick(item.statement_id, direction=item.direction)
            if view is None or view.statement.is_meta:
                continue
            # Claim no more than the least convinced group's bar shows.
            view.share = min(getattr(bar, item.direction) for _l, _c, bar in view.group_bars)
            found.append(view)
        return found[: analysis.MAX_CONSENSUS]

    # Maps stored before the rule may list a uniting statement as divisive too.
    uniting = set(consensus.statement_ids) if consensus else set()
    divisive = [
        view
        for item in summary.get("divisive", [])
        if item["statement"] not in uniting
        and (view := pick(item["statement"], gap=round(100 * item["gap"]))) is not None
    ]
    return MapView(
        stored=stored,
        ready=bool(summary.get("ready")),
        reason=summary.get("reason", ""),
        groups=group_views,
        consensus_agree=consensus_views(consensus.agree) if consensus else [],
        consensus_disagree=consensus_views(consensus.disagree) if consensus else [],
        divisive=divisive,
        statements=views,
        statements_with_enough_votes=(consensus.statements_with_enough_votes if consensus else 0),
        statements_with_too_few_votes=(consensus.statements_with_too_few_votes if consensus else 0),
    )


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


@dataclass
class Figures:
    participants: int
    votes: int
    statements: int
    from_participants: int
    waiting: int


def figures_of(conversation: Conversation) -> Figures:
    counts = Statement.objects.filter(conversation=conversation).aggregate(
        shown=Count("pk", filter=Q(state=StatementState.SHOWN)),
        from_participants=Count("pk", filter=Q(state=StatementState.SHOWN, is_seed=False)),
        waiting=Count("pk", filter=Q(state=StatementState.PENDING)),
    )
    return Figures(
        participants=Voter.objects.filter(conversation=conversation).count(),
        votes=Vote.objects.filter(conversation=conversation).count(),
        statements=counts["shown"],
        from_participants=counts["from_participants"],
        waiting=counts["waiting"],
    )


def similar_statements(
    access: ConversationAccess, text: str, *, exclude: int | None = None
) -> list[Statement]:
    """Return the statements already in the conversation that read much like `text`."""
    visible = Q(state=StatementState.SHOWN)
    if access.participant is not None:
        visible |= Q(state=StatementState.PENDING, author=access.participant)
    candidates = Statement.objects.filter(visible, conversation=access.conversation).only(
        "pk", "text", "number", "state"
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    return [
        statement for statement, _score in most_similar(text, ((s, s.text) for s in candidates))
    ]


def statements_for_moderation(
    conversation: Conversation, show: str, *, number: int | None = None
) -> QuerySet[Statement]:
    """Return the statements an organiser reviews, with their votes counted, newest first;
    only the one with `number` when given (the moderation queue links to it)."""
    statements = Statement.objects.filter(conversation=conversation)
    if number is not None:
        statements = statements.filter(number=number)
    if show == "pending":
        statements = statements.filter(state=StatementState.PENDING)
    elif show == "unreviewed":
        statements = statements.filter(state=StatementState.SHOWN, reviewed_at__isnull=True)
    elif show == "shown":
        statements = statements.filter(state=StatementState.SHOWN)
    elif show == "hidden":
        statements = statements.filter(state=StatementState.HIDDEN)
    return (
        statements.select_related("author__user")
        .annotate(
            agree_count=Count("votes", filter=Q(votes__value=1)),
            disagree_count=Count("votes", filter=Q(votes__value=-1)),
            pass_count=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("-created_at", "-number")
    )


def moderation_counts(conversation: Conversation) -> dict[str, int]:
    counts = Statement.objects.filter(conversation=conversation).aggregate(
        pending=Count("pk", filter=Q(state=StatementState.PENDING)),
        unreviewed=Count("pk", filter=Q(state=StatementState.SHOWN, reviewed_at__isnull=True)),
        shown=Count("pk", filter=Q(state=StatementState.SHOWN)),
        hidden=Count("pk", filter=Q(state=StatementState.HIDDEN)),
        all=Count("pk"),
    )
    return {key: int(value) for key, value in counts.items()}


@dataclass(frozen=True)
class MapStatements:
    """The statements marked on the map, by number, and how many the map places in all."""

    shown: list[tuple[Statement, float, float]]
    placed: int

    @property
    def all_shown(self) -> bool:
        return len(self.shown) == self.placed


@dataclass
class ConversationReport:
    figures: Figures
    view: MapView
    chart: OpinionMapChart | None
    timeline: list[dict[str, Any]]
    statements: list[StatementView]
    stale: bool
    map_statements: MapStatements | None = None


def with_vote_counts(
    conversation: Conversation, statements: QuerySet[Statement]
) -> list[Statement]:
    """Return the statements, each with its votes counted: agree_count, disagree_count
    and pass_count.

    The conversation's votes are grouped by statement on their own and matched here: on
    PostgreSQL, joining two million votes to the statements and grouping the join took
    three times longer (bench/conversation_django.py).
    """
    counts = {
        statement_id: (agree, disagree, passed)
        for statement_id, agree, disagree, passed in Vote.objects.filter(conversation=conversation)
        .order_by()
        .values("statement_id")
        .annotate(
            agree=Count("pk", filter=Q(value=1)),
            disagree=Count("pk", filter=Q(value=-1)),
            passed=Count("pk", filter=Q(value=0)),
        )
        .values_list("statement_id", "agree", "disagree", "passed")
    }
    found = list(statements)
    for statement in found:
        agree, disagree, passed = counts.get(statement.pk, (0, 0, 0))
        statement.agree_count = agree  # type: ignore[attr-defined]
        statement.disagree_count = disagree  # type: ignore[attr-defined]
        statement.pass_count = passed  # type: ignore[attr-defined]
    return found


def report_statements(access: ConversationAccess) -> dict[int, Statement]:
    """Return the statements the report may show: hidden and waiting ones to organisers only."""
    statements = Statement.objects.filter(conversation=access.conversation)
    if not access.can_manage:
        statements = statements.filter(state=StatementState.SHOWN)
    by_pk: dict[int, Statement] = {}
    for statement in with_vote_counts(access.conversation, statements):
        statement.conversation = access.conversation
        by_pk[statement.pk] = statement
    return by_pk


def map_points(stored: StoredMap) -> list[tuple[float, float, int]]:
    """Return the grouped participants' positions and groups, for drawing."""
    participants = maps.read_participants(stored)
    if participants is None:
        return []
    keep = participants.groups >= 0
    positions = participants.positions[keep].astype(np.float64)
    groups = participants.groups[keep]
    return [
        (float(x), float(y), int(group))
        for (x, y), group in zip(positions.tolist(), groups.tolist(), strict=True)
    ]


def statements_on_map(view: MapView, stored: StoredMap) -> MapStatements:
    """Return the statements to mark on the map with their loadings: those the map counts
    and the viewer may see, at most MAX_MAP_STATEMENTS (the ones that weigh most on the
    map), in the order of their numbers."""
    loadings = maps.statement_loadings(stored)
    placed = [
        (item.statement, *loadings[pk])
        for pk, item in view.statements.items()
        if pk in loadings and item.statement.is_shown and not item.statement.is_meta
    ]
    weightiest = sorted(
        placed, key=lambda found: (-math.hypot(found[1], found[2]), found[0].number)
    )
    shown = sorted(weightiest[:MAX_MAP_STATEMENTS], key=lambda found: found[0].number)
    return MapStatements(shown=shown, placed=len(placed))


def conversation_report(
    access: ConversationAccess, *, with_statements: bool = False
) -> ConversationReport:
    """Return everything the report page shows; the statements on the map when asked."""
    conversation = access.conversation
    # The slim state placing one participant also holds the statements' loadings.
    heavy = ("state",) if with_statements else ("state", "placement")
    stored = StoredMap.objects.filter(conversation=conversation).defer(*heavy).first()
    statements = report_statements(access)
    view = map_view(stored, statements)
    chart = None
    on_map = None
    if stored is not None and stored.ready:
        if with_statements:
            on_map = statements_on_map(view, stored)
        chart = opinion_map_chart(
            stored.summary,
            points=map_points(stored),
            statements=[
                (statement.number, statement.text, x, y)
                for statement, x, y in (on_map.shown if on_map else [])
            ],
        )
    from .tasks import is_stale

    return ConversationReport(
        figures=figures_of(conversation),
        view=view,
        chart=chart,
        timeline=stored.summary.get("timeline", []) if stored is not None else [],
        statements=sorted(view.statements.values(), key=lambda item: item.statement.number),
        stale=is_stale(conversation, stored),
        map_statements=on_map,
    )


def conversation_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    """Return the figures a success measure of a conversation can be counted by."""
    conversation = Conversation.objects.filter(activity=activity).first()
    if conversation is None:
        return {}
    figures = figures_of(conversation)
    stored = StoredMap.objects.filter(conversation=conversation).only("summary", "ready").first()
    groups = len(stored.summary.get("groups", [])) if stored is not None else 0
    return {
        "participants": (str(_("Participants")), figures.participants),
        "votes": (str(_("Votes")), figures.votes),
        "statements": (str(_("Statements shown")), figures.statements),
        "from_participants": (
            str(_("Statements added by participants")),
            figures.from_participants,
        ),
        "groups": (str(_("Opinion groups")), groups),
        "votes_per_participant": (
            str(_("Votes per participant (average)")),
            round(figures.votes / figures.participants, 1) if figures.participants else 0,
        ),
    }
