"""The conversation's report and figures: what unites and divides, the map's statements."""

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sammen.activities.models import Activity

from .. import maps
from ..charts import OpinionMapChart, opinion_map_chart
from ..models import Conversation, Statement, StatementState, StoredMap, Vote, Voter
from ..permissions import ConversationAccess
from .opinion_map import MAX_MAP_STATEMENTS, MapView, StatementView, map_view


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
    from ..tasks import is_stale

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
