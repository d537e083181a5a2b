"""Writing the Pol.is open-data files, byte for byte as Pol.is does (see the package)."""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import IO

import numpy as np
from numpy.typing import NDArray

from sammen.conversations.analysis import VoteTable

from .reading import _COMMENT_COLUMNS, _VOTE_COLUMNS, PolisComment, PolisVote


def write_votes_csv(out: IO[str], votes: Iterable[PolisVote]) -> None:
    """Write votes.csv rows (timestamps in milliseconds since the epoch, UTC)."""
    rows = [(v.timestamp, v.statement_id, v.participant_id, v.vote) for v in votes]
    columns = np.array(rows, dtype=np.int64).reshape(-1, 4).T
    write_vote_columns(out, columns[0], columns[1], columns[2], columns[3])


VOTE_CHUNK = 50_000


def write_vote_columns(
    out: IO[str],
    timestamps: NDArray[np.int64],
    statement_ids: NDArray[np.int64],
    participant_ids: NDArray[np.int64],
    votes: NDArray[np.integer],
) -> None:
    """Write votes.csv from equal-length arrays, one vote per position, in that order.

    Millions of votes are written a chunk at a time; each row's cells are numbers and
    Pol.is's datetime text, so no cell needs CSV quoting.
    """
    csv.writer(out, lineterminator="\n").writerow(_VOTE_COLUMNS)
    times_of_day = _times_of_day()
    for start in range(0, len(timestamps), VOTE_CHUNK):
        chunk = slice(start, start + VOTE_CHUNK)
        moments = np.asarray(timestamps[chunk], dtype=np.int64)
        days, seconds = np.divmod(moments // 1000, 86_400)
        day_text = {day: _polis_day(day) for day in np.unique(days).tolist()}
        out.write(
            "".join(
                f"{moment},{day_text[day][0]} {times_of_day[second]} UTC {day_text[day][1]},"
                f"{statement},{participant},{vote}\n"
                for moment, day, second, statement, participant, vote in zip(
                    moments.tolist(),
                    days.tolist(),
                    seconds.tolist(),
                    np.asarray(statement_ids[chunk]).tolist(),
                    np.asarray(participant_ids[chunk]).tolist(),
                    np.asarray(votes[chunk]).tolist(),
                    strict=True,
                )
            )
        )


def write_comments_csv(out: IO[str], comments: Iterable[PolisComment]) -> None:
    """Write comments.csv in Pol.is's current layout (with is-meta, is-seed and GIC)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COMMENT_COLUMNS)
    for c in comments:
        writer.writerow(
            (
                "" if c.timestamp is None else c.timestamp,
                c.statement_id,
                "" if c.author_id is None else c.author_id,
                c.agrees,
                c.disagrees,
                c.moderated,
                "true" if c.is_meta else "false",
                "true" if c.is_seed else "false",
                "" if c.group_informed_consensus is None else repr(c.group_informed_consensus),
                c.body,
            )
        )


def write_participants_votes_csv(
    out: IO[str],
    votes: VoteTable,
    *,
    statement_ids: Sequence[int] | None = None,
    group_ids: Mapping[int, int | None] | None = None,
    comment_counts: Mapping[int, int] | None = None,
    xids: Mapping[int, str] | None = None,
) -> None:
    """Write participants-votes.csv: one row per participant, one column per statement.

    ``statement_ids`` picks and orders the columns (default: the table's statements);
    ``group_ids`` fills group-id (blank when absent or None); ``comment_counts`` fills
    n-comments (statements the participant wrote); ``xids`` adds the xid column.
    """
    columns = list(votes.statement_ids if statement_ids is None else statement_ids)
    column_of = {int(tid): i for i, tid in enumerate(votes.statement_ids)}
    writer = csv.writer(out, lineterminator="\n")
    header = [
        "participant",
        *(["xid"] if xids is not None else []),
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
        *columns,
    ]
    writer.writerow(header)
    matrix = votes.matrix
    # Where each of the table's statements goes in the row (-1: not written), so a row
    # costs one step per vote rather than one per statement.
    position = np.full(len(votes.statement_ids), -1, dtype=np.int64)
    for index, tid in enumerate(columns):
        if int(tid) in column_of:
            position[column_of[int(tid)]] = index
    text = {1: "1", -1: "-1", 0: "0"}
    for row, participant in enumerate(votes.participant_ids):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[start:end].tolist()
        cells = [""] * len(columns)
        for place, value in zip(position[matrix.indices[start:end]].tolist(), values, strict=True):
            if place >= 0:
                cells[place] = text[int(value)]
        pid = int(participant)
        group = (group_ids or {}).get(pid)
        writer.writerow(
            [
                pid,
                *([xids.get(pid, "")] if xids is not None else []),
                "" if group is None else group,
                (comment_counts or {}).get(pid, 0),
                len(values),
                values.count(1),
                values.count(-1),
                *cells,
            ]
        )


def write_summary_csv(out: IO[str], summary: Mapping[str, object]) -> None:
    """Write summary.csv: one key,value row per item, in the mapping's order."""
    writer = csv.writer(out, lineterminator="\n")
    for key, value in summary.items():
        writer.writerow((key, value))


@functools.cache
def _times_of_day() -> tuple[str, ...]:
    """Return "HH:MM:SS" for each second of a day."""
    return tuple(
        f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        for second in range(86_400)
    )


@functools.lru_cache(maxsize=4096)
def _polis_day(day: int) -> tuple[str, str]:
    """Return ("Mon Nov 23", "2026") for a day counted from 1 January 1970: with the
    time of day, Pol.is's datetime column (Java's Date.toString, UTC)."""
    moment = datetime.fromtimestamp(day * 86_400, tz=UTC)
    return moment.strftime("%a %b %d"), moment.strftime("%Y")
