"""Votes: the sparse participants x statements table of agree (+1), disagree (-1) and pass (0)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

ENTRY_VOTES = 7
"""A participant enters the analysis after voting on this many statements (or all)."""

ALWAYS_INCLUDED = 15
"""The most active participants always in the analysis, however few their votes."""

Direction = Literal["agree", "disagree"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


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
