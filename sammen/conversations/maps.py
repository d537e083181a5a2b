"""The glue between the database and the analysis: load votes, analyse, store, read back.

The `analysis` package knows nothing of Django. This module turns a conversation's rows
into its VoteTable, turns the resulting OpinionMap into what a StoredMap keeps (a small JSON
summary for pages, and NumPy archives for the next warm start and for placing one
participant in a request), and reads those back. Writes happen in actions.py.
"""

import dataclasses
import io
import itertools
import math
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Substr, TruncHour
from django.utils import timezone
from numpy.typing import NDArray
from scipy.spatial import ConvexHull, QhullError

from . import analysis
from .models import (
    STORED_MAP_FORMAT,
    Conversation,
    Statement,
    StatementState,
    StoredMap,
    Vote,
    Voter,
)

GROUP_LETTERS = "ABCDEFGHIJ"
MAX_DIVISIVE = 5
# A group must have seen a statement this often before it can call it divisive.
DIVISIVE_MIN_VOTES = 3


def group_letter(group_id: int) -> str:
    return GROUP_LETTERS[group_id] if 0 <= group_id < len(GROUP_LETTERS) else str(group_id + 1)


@dataclass(frozen=True)
class ConversationVotes:
    """A conversation's votes as the analysis takes them, and which statements count."""

    table: analysis.VoteTable
    shown: list[int]
    excluded: list[int]
    meta: list[int]
    latest: datetime | None


def load_votes(conversation: Conversation) -> ConversationVotes:
    """Read every vote of the conversation, and which statements the math leaves out.

    Statements waiting for approval or hidden are left out, as are meta statements
    (about the process). Participants and statements are identified by primary key.
    """
    statements = list(
        Statement.objects.filter(conversation=conversation).values_list("pk", "state", "is_meta")
    )
    shown = [pk for pk, state, _meta in statements if state == StatementState.SHOWN]
    meta = [pk for pk, state, is_meta in statements if is_meta and state == StatementState.SHOWN]
    excluded = [pk for pk, state, is_meta in statements if state != StatementState.SHOWN or is_meta]
    votes = Vote.objects.filter(conversation=conversation)
    # Read the newest change first: a vote arriving in between is then read but counts
    # as newer, and asks for one more recompute; it is never left out.
    latest = votes.aggregate(latest=Max("updated_at"))["latest"]
    rows = vote_rows(votes)
    table = analysis.VoteTable.from_votes(
        rows[:, 0], rows[:, 1], rows[:, 2].astype(np.int8), statements=shown
    )
    return ConversationVotes(table=table, shown=shown, excluded=excluded, meta=meta, latest=latest)


VOTE_CHUNK = 50_000


def vote_rows(votes: QuerySet[Vote]) -> NDArray[np.int64]:
    """Return the votes' (participant, statement, value) as an n x 3 array."""
    return integer_rows(votes.order_by().values_list("participant_id", "statement_id", "value"))


def integer_rows(rows: QuerySet[Any]) -> NDArray[np.int64]:
    """Return a values_list() of integer columns as an n x columns array, in its order.

    Read a chunk at a time through the database's cursor (server-side on PostgreSQL)
    straight into NumPy: two million votes kept as Python ints in lists took 80 MB more
    at the peak of a recompute, for the same time, and Django's row converters cost
    seconds more.
    """
    query = rows.query
    width = len(query.values_select) + len(query.annotation_select)
    sql, params = query.sql_with_params()
    chunks = [np.zeros((0, width), dtype=np.int64)]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(VOTE_CHUNK):
            flat = itertools.chain.from_iterable(chunk)
            chunks.append(
                np.fromiter(flat, dtype=np.int64, count=width * len(chunk)).reshape(-1, width)
            )
    return np.concatenate(chunks)


def previous_state(stored: StoredMap | None) -> analysis.MapState | None:
    """Return the map state to warm-start from, if a compatible one is stored."""
    if stored is None or stored.format != STORED_MAP_FORMAT or not stored.state:
        return None
    return analysis.MapState.from_bytes(bytes(stored.state))


@dataclass(frozen=True)
class ComputedMap:
    """What one recompute produces, ready to be stored."""

    opinion_map: analysis.OpinionMap
    summary: dict[str, Any]
    figures: dict[str, Any]
    state: bytes
    placement: bytes
    participants: bytes
    priorities: dict[int, float]
    seconds: float
    latest: datetime | None
    vote_count: int


def compute(conversation: Conversation, stored: StoredMap | None) -> ComputedMap:
    """Analyse the conversation's votes, warm-started from the stored map."""
    votes = load_votes(conversation)
    started = time.perf_counter()
    opinion_map = analysis.analyse(
        votes.table, excluded_statements=votes.excluded, previous=previous_state(stored)
    )
    seconds = time.perf_counter() - started
    priorities = analysis.statement_priorities(opinion_map, votes.shown, meta_statements=votes.meta)
    state = opinion_map.state
    return ComputedMap(
        opinion_map=opinion_map,
        summary=summarise(opinion_map, conversation),
        figures=statement_figures(opinion_map),
        state=state.to_bytes() if state is not None else b"",
        placement=slim(state).to_bytes() if state is not None else b"",
        participants=participants_archive(opinion_map),
        priorities={
            pk: float(value) for pk, value in zip(votes.shown, priorities.tolist(), strict=True)
        },
        seconds=seconds,
        latest=votes.latest,
        vote_count=votes.table.vote_count,
    )


