"""Opinion maps: groups, what divides them and what unites them, from agree/disagree/pass votes.

Pure NumPy, SciPy sparse and scikit-learn, with no Django import, so it runs in a
background task, in the analyst's command line tool and in the benchmark alike.

The pipeline follows Pol.is's math (``polismath/math/{pca,clusters,repness,
conversation}.clj``) and differs where Pol.is has known bugs; the differences are
listed in ``docs/decisions/0008-opinion-map-analysis.md``:

1. a sparse participants x statements matrix, agree +1, disagree -1, pass 0 (stored
   explicitly), missing not stored; excluded statements (moderated out, meta) dropped;
2. participants enter the analysis once they have voted on ``min(7, statements)``
   statements, at least the 15 most active always, and once in they stay in;
3. missing votes imputed with the statement's mean, so the centred matrix keeps the
   sparsity of the votes; two principal components by truncated SVD; each projection
   scaled by ``sqrt(statements / votes of that participant)``, where, as in Pol.is,
   excluded statements that received votes count as statements everyone passed on;
4. up to 100 base clusters by k-means on the projections of the participants in the
   analysis, then groups by weighted k-means on the base centres for k in
   ``2..min(5, 2 + bases // 12)``, k chosen by silhouette over the base centres and
   changed only after the same new k won 4 updates in a row;
5. representative statements per group and group-informed consensus from the
   votes of the groups' members; consensus statements, those a majority in every
   group agrees (or disagrees) with, from the same votes.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse.linalg import svds
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

NOT_ENOUGH_VOTES = "not enough votes yet"

ENTRY_VOTES = 7
"""A participant enters the analysis after voting on this many statements (or all)."""

ALWAYS_INCLUDED = 15
"""The most active participants always in the analysis, however few their votes."""

BASE_CLUSTERS = 100
MAX_GROUPS = 5
GROUP_K_BUFFER = 4
"""Updates in a row a new number of groups must win before it replaces the current one."""

Z_90 = 1.2816
"""One-sided z at the 90% level, as Pol.is's ``z-sig-90?``."""

MAX_REPRESENTATIVE = 5
MAX_CONSENSUS = 5

UNITING_MIN_VOTES = 3
"""Votes (agree, disagree or pass) each group must have cast on a statement before the
statement can be said to unite the groups: Pol.is's test of a majority passes a single
unanimous vote."""

META_PRIORITY = 7.0
"""Pol.is's fixed priority of meta statements, before squaring."""

_DENSE_SVD_CELLS = 250_000
"""Below this many matrix cells a dense SVD is faster than a sparse Lanczos solver."""

_THREADED_VOTES = 1_000_000
"""Below this many votes, BLAS and OpenMP threads cost more to wake than they save."""

