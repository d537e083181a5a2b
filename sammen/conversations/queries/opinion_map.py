"""The opinion map as pages show it: statements, groups and their bars."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import analysis, maps
from ..charts import GROUP_COLOURS, VoteBar, vote_bar
from ..models import Statement, StoredMap

# More numbered markers than this hide the map under them; the table lists them all the same.
MAX_MAP_STATEMENTS = 50


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