def slim(state: analysis.MapState) -> analysis.MapState:
    """Return the part of a state that placing one participant needs (no participant ids)."""
    return dataclasses.replace(state, in_analysis=np.zeros(0, dtype=np.int64), group_clusterings={})


def participants_archive(opinion_map: analysis.OpinionMap) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        participant_ids=opinion_map.participant_ids,
        groups=opinion_map.participant_groups.astype(np.int16),
        positions=opinion_map.positions.astype(np.float32),
        in_analysis=opinion_map.in_analysis,
    )
    return buffer.getvalue()


@dataclass(frozen=True)
class MapParticipants:
    participant_ids: NDArray[np.int64]
    groups: NDArray[np.int16]
    positions: NDArray[np.float32]
    in_analysis: NDArray[np.bool_]

    def group_of(self) -> dict[int, int | None]:
        """Return {participant id: group id or None}."""
        return {
            int(pid): (int(group) if group >= 0 else None)
            for pid, group in zip(self.participant_ids, self.groups, strict=True)
        }


def read_participants(stored: StoredMap) -> MapParticipants | None:
    if stored.format != STORED_MAP_FORMAT or not stored.participants:
        return None
    with np.load(io.BytesIO(bytes(stored.participants)), allow_pickle=False) as archive:
        return MapParticipants(
            participant_ids=archive["participant_ids"],
            groups=archive["groups"],
            positions=archive["positions"],
            in_analysis=archive["in_analysis"],
        )


def placement_state(stored: StoredMap | None) -> analysis.MapState | None:
    if stored is None or stored.format != STORED_MAP_FORMAT or not stored.placement:
        return None
    return analysis.MapState.from_bytes(bytes(stored.placement))


def statement_loadings(stored: StoredMap | None) -> dict[int, tuple[float, float]]:
    """Return each statement of the map ({statement pk: (x, y)}) with its loadings on the
    map's two axes: the direction, from the centre, in which agreeing with it moves a
    participant, so where the people who agree with it stand. Empty without a map."""
    state = placement_state(stored)
    if state is None:
        return {}
    return {
        int(pk): (float(x), float(y))
        for pk, (x, y) in zip(state.statement_ids.tolist(), state.components.tolist(), strict=True)
    }


def place(stored: StoredMap | None, votes: dict[int, int]) -> analysis.Placement | None:
    """Return where a participant with these votes ({statement pk: value}) stands."""
    state = placement_state(stored)
    if state is None or not votes:
        return None
    return analysis.place_participant(state, votes)


@cache
def new_statement_priority() -> float:
    """Return the priority the analysis gives a statement it has not seen votes on yet."""
    empty = analysis.analyse(analysis.VoteTable.from_votes([], [], []))
    return float(analysis.statement_priorities(empty, [0])[0])


# --- The summary pages read ---------------------------------------------------------


def hull_of(points: NDArray[np.floating]) -> list[list[float]]:
    """Return the convex hull of a group's points (the points themselves when too few)."""
    distinct = np.unique(np.round(points.astype(np.float64), 6), axis=0)
    if len(distinct) >= 3:
        try:
            hull = ConvexHull(distinct)
        except QhullError:  # all on one line
            pass
        else:
            return [[round(float(x), 4), round(float(y), 4)] for x, y in distinct[hull.vertices]]
    return [[round(float(x), 4), round(float(y), 4)] for x, y in distinct]


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def divisive_statements(opinion_map: analysis.OpinionMap) -> list[dict[str, Any]]:
    """Return the statements on which the groups differ most, widest gap first.

    The gap is the largest difference between two groups' shares of agreement (or of
    disagreement) among their votes on the statement, counting only groups that voted
    on it at least DIVISIVE_MIN_VOTES times. A statement a majority of every group
    shares unites them, however unequal the majorities, so it is not listed here.
    """
    tallies = opinion_map.tallies
    if len(opinion_map.groups) < 2:
        return []
    seen = tallies.seen
    uniting = set(
        analysis.consensus_across_groups(
            opinion_map.statement_ids, tallies.agree, tallies.disagree, tallies.passed, limit=None
        ).statement_ids
    )
    found = []
    for column, statement_id in enumerate(opinion_map.statement_ids.tolist()):
        voted = seen[:, column] >= DIVISIVE_MIN_VOTES
        if statement_id in uniting:
            continue
        if voted.sum() < 2:
            continue
        agree = tallies.agree[voted, column] / seen[voted, column]
        disagree = tallies.disagree[voted, column] / seen[voted, column]
        gap = max(agree.max() - agree.min(), disagree.max() - disagree.min())
        if gap >= 0.3:
            found.append({"statement": int(statement_id), "gap": round(float(gap), 4)})
    found.sort(key=lambda item: (-item["gap"], item["statement"]))
    return found[:MAX_DIVISIVE]