Direction = Literal["agree", "disagree"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


# --- Votes ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class VoteTable:
    """The latest vote of each participant on each statement, as a sparse matrix.

    Rows are ``participant_ids`` and columns ``statement_ids``, both sorted ascending,
    so the order in which votes arrive never changes a result. Stored entries are votes
    (int8: 1 agree, -1 disagree, 0 pass, stored explicitly); a missing entry is a
    statement the participant has not voted on.
    """

    participant_ids: IntArray
    statement_ids: IntArray
    matrix: sp.csr_array

    @classmethod
    def from_votes(
        cls,
        participant_ids: ArrayLike,
        statement_ids: ArrayLike,
        votes: ArrayLike,
        timestamps: ArrayLike | None = None,
        *,
        statements: Iterable[int] = (),
    ) -> VoteTable:
        """Build the table from one row per vote, keeping each participant's latest vote.

        A participant's votes on the same statement resolve to the one with the latest
        timestamp, and among equal timestamps (or without timestamps) to the last one
        given. ``statements`` adds statements nobody has voted on yet as empty columns.
        Raise ValueError on arrays of different lengths or a vote other than -1, 0, 1.
        """
        pids = np.asarray(participant_ids, dtype=np.int64).ravel()
        tids = np.asarray(statement_ids, dtype=np.int64).ravel()
        values = np.asarray(votes).ravel()
        if not (len(pids) == len(tids) == len(values)):
            raise ValueError("participant_ids, statement_ids and votes differ in length")
        if len(values) and not _all_votes(values):
            raise ValueError("a vote must be -1 (disagree), 0 (pass) or 1 (agree)")
        values = values.astype(np.int8)
        extra = np.fromiter(statements, dtype=np.int64)
        rows, row_ids = _dense_index(pids)
        cols, col_ids = _dense_index(np.concatenate([tids, extra]))
        cols = cols[: len(tids)]
        keys = rows.astype(np.int64) * max(len(col_ids), 1) + cols
        if not (len(keys) < 2 or bool((keys[1:] > keys[:-1]).all())):
            keys, values = _latest_per_key(keys, values, timestamps)
            rows = (keys // max(len(col_ids), 1)).astype(np.int32)
            cols = (keys % max(len(col_ids), 1)).astype(np.int32)
        return cls._from_sorted(rows, cols.astype(np.int32), values, row_ids, col_ids)

    @classmethod
    def from_matrix(
        cls,
        matrix: sp.sparray | sp.spmatrix,
        participant_ids: ArrayLike,
        statement_ids: ArrayLike,
    ) -> VoteTable:
        """Wrap a sparse matrix whose stored entries are votes (an explicit 0 is a pass).

        Rows and columns are put in ascending id order; duplicate ids raise ValueError,
        as does a stored value other than -1, 0 or 1.
        """
        coo = sp.coo_array(matrix)
        pids = np.asarray(participant_ids, dtype=np.int64).ravel()
        tids = np.asarray(statement_ids, dtype=np.int64).ravel()
        if coo.shape != (len(pids), len(tids)):
            raise ValueError("the matrix shape does not match the ids")
        if len(np.unique(pids)) != len(pids) or len(np.unique(tids)) != len(tids):
            raise ValueError("participant and statement ids must be unique")
        return cls.from_votes(pids[coo.row], tids[coo.col], coo.data, statements=tids)

    @classmethod
    def _from_sorted(
        cls,
        rows: NDArray[np.integer],
        cols: NDArray[np.int32],
        values: NDArray[np.int8],
        row_ids: IntArray,
        col_ids: IntArray,
    ) -> VoteTable:
        indptr = np.zeros(len(row_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(row_ids)), out=indptr[1:])
        matrix = sp.csr_array(
            (values, cols.astype(np.int32), indptr), shape=(len(row_ids), len(col_ids))
        )
        return cls(participant_ids=row_ids, statement_ids=col_ids, matrix=matrix)

    @property
    def vote_count(self) -> int:
        """Return how many votes the table holds (passes included)."""
        return int(self.matrix.nnz)

    def triplets(self) -> tuple[IntArray, IntArray, NDArray[np.int8]]:
        """Return (participant id, statement id, vote) arrays, one entry per vote."""
        rows = np.repeat(np.arange(len(self.participant_ids)), np.diff(self.matrix.indptr))
        return (
            self.participant_ids[rows],
            self.statement_ids[self.matrix.indices],
            np.asarray(self.matrix.data, dtype=np.int8),
        )

    def without_statements(self, statement_ids: Iterable[int]) -> VoteTable:
        """Return the table without the given statements and without anyone left voteless."""
        drop = np.fromiter(statement_ids, dtype=np.int64)
        keep_cols = ~np.isin(self.statement_ids, drop)
        matrix = self.matrix
        if not keep_cols.all():
            matrix = _select_columns(matrix, keep_cols)
        keep_rows = np.diff(matrix.indptr) > 0
        if not keep_rows.all():
            matrix = _select_rows(matrix, keep_rows)
        return VoteTable(
            participant_ids=self.participant_ids[keep_rows],
            statement_ids=self.statement_ids[keep_cols],
            matrix=matrix,
        )


def _all_votes(values: NDArray[np.generic]) -> bool:
    """Return whether every value is -1, 0 or 1 (a range check for integer arrays)."""
    if values.dtype.kind in "iu":
        return bool(values.min() >= -1 and values.max() <= 1)
    return bool(np.isin(values, (-1, 0, 1)).all())


def _dense_index(ids: IntArray) -> tuple[NDArray[np.int32], IntArray]:
    """Return each id's position among the sorted distinct ids, and those ids."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    low, high = int(ids.min()), int(ids.max())
    # Database keys are small non-negative integers: a lookup table beats a sort.
    if low >= 0 and high < max(4 * len(ids), 1 << 20):
        present = np.zeros(high + 1, dtype=bool)
        present[ids] = True
        position = np.cumsum(present, dtype=np.int64) - 1
        return position[ids].astype(np.int32), np.flatnonzero(present).astype(np.int64)
    distinct, inverse = np.unique(ids, return_inverse=True)
    return inverse.astype(np.int32), distinct.astype(np.int64)


def _latest_per_key(
    keys: IntArray, values: NDArray[np.int8], timestamps: ArrayLike | None
) -> tuple[IntArray, NDArray[np.int8]]:
    """Sort by key and keep, per key, the vote with the latest timestamp (last on ties)."""
    position = np.arange(len(keys))
    if timestamps is None:
        order = np.lexsort((position, keys))
    else:
        times = np.asarray(timestamps, dtype=np.float64).ravel()
        if len(times) != len(keys):
            raise ValueError("timestamps and votes differ in length")
        order = np.lexsort((position, times, keys))
    keys = keys[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return keys[last], values[order][last]


def _select_columns(matrix: sp.csr_array, keep: NDArray[np.bool_]) -> sp.csr_array:
    """Return the matrix without the unkept columns, explicit zeros (passes) kept."""
    new_index = np.cumsum(keep) - 1
    entry_kept = keep[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[entry_kept]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_array(
        (matrix.data[entry_kept], new_index[matrix.indices[entry_kept]].astype(np.int32), indptr),
        shape=(matrix.shape[0], int(keep.sum())),
    )


def _select_rows(matrix: sp.csr_array, keep: NDArray[np.bool_]) -> sp.csr_array:
    """Return the matrix without the unkept rows, explicit zeros (passes) kept."""
    lengths = np.diff(matrix.indptr)
    entry_kept = np.repeat(keep, lengths)
    indptr = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
    np.cumsum(lengths[keep], out=indptr[1:])
    return sp.csr_array(
        (matrix.data[entry_kept], matrix.indices[entry_kept], indptr),
        shape=(int(keep.sum()), matrix.shape[1]),
    )


# --- Results -------------------------------------------------------------------------


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart, with Pol.is's repness figures.

    ``n_success`` of the group's ``n_trials`` votes went in ``direction``;
    ``probability`` is (n_success + 1) / (n_trials + 2) and ``probability_z`` its
    one-sample z against 1/2; ``repness`` is that probability over the same
    probability among the other groups and ``repness_z`` the two-proportion z.
    ``significant`` says both z pass the one-sided 90% level; ``best_agree`` marks
    the statement the group agrees with most, which Pol.is always shows first.
    """

    statement_id: int
    direction: Direction
    n_success: int
    n_trials: int
    probability: float
    probability_z: float
    repness: float
    repness_z: float
    significant: bool
    best_agree: bool


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement a majority in every group agrees (or disagrees) with.

    Per group (aligned with ``OpinionMap.groups``), ``n_success`` of the members'
    ``n_trials`` votes went in ``direction``. ``probability`` and ``probability_z`` are
    the lowest over the groups of Pol.is's (n_success + 1) / (n_trials + 2) and its
    one-sample z; ``group_informed`` is their product over the groups, which for
    "agree" is Pol.is's group-informed consensus.
    """

    statement_id: int
    direction: Direction
    n_success: tuple[int, ...]
    n_trials: tuple[int, ...]
    probability: float
    probability_z: float
    group_informed: float


@dataclass(frozen=True)
class Consensus:
    """The statements that unite the groups: up to 5 agreed, up to 5 disagreed.

    ``statements_with_enough_votes`` counts the statements on which every group cast
    ``UNITING_MIN_VOTES`` votes or more, the only ones that can unite the groups;
    ``statements_with_too_few_votes`` those that group members voted on, but not that
    often in every group. When both lists are empty, these say whether that is because
    the groups differ or because there are too few votes to tell.
    """

    agree: tuple[ConsensusStatement, ...] = ()
    disagree: tuple[ConsensusStatement, ...] = ()
    statements_with_enough_votes: int = 0
    statements_with_too_few_votes: int = 0

    @property
    def statement_ids(self) -> list[int]:
        """Return the agreed statements' ids, then the disagreed ones'."""
        return [s.statement_id for s in (*self.agree, *self.disagree)]


@dataclass(frozen=True, eq=False)
class Group:
    """An opinion group: its members, centre on the map and representative statements."""

    id: int
    members: IntArray
    centre: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]

    @property
    def size(self) -> int:
        """Return the number of participants in the group."""
        return len(self.members)


@dataclass(frozen=True, eq=False)
class VoteTallies:
    """Votes per statement (columns aligned with ``OpinionMap.statement_ids``).

    ``agree``, ``disagree`` and ``passed`` are (groups x statements) counts of the
    group members' votes, row i for ``OpinionMap.groups[i]``; the ``total_*`` arrays
    count everyone's votes, in the analysis or not.
    """

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    passed: NDArray[np.int64]
    total_agree: NDArray[np.int64]
    total_disagree: NDArray[np.int64]
    total_passed: NDArray[np.int64]

    @property
    def seen(self) -> NDArray[np.int64]:
        """Return the group members' votes per statement, passes included."""
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True, eq=False)
class MapState:
    """What the next update and the placement of a newcomer need from this map.

    Small (a few kilobytes plus the ids of the participants in the analysis) and
    serialisable with ``to_bytes``/``from_bytes``, so a background task can keep it
    between recomputes.
    """

    statement_ids: IntArray
    mean: FloatArray
    components: FloatArray
    in_analysis: IntArray
    base_centres: FloatArray
    base_sizes: IntArray
    base_groups: IntArray
    group_centres: FloatArray
    group_clusterings: dict[int, FloatArray] = field(default_factory=dict)
    scaling_statements: int = 0
    scaling_extra_votes: int = 0
    last_k: int = 0
    last_k_count: int = 0
    smoothed_k: int = 0

    def to_bytes(self) -> bytes:
        """Serialise the state as a NumPy .npz archive (no pickle)."""
        buffer = io.BytesIO()
        arrays: dict[str, NDArray[np.generic]] = {
            "statement_ids": self.statement_ids,
            "mean": self.mean,
            "components": self.components,
            "in_analysis": self.in_analysis,
            "base_centres": self.base_centres,
            "base_sizes": self.base_sizes,
            "base_groups": self.base_groups,
            "group_centres": self.group_centres,
            "k_smoother": np.array([self.last_k, self.last_k_count, self.smoothed_k]),
            "scaling": np.array([self.scaling_statements, self.scaling_extra_votes]),
        }
        for k, centres in self.group_clusterings.items():
            arrays[f"clustering_{k}"] = centres
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> MapState:
        """Load a state written by ``to_bytes``."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            last_k, last_k_count, smoothed_k = (int(v) for v in archive["k_smoother"])
            scaling_statements, scaling_extra_votes = (int(v) for v in archive["scaling"])
            return cls(
                statement_ids=archive["statement_ids"],
                mean=archive["mean"],
                components=archive["components"],
                in_analysis=archive["in_analysis"],
                base_centres=archive["base_centres"],
                base_sizes=archive["base_sizes"],
                base_groups=archive["base_groups"],
                group_centres=archive["group_centres"],
                group_clusterings={
                    int(name.removeprefix("clustering_")): archive[name]
                    for name in archive.files
                    if name.startswith("clustering_")
                },
                scaling_statements=scaling_statements,
                scaling_extra_votes=scaling_extra_votes,
                last_k=last_k,
                last_k_count=last_k_count,
                smoothed_k=smoothed_k,
            )


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The result of one analysis.

    Per participant (aligned with ``participant_ids``, sorted): ``positions`` (x, y;
    NaN when the map is not ready), ``participant_groups`` (group id, -1 when not
    grouped), ``in_analysis`` and ``base_labels`` (-1 outside the analysis). Per
    statement (aligned with ``statement_ids``, sorted, excluded statements left out):
    ``group_informed_consensus`` (NaN when not ready), ``extremity`` and ``tallies``.
    When ``ready`` is false, ``reason`` says why and there are no groups.
    """

    ready: bool
    reason: str
    participant_ids: IntArray
    positions: FloatArray
    participant_groups: IntArray
    in_analysis: NDArray[np.bool_]
    base_labels: IntArray
    base_centres: FloatArray
    base_sizes: IntArray
    base_groups: IntArray
    statement_ids: IntArray
    groups: tuple[Group, ...]
    consensus: Consensus
    group_informed_consensus: FloatArray
    extremity: FloatArray
    tallies: VoteTallies
    state: MapState | None

    def group_of(self, participant_id: int) -> int | None:
        """Return the participant's group id, or None when they are not in a group."""
        index = np.searchsorted(self.participant_ids, participant_id)
        if index >= len(self.participant_ids) or self.participant_ids[index] != participant_id:
            return None
        group = int(self.participant_groups[index])
        return None if group < 0 else group

    def informed_consensus(self, statement_id: int) -> float | None:
        """Return the statement's group-informed consensus, None if unknown or not ready."""
        index = np.searchsorted(self.statement_ids, statement_id)
        if index >= len(self.statement_ids) or self.statement_ids[index] != statement_id:
            return None
        value = float(self.group_informed_consensus[index])
        return None if math.isnan(value) else value


@dataclass(frozen=True)
class Placement:
    """Where a participant stands on a map before the next recompute."""

    x: float
    y: float
    group_id: int | None
    vote_count: int


# --- The analysis --------------------------------------------------------------------


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


def _previous_components(state: MapState | None, statement_ids: IntArray) -> FloatArray | None:
    """Return the previous components on the current statements (zero for new ones)."""
    if state is None or len(state.components) == 0:
        return None
    components = np.zeros((len(statement_ids), 2))
    where = np.searchsorted(state.statement_ids, statement_ids)
    where = np.minimum(where, len(state.statement_ids) - 1)
    known = state.statement_ids[where] == statement_ids
    components[known] = state.components[where[known]]
    return components


def _principal_components(
    centred: sp.csr_array, previous: FloatArray | None, seed: int
) -> FloatArray:
    """Return the top two right singular vectors of the centred votes, as (statements, 2).

    Signs are fixed: with a previous map, each component points the way the previous
    one did (so the map does not flip between updates); otherwise the largest loading
    of each component is positive.
    """
    n_participants, n_statements = centred.shape
    if n_participants * n_statements <= _DENSE_SVD_CELLS or min(centred.shape) <= 3:
        _u, _s, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        components = vt[:2].T.copy()
    else:
        if previous is not None and n_statements <= n_participants and previous.any():
            # Lanczos started inside the old plane finds the new one in a few steps.
            start = previous.sum(axis=1) + 1e-3 * _start_vector(n_statements, seed)
        else:
            start = _start_vector(min(centred.shape), seed)
        _u, singular_values, vt = svds(
            centred, k=2, v0=start, tol=1e-7, solver="arpack", random_state=seed
        )
        order = np.argsort(-singular_values)
        components = vt[order].T.copy()
    if components.shape[1] < 2:
        components = np.hstack([components, np.zeros((n_statements, 2 - components.shape[1]))])
    for c in range(2):
        if previous is not None and previous[:, c].any():
            flip = float(components[:, c] @ previous[:, c]) < 0
        else:
            flip = components[np.argmax(np.abs(components[:, c])), c] < 0
        if flip:
            components[:, c] = -components[:, c]
    return components


def _start_vector(length: int, seed: int) -> FloatArray:
    return np.random.default_rng(seed).standard_normal(length)


def _base_clusters(
    points: FloatArray, k: int, previous_centres: FloatArray | None, seed: int
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Cluster the projections into k fine base clusters; return centres and labels."""
    if previous_centres is not None and len(previous_centres):
        init: FloatArray | str = _grow_centres(points, np.unique(previous_centres, axis=0), k)
    else:
        init = "k-means++"
    kmeans = KMeans(n_clusters=k, init=init, n_init=1, max_iter=100, random_state=seed)
    with warnings.catch_warnings():
        # Fewer distinct clusters than asked for is handled below: empty ones are dropped.
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = kmeans.fit_predict(points)
    used, labels = np.unique(labels, return_inverse=True)
    return kmeans.cluster_centers_[used], labels.astype(np.int64)


def _grow_centres(points: FloatArray, centres: FloatArray, k: int) -> FloatArray:
    """Return k starting centres: the previous ones, plus the farthest points as new ones.

    This is Pol.is's ``clean-start-clusters``: structure is kept and new clusters are
    opened where the newly arrived participants are worst served.
    """
    centres = centres[:k]
    if len(centres) == k:
        return centres
    nearest = (
        np.min(np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2), axis=1)
        if len(points) * len(centres) <= 10_000_000
        else _nearest_distance(points, centres)
    )
    grown = [centres]
    for _ in range(k - len(centres)):
        farthest = int(np.argmax(nearest))
        if nearest[farthest] <= 0:
            break
        grown.append(points[farthest][None, :])
        nearest = np.minimum(nearest, np.linalg.norm(points - points[farthest], axis=1))
    result = np.vstack(grown)
    if len(result) < k:
        # Everyone sits on an existing centre: fall back to distinct points.
        distinct = np.unique(points, axis=0)
        extra = distinct[~(distinct[:, None, :] == result[None, :, :]).all(axis=2).any(axis=1)]
        result = np.vstack([result, extra[: k - len(result)]])
    return result


def _nearest_distance(points: FloatArray, centres: FloatArray) -> FloatArray:
    nearest = np.full(len(points), np.inf)
    for centre in centres:
        nearest = np.minimum(nearest, np.linalg.norm(points - centre, axis=1))
    return nearest


def _group_clusterings(
    base_centres: FloatArray, base_sizes: IntArray, state: MapState | None, seed: int
) -> tuple[dict[int, tuple[FloatArray, NDArray[np.int64]]], dict[int, float]]:
    """Cluster the base centres, weighted by size, for each candidate number of groups.

    Return {k: (group centres, group of each base cluster)} and {k: silhouette}.
    """
    n_bases = len(base_centres)
    largest_k = min(MAX_GROUPS, 2 + n_bases // 12, max(n_bases - 1, 2))
    clusterings: dict[int, tuple[FloatArray, NDArray[np.int64]]] = {}
    silhouettes: dict[int, float] = {}
    weights = base_sizes.astype(np.float64)
    rng = np.random.default_rng(seed)
    for k in range(2, largest_k + 1):
        best = min(
            (
                _weighted_kmeans(
                    base_centres, weights, _kmeans_plus_plus(base_centres, weights, k, rng)
                )
                for _ in range(10)
            ),
            key=lambda result: result[2],
        )
        previous = state.group_clusterings.get(k) if state else None
        if previous is not None and len(previous) == k:
            warm = _weighted_kmeans(base_centres, weights, previous)
            # Keep the warm start (stable groups) unless a fresh start is clearly better.
            if warm[2] <= best[2] * 1.01:
                best = warm
        centres, labels, _inertia = best
        used, labels = np.unique(labels, return_inverse=True)
        clusterings[k] = (centres[used], labels.astype(np.int64))
        n_labels = len(used)
        silhouettes[k] = (
            float(silhouette_score(base_centres, labels)) if 2 <= n_labels < n_bases else 0.0
        )
    return clusterings, silhouettes


def _kmeans_plus_plus(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Return k starting centres drawn by weighted k-means++."""
    centres = [points[rng.choice(len(points), p=weights / weights.sum())]]
    nearest = np.sum((points - centres[0]) ** 2, axis=1)
    for _ in range(1, k):
        odds = weights * nearest
        if odds.sum() <= 0:
            break
        centres.append(points[rng.choice(len(points), p=odds / odds.sum())])
        nearest = np.minimum(nearest, np.sum((points - centres[-1]) ** 2, axis=1))
    return np.array(centres)


def _weighted_kmeans(
    points: FloatArray, weights: FloatArray, centres: FloatArray, max_iter: int = 100
) -> tuple[FloatArray, NDArray[np.int64], float]:
    """Run Lloyd's weighted k-means from the given centres; return centres, labels, inertia.

    The base centres are at most 100 points, where plain NumPy is many times faster
    than scikit-learn's per-call overhead. A centre left without members stays put.
    """
    centres = np.array(centres, dtype=np.float64)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iter):
        distances = np.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
        labels = np.argmin(distances, axis=1)
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        moved = centres.copy()
        filled = mass > 0
        for axis in range(2):
            sums = np.bincount(labels, weights=weights * points[:, axis], minlength=len(centres))
            moved[filled, axis] = sums[filled] / mass[filled]
        if float(np.max(np.abs(moved - centres))) <= 1e-10:
            centres = moved
            break
        centres = moved
    distances = np.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
    labels = np.argmin(distances, axis=1)
    inertia = float(np.sum(weights * distances[np.arange(len(points)), labels]))
    return centres, labels, inertia


def _smooth_k(silhouettes: dict[int, float], state: MapState | None) -> tuple[int, int, int]:
    """Apply Pol.is's k smoother; return (this update's best k, its streak, k to use)."""
    best_k = max(silhouettes, key=lambda k: (silhouettes[k], -k))
    if state is None or state.last_k == 0:
        return best_k, 1, best_k
    streak = state.last_k_count + 1 if best_k == state.last_k else 1
    if streak >= GROUP_K_BUFFER or state.smoothed_k not in silhouettes:
        return best_k, streak, best_k
    return best_k, streak, state.smoothed_k


def _stable_group_ids(
    clustering: tuple[FloatArray, NDArray[np.int64]],
    base_centres: FloatArray,
    base_sizes: IntArray,
    state: MapState | None,
) -> tuple[NDArray[np.int64], FloatArray]:
    """Number the groups 0..k-1: like the previous map's where groups persist, else by size.

    Return the group of each base cluster and the group centres in id order.
    """
    centres, labels = clustering
    k = len(centres)
    sizes = np.bincount(labels, weights=base_sizes, minlength=k)
    # Largest first; ties by position so the numbering never depends on input order.
    rank = np.lexsort((centres[:, 1], centres[:, 0], -sizes)).argsort().astype(np.float64)
    if state is not None and len(state.group_centres):
        distances = np.linalg.norm(centres[:, None, :] - state.group_centres[None, :, :], axis=2)
        new, old = linear_sum_assignment(distances)
        rank = rank + len(state.group_centres)
        rank[new] = old
    order = np.argsort(rank, kind="stable")
    new_id = np.empty(k, dtype=np.int64)
    new_id[order] = np.arange(k)
    return new_id[labels], centres[order]


def _group_counts(
    matrix: sp.csr_array, participant_groups: IntArray, n_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return (groups x statements) counts of agree, disagree and pass among members."""
    n_statements = matrix.shape[1]
    entry_groups = np.repeat(participant_groups.astype(np.int32), np.diff(matrix.indptr))
    grouped = entry_groups >= 0
    # One pass: each vote's (group, vote, statement) as one number, then one count.
    codes = (
        entry_groups[grouped].astype(np.int64) * 3 + matrix.data[grouped] + 1
    ) * n_statements + matrix.indices[grouped]
    counts = np.bincount(codes, minlength=n_groups * 3 * n_statements)
    counts = counts.reshape(n_groups, 3, n_statements).astype(np.int64)
    return counts[:, 2], counts[:, 0], counts[:, 1]


def group_informed_consensus(agree: ArrayLike, seen: ArrayLike) -> FloatArray:
    """Return, per statement, the product over groups of (agrees + 1) / (votes + 2).

    ``agree`` and ``seen`` are (groups x statements) counts; ``seen`` counts agree,
    disagree and pass votes of the group's members, as Pol.is's ``group-votes`` does.
    """
    agree = np.asarray(agree, dtype=np.float64)
    seen = np.asarray(seen, dtype=np.float64)
    return np.prod((agree + 1.0) / (seen + 2.0), axis=0)


def proportion_z(successes: ArrayLike, trials: ArrayLike) -> FloatArray:
    """Return Pol.is's one-sample z of a proportion against 1/2 (pseudocount 1)."""
    succ = np.asarray(successes, dtype=np.float64) + 1
    n = np.asarray(trials, dtype=np.float64) + 1
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def two_proportion_z(
    successes_in: ArrayLike, successes_out: ArrayLike, trials_in: ArrayLike, trials_out: ArrayLike
) -> FloatArray:
    """Return Pol.is's two-proportion z, in-group against the rest (pseudocount 1 each)."""
    s_in = np.asarray(successes_in, dtype=np.float64) + 1
    s_out = np.asarray(successes_out, dtype=np.float64) + 1
    n_in = np.asarray(trials_in, dtype=np.float64) + 1
    n_out = np.asarray(trials_out, dtype=np.float64) + 1
    pooled = (s_in + s_out) / (n_in + n_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s_in / n_in - s_out / n_out) / spread
    return np.where(pooled >= 1, 0.0, z)


def _representative_statements(
    statement_ids: IntArray,
    agree: NDArray[np.int64],
    disagree: NDArray[np.int64],
    seen: NDArray[np.int64],
) -> list[list[RepresentativeStatement]]:
    """Select each group's representative statements as Pol.is's ``select-rep-comments``."""
    rest_agree = agree.sum(axis=0) - agree
    rest_disagree = disagree.sum(axis=0) - disagree
    rest_seen = seen.sum(axis=0) - seen
    pa = (agree + 1) / (seen + 2)
    pd = (disagree + 1) / (seen + 2)
    pat = proportion_z(agree, seen)
    pdt = proportion_z(disagree, seen)
    ra = pa / ((rest_agree + 1) / (rest_seen + 2))
    rd = pd / ((rest_disagree + 1) / (rest_seen + 2))
    rat = two_proportion_z(agree, rest_agree, seen, rest_seen)
    rdt = two_proportion_z(disagree, rest_disagree, seen, rest_seen)
    agree_passes = (pat > Z_90) & (rat > Z_90)
    disagree_passes = (pdt > Z_90) & (rdt > Z_90)

    def statement(
        g: int, s: int, direction: Direction, best_agree: bool
    ) -> RepresentativeStatement:
        if direction == "agree":
            n_success, p, p_z, r, r_z = agree, pa, pat, ra, rat
        else:
            n_success, p, p_z, r, r_z = disagree, pd, pdt, rd, rdt
        return RepresentativeStatement(
            statement_id=int(statement_ids[s]),
            direction=direction,
            n_success=int(n_success[g, s]),
            n_trials=int(seen[g, s]),
            probability=float(p[g, s]),
            probability_z=float(p_z[g, s]),
            repness=float(r[g, s]),
            repness_z=float(r_z[g, s]),
            significant=bool(agree_passes[g, s] or disagree_passes[g, s]),
            best_agree=best_agree,
        )

    selected = []
    for g in range(agree.shape[0]):
        best_agree = _best_agree(agree[g], disagree[g], pa[g], pat[g], ra[g], rat[g])
        sufficient = np.flatnonzero(agree_passes[g] | disagree_passes[g])
        chosen: list[RepresentativeStatement] = []
        if best_agree is not None:
            chosen.append(statement(g, best_agree, "agree", best_agree=True))
        if len(sufficient):
            # Pol.is names the direction by the larger repness z; a statement can pass
            # the disagree tests and still have the larger agree z. Name the direction
            # by the tests it passed instead.
            directions: list[Direction] = [
                "agree" if agree_passes[g, s] else "disagree" for s in sufficient
            ]
            metric = [
                ra[g, s] * rat[g, s] * pa[g, s] * pat[g, s]
                if d == "agree"
                else rd[g, s] * rdt[g, s] * pd[g, s] * pdt[g, s]
                for s, d in zip(sufficient, directions, strict=True)
            ]
            ranked = sorted(
                zip(sufficient, directions, metric, strict=True), key=lambda item: -item[2]
            )
            chosen += [
                statement(g, int(s), d, best_agree=False) for s, d, _m in ranked if s != best_agree
            ]
        elif best_agree is None:
            strongest = int(np.argmax(np.maximum(rat[g], rdt[g])))
            direction: Direction = "agree" if rat[g, strongest] > rdt[g, strongest] else "disagree"
            chosen.append(statement(g, strongest, direction, best_agree=False))
        chosen = chosen[:MAX_REPRESENTATIVE]
        # Agrees before disagrees, each kept in rank order (Pol.is's stable concat).
        chosen.sort(key=lambda item: item.direction != "agree")
        selected.append(chosen)
    return selected


def _best_agree(
    agree: NDArray[np.int64],
    disagree: NDArray[np.int64],
    pa: FloatArray,
    pat: FloatArray,
    ra: FloatArray,
    rat: FloatArray,
) -> int | None:
    """Return the statement a group agrees with most, by Pol.is's ``beats-best-agr?``."""
    best: int | None = None
    for s in np.flatnonzero((agree > 0) | (disagree > 0)):
        if best is None:
            accept = pat[s] > Z_90 or (ra[s] > 1.0 and pa[s] > 0.5)
        elif ra[best] > 1.0:
            accept = ra[s] * rat[s] * pa[s] * pat[s] > ra[best] * rat[best] * pa[best] * pat[best]
        else:
            accept = pa[s] * pat[s] > pa[best] * pat[best]
        if accept:
            best = int(s)
    return best


def consensus_across_groups(
    statement_ids: ArrayLike,
    agree: ArrayLike,
    disagree: ArrayLike,
    passed: ArrayLike,
    *,
    limit: int | None = MAX_CONSENSUS,
) -> Consensus:
    """Select the statements that unite the groups, up to ``limit`` each way.

    ``agree``, ``disagree`` and ``passed`` are (groups x statements) counts of the
    group members' votes. A statement unites the groups in a direction when every
    group cast at least ``UNITING_MIN_VOTES`` votes on it and, in every group, passes
    Pol.is's test of a majority (``select-consensus-comments``, which Pol.is applies to
    everyone at once): the probability of that vote over 1/2 and its one-sample z
    significant at 90%, passes counted among the votes. Ranked by the product of the
    groups' probabilities (group-informed consensus), then by statement id.
    """
    ids = np.asarray(statement_ids, dtype=np.int64)
    agree = np.asarray(agree, dtype=np.int64)
    disagree = np.asarray(disagree, dtype=np.int64)
    seen = agree + disagree + np.asarray(passed, dtype=np.int64)
    if seen.ndim != 2 or seen.shape[0] == 0:
        return Consensus()
    enough = (seen >= UNITING_MIN_VOTES).all(axis=0)
    voted = seen.sum(axis=0) > 0

    def top(successes: NDArray[np.int64], direction: Direction) -> tuple[ConsensusStatement, ...]:
        probability = (successes + 1) / (seen + 2)
        z = proportion_z(successes, seen)
        in_every_group = enough & ((probability > 0.5) & (z > Z_90)).all(axis=0)
        candidates = np.flatnonzero(in_every_group)
        score = np.prod(probability, axis=0)
        ranked = candidates[np.lexsort((ids[candidates], -score[candidates]))]
        return tuple(
            ConsensusStatement(
                statement_id=int(ids[s]),
                direction=direction,
                n_success=tuple(int(n) for n in successes[:, s]),
                n_trials=tuple(int(n) for n in seen[:, s]),
                probability=float(probability[:, s].min()),
                probability_z=float(z[:, s].min()),
                group_informed=float(score[s]),
            )
            for s in ranked[:limit]
        )

    return Consensus(
        agree=top(agree, "agree"),
        disagree=top(disagree, "disagree"),
        statements_with_enough_votes=int(enough.sum()),
        statements_with_too_few_votes=int((voted & ~enough).sum()),
    )


# --- Using a map between recomputes ---------------------------------------------------


def place_participant(
    opinion_map: OpinionMap | MapState, votes: Mapping[int, int]
) -> Placement | None:
    """Project a participant's votes ({statement id: -1, 0 or 1}) onto a map.

    Use the map's statement means and components, with the same sparsity scaling as
    the analysis, and name the group of the nearest base cluster once the participant
    has enough votes to enter the analysis. Return None when the map has no state
    (not ready) or none of the votes is on a statement of the map.
    """
    state = opinion_map.state if isinstance(opinion_map, OpinionMap) else opinion_map
    if state is None or len(state.statement_ids) == 0:
        return None
    statement_ids = np.fromiter(votes.keys(), dtype=np.int64, count=len(votes))
    values = np.fromiter(votes.values(), dtype=np.float64, count=len(votes))
    where = np.minimum(np.searchsorted(state.statement_ids, statement_ids), len(state.mean) - 1)
    known = state.statement_ids[where] == statement_ids
    if not known.any():
        return None
    where, values = where[known], values[known]
    scale = math.sqrt(state.scaling_statements / (len(where) + state.scaling_extra_votes))
    x, y = ((values - state.mean[where]) @ state.components[where]) * scale
    group_id = None
    if len(where) >= min(ENTRY_VOTES, state.scaling_statements) and len(state.base_centres):
        nearest = int(np.argmin(np.linalg.norm(state.base_centres - (x, y), axis=1)))
        group_id = int(state.base_groups[nearest])
    return Placement(x=float(x), y=float(y), group_id=group_id, vote_count=len(where))


def statement_priorities(
    opinion_map: OpinionMap,
    statement_ids: Sequence[int] | ArrayLike,
    *,
    meta_statements: Iterable[int] = (),
) -> FloatArray:
    """Return Pol.is's weight for showing each statement next (aligned with the ids).

    ``(importance x (1 + 8 x 2^(-votes/5)))^2`` where importance is
    ``(1 - P(pass)) x (extremity + 1) x P(agree)``, both probabilities with a
    pseudocount of 1, counted over the grouped participants' votes: statements with
    few votes are boosted, and statements that move people along the map (that
    separate groups) are shown more. Meta statements get Pol.is's fixed 7^2. A
    statement the map does not know yet counts as new, with no votes and no extremity.
    Pol.is reads the group votes of the update before; this uses the current ones.
    """
    ids = np.asarray(statement_ids, dtype=np.int64).ravel()
    n_known = len(opinion_map.statement_ids)
    where = np.minimum(np.searchsorted(opinion_map.statement_ids, ids), max(n_known - 1, 0))
    known = opinion_map.statement_ids[where] == ids if n_known else np.zeros(len(ids), dtype=bool)
    tallies = opinion_map.tallies
    if opinion_map.ready:
        agree_all = tallies.agree.sum(axis=0)
        seen_all = tallies.seen.sum(axis=0)
    else:
        agree_all = tallies.total_agree
        seen_all = tallies.total_agree + tallies.total_disagree + tallies.total_passed
    passed_all = (
        seen_all
        - agree_all
        - (tallies.disagree.sum(axis=0) if opinion_map.ready else tallies.total_disagree)
    )
    agree = np.where(known, agree_all[where] if n_known else 0, 0).astype(np.float64)
    seen = np.where(known, seen_all[where] if n_known else 0, 0).astype(np.float64)
    passed = np.where(known, passed_all[where] if n_known else 0, 0).astype(np.float64)
    extremity = np.where(known, opinion_map.extremity[where] if n_known else 0.0, 0.0)
    p_agree = (agree + 1) / (seen + 2)
    p_pass = (passed + 1) / (seen + 2)
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    priority = importance * (1 + 8 * np.power(2.0, -seen / 5))
    meta = np.isin(ids, np.fromiter(meta_statements, dtype=np.int64))
    return np.square(np.where(meta, META_PRIORITY, priority))
