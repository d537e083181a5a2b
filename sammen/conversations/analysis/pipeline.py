"""The analysis: from a vote table to an opinion map (Pol.is's ``conversation.clj``)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from .clusters import (
    BASE_CLUSTERS,
    _base_clusters,
    _group_clusterings,
    _group_counts,
    _smooth_k,
    _stable_group_ids,
)
from .components import _previous_components, _principal_components
from .consensus import consensus_across_groups, group_informed_consensus
from .representativeness import _representative_statements
from .state import NOT_ENOUGH_VOTES, Consensus, Group, MapState, OpinionMap, VoteTallies
from .votes import ALWAYS_INCLUDED, ENTRY_VOTES, IntArray, VoteTable

_THREADED_VOTES = 1_000_000
"""Below this many votes, BLAS and OpenMP threads cost more to wake than they save."""


def analyse(
    votes: VoteTable,
    *,
    excluded_statements: Iterable[int] = (),
    previous: OpinionMap | MapState | None = None,
    seed: int = 0,
) -> OpinionMap:
    """Compute the opinion map of a conversation; never raise on small or odd input.

    ``excluded_statements`` are left out of the math (moderated out, meta).
    ``previous`` (the last map or its ``state``) warm-starts the principal components
    and both k-means, keeps participants who were in the analysis in it, keeps group
    ids stable where groups persist, and carries Pol.is's rule that a new number of
    groups must win 4 updates in a row. ``seed`` fixes every random start, so the same
    votes and the same previous map always give the same result.
    """
    # Threads pay off only on large inputs; on small ones, and more so on a busy
    # machine, waking them costs more than the work (a 500 x 300 SVD: 30 ms alone,
    # up to a second with threads).
    with threadpool_limits(limits=1 if votes.vote_count < _THREADED_VOTES else None):
        return _analyse(votes, excluded_statements, previous, seed)


def _analyse(
    votes: VoteTable,
    excluded_statements: Iterable[int],
    previous: OpinionMap | MapState | None,
    seed: int,
) -> OpinionMap:
    state = previous.state if isinstance(previous, OpinionMap) else previous
    excluded = np.fromiter(excluded_statements, dtype=np.int64)
    table = votes.without_statements(excluded)
    matrix = table.matrix
    n_participants, n_statements = matrix.shape
    totals = _statement_totals(matrix)
    if n_participants < 2 or n_statements < 2 or not np.any(matrix.data != 0):
        return _not_ready(table, totals)

    # Pol.is zeroes excluded statements out instead of dropping them, so everyone
    # counts as having passed on them: they count in the entry threshold and in the
    # sparsity scaling (statements nobody voted on do not). Kept for fidelity: without
    # it, agreement with Pol.is's groups falls (see the decision record).
    voted_excluded = np.isin(votes.statement_ids, excluded) & (
        np.bincount(votes.matrix.indices, minlength=len(votes.statement_ids)) > 0
    )
    n_excluded = int(voted_excluded.sum())
    all_votes = np.diff(votes.matrix.indptr)[np.isin(votes.participant_ids, table.participant_ids)]
    votes_per_participant = np.diff(matrix.indptr)
    voted = np.bincount(matrix.indices, minlength=n_statements)
    n_voted_statements = int((voted > 0).sum()) + n_excluded
    in_analysis = _participants_in_analysis(
        table.participant_ids, all_votes, n_voted_statements, state
    )
    mean = np.bincount(matrix.indices, weights=matrix.data, minlength=n_statements) / np.maximum(
        voted, 1
    )
    # Imputing a missing vote with the statement's mean and then centring on that mean
    # makes the imputed cells exactly zero: only the votes need storing.
    centred = sp.csr_array(
        (matrix.data - mean[matrix.indices], matrix.indices, matrix.indptr), shape=matrix.shape
    )
    previous_components = _previous_components(state, table.statement_ids)
    components = _principal_components(centred, previous_components, seed)
    scale = np.sqrt(n_voted_statements / np.maximum(votes_per_participant + n_excluded, 1))
    positions = np.asarray(centred @ components) * scale[:, None]

    members = np.flatnonzero(in_analysis)
    points = positions[members]
    distinct_points = len(np.unique(points[:, 0] + 1j * points[:, 1]))
    if distinct_points < 2:
        return _not_ready(table, totals)
    base_k = min(BASE_CLUSTERS, distinct_points)
    base_centres, member_bases = _base_clusters(
        points, base_k, state.base_centres if state else None, seed
    )
    base_sizes = np.bincount(member_bases, minlength=len(base_centres)).astype(np.int64)

    clusterings, silhouettes = _group_clusterings(base_centres, base_sizes, state, seed)
    last_k, last_k_count, smoothed_k = _smooth_k(silhouettes, state)
    base_groups, group_centres = _stable_group_ids(
        clusterings[smoothed_k], base_centres, base_sizes, state
    )

    base_labels = np.full(n_participants, -1, dtype=np.int64)
    base_labels[members] = member_bases
    participant_groups = np.full(n_participants, -1, dtype=np.int64)
    participant_groups[members] = base_groups[member_bases]
    n_groups = len(group_centres)

    agree, disagree, passed = _group_counts(matrix, participant_groups, n_groups)
    tallies = VoteTallies(agree, disagree, passed, *totals)
    representative = _representative_statements(
        table.statement_ids, agree, disagree, agree + disagree + passed
    )
    groups = tuple(
        Group(
            id=g,
            members=table.participant_ids[participant_groups == g],
            centre=(float(group_centres[g, 0]), float(group_centres[g, 1])),
            representative=tuple(representative[g]),
        )
        for g in range(n_groups)
    )
    new_state = MapState(
        statement_ids=table.statement_ids,
        mean=mean,
        components=components,
        in_analysis=table.participant_ids[members],
        base_centres=base_centres,
        base_sizes=base_sizes,
        base_groups=base_groups,
        group_centres=group_centres,
        group_clusterings={k: centres for k, (centres, _labels) in clusterings.items()},
        scaling_statements=n_voted_statements,
        scaling_extra_votes=n_excluded,
        last_k=last_k,
        last_k_count=last_k_count,
        smoothed_k=smoothed_k,
    )
    return OpinionMap(
        ready=True,
        reason="",
        participant_ids=table.participant_ids,
        positions=positions,
        participant_groups=participant_groups,
        in_analysis=in_analysis,
        base_labels=base_labels,
        base_centres=base_centres,
        base_sizes=base_sizes,
        base_groups=base_groups,
        statement_ids=table.statement_ids,
        groups=groups,
        consensus=consensus_across_groups(table.statement_ids, agree, disagree, passed),
        group_informed_consensus=group_informed_consensus(agree, agree + disagree + passed),
        extremity=np.abs(1 - mean) * math.sqrt(n_statements) * np.linalg.norm(components, axis=1),
        tallies=tallies,
        state=new_state,
    )


def _not_ready(
    table: VoteTable, totals: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
) -> OpinionMap:
    n_participants, n_statements = len(table.participant_ids), len(table.statement_ids)
    none = np.zeros((0, n_statements), dtype=np.int64)
    return OpinionMap(
        ready=False,
        reason=NOT_ENOUGH_VOTES,
        participant_ids=table.participant_ids,
        positions=np.full((n_participants, 2), np.nan),
        participant_groups=np.full(n_participants, -1, dtype=np.int64),
        in_analysis=np.zeros(n_participants, dtype=bool),
        base_labels=np.full(n_participants, -1, dtype=np.int64),
        base_centres=np.zeros((0, 2)),
        base_sizes=np.zeros(0, dtype=np.int64),
        base_groups=np.zeros(0, dtype=np.int64),
        statement_ids=table.statement_ids,
        groups=(),
        consensus=Consensus(),
        group_informed_consensus=np.full(n_statements, np.nan),
        extremity=np.zeros(n_statements),
        tallies=VoteTallies(none, none, none, *totals),
        state=None,
    )


def _statement_totals(
    matrix: sp.csr_array,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return agree, disagree and pass counts per statement."""
    n = matrix.shape[1]
    codes = (matrix.data.astype(np.int64) + 1) * n + matrix.indices
    counts = np.bincount(codes, minlength=3 * n).reshape(3, n).astype(np.int64)
    return counts[2], counts[0], counts[1]


def _participants_in_analysis(
    participant_ids: IntArray,
    votes_per_participant: NDArray[np.integer],
    n_statements: int,
    state: MapState | None,
) -> NDArray[np.bool_]:
    """Return who is clustered: enough votes, once in always in, and the 15 most active."""
    included = votes_per_participant >= min(ENTRY_VOTES, n_statements)
    if state is not None:
        included |= np.isin(participant_ids, state.in_analysis)
    missing = ALWAYS_INCLUDED - int(included.sum())
    if missing > 0:
        # Most votes first; equal counts in id order, so the input order never matters.
        order = np.lexsort((participant_ids, -votes_per_participant))
        candidates = order[~included[order]]
        included[candidates[:missing]] = True
    return included