def statement_figures(opinion_map: analysis.OpinionMap) -> dict[str, Any]:
    """Return, per statement in the map, its votes per group and overall, and its consensus."""
    tallies = opinion_map.tallies
    figures: dict[str, Any] = {}
    for column, statement_id in enumerate(opinion_map.statement_ids.tolist()):
        gic = float(opinion_map.group_informed_consensus[column])
        figures[str(statement_id)] = {
            "agree": tallies.agree[:, column].tolist(),
            "disagree": tallies.disagree[:, column].tolist(),
            "passed": tallies.passed[:, column].tolist(),
            "total": [
                int(tallies.total_agree[column]),
                int(tallies.total_disagree[column]),
                int(tallies.total_passed[column]),
            ],
            "gic": None if math.isnan(gic) else round(gic, 6),
            "extremity": round(float(opinion_map.extremity[column]), 6),
        }
    return figures


def consensus_from_figures(figures: dict[str, Any]) -> analysis.Consensus:
    """Return the statements that unite the groups, all of them, from a map's figures.

    Read from the stored votes per group rather than stored itself, so maps stored
    before the rule (issue 9) follow it too.
    """
    ids = sorted(int(pk) for pk in figures)
    if not ids:
        return analysis.Consensus()
    rows = [figures[str(pk)] for pk in ids]
    counts = [
        np.array([row[key] for row in rows], dtype=np.int64).reshape(len(ids), -1).T
        for key in ("agree", "disagree", "passed")
    ]
    return analysis.consensus_across_groups(np.array(ids), *counts, limit=None)


def summarise(opinion_map: analysis.OpinionMap, conversation: Conversation) -> dict[str, Any]:
    """Return what every page needs from a map, as JSON: small whatever the number of people."""
    groups = []
    for group in opinion_map.groups:
        members = opinion_map.participant_groups == group.id
        groups.append(
            {
                "id": group.id,
                "letter": group_letter(group.id),
                "size": group.size,
                "centre": [round(group.centre[0], 4), round(group.centre[1], 4)],
                "hull": hull_of(opinion_map.positions[members]),
                "representative": [
                    {
                        "statement": item.statement_id,
                        "direction": item.direction,
                        "n_success": item.n_success,
                        "n_trials": item.n_trials,
                        "probability": round(item.probability, 6),
                        "repness": round(item.repness, 6),
                        "significant": item.significant,
                        "best_agree": item.best_agree,
                    }
                    for item in group.representative
                ],
            }
        )
    grouped = opinion_map.positions[opinion_map.participant_groups >= 0]
    bounds = (
        [
            round(float(grouped[:, 0].min()), 4),
            round(float(grouped[:, 1].min()), 4),
            round(float(grouped[:, 0].max()), 4),
            round(float(grouped[:, 1].max()), 4),
        ]
        if opinion_map.ready and len(grouped)
        else None
    )
    return {
        "ready": opinion_map.ready,
        "reason": opinion_map.reason,
        "participants": len(opinion_map.participant_ids),
        "grouped": int((opinion_map.participant_groups >= 0).sum()),
        "groups": groups,
        "divisive": divisive_statements(opinion_map) if opinion_map.ready else [],
        "bounds": bounds,
        "timeline": participation_timeline(conversation),
    }


def counts_per_hour(rows: QuerySet[Any], column: str) -> dict[datetime, int]:
    """Count rows per hour (UTC) of `column`, grouped in the database.

    SQLite keeps times as UTC text, so its hour is a prefix of that text; Django's
    TruncHour would parse every row in Python there. PostgreSQL truncates natively.
    """
    hour = Substr(column, 1, 13) if connection.vendor == "sqlite" else TruncHour(column, tzinfo=UTC)
    counts: dict[datetime, int] = {}
    for key, count in (
        rows.annotate(hour=hour).values("hour").annotate(n=Count("pk")).values_list("hour", "n")
    ):
        moment = (
            datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)
            if isinstance(key, str)
            else key
        )
        counts[moment] = counts.get(moment, 0) + count
    return counts


def participation_timeline(conversation: Conversation) -> list[dict[str, Any]]:
    """Return votes, newcomers and statements per day (on the site's clock), by day."""
    series: dict[date, dict[str, int]] = {}
    sources = [
        ("votes", Vote.objects.filter(conversation=conversation), "created_at"),
        ("participants", Voter.objects.filter(conversation=conversation), "joined_at"),
        ("statements", Statement.objects.filter(conversation=conversation), "created_at"),
    ]
    for key, rows, column in sources:
        for hour, count in counts_per_hour(rows, column).items():
            day = timezone.localtime(hour).date()
            series.setdefault(day, {"votes": 0, "participants": 0, "statements": 0})[key] += count
    # Only the days with something on them: a conversation imported from Pol.is may
    # span years. The chart fills in the days between.
    return [{"day": day.isoformat(), **series[day]} for day in sorted(series)]
