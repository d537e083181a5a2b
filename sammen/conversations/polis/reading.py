"""Reading the Pol.is open-data files, and what the format holds (see the package)."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sammen.conversations.analysis import VoteTable

VOTES_FILE = "votes.csv"
PARTICIPANTS_VOTES_FILE = "participants-votes.csv"
COMMENTS_FILE = "comments.csv"
SUMMARY_FILE = "summary.csv"

MODERATED_OUT = -1

_VOTE_VALUES = {"1": 1, "-1": -1, "0": 0}
_PARTICIPANT_COLUMNS = (
    "participant",
    "xid",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)
_COMMENT_COLUMNS = (
    "timestamp",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "is-meta",
    "is-seed",
    "group-informed-consensus",
    "comment-body",
)
_VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")


def gettext_noop(message: str) -> str:
    """Mark a message for the translation catalogues without translating it here.

    makemessages collects calls by this name; the module stays free of Django.
    """
    return message


def _as_is(message: str) -> str:
    return message


class PolisFormatError(ValueError):
    """A Pol.is export file that cannot be read; the message names file, line and column.

    ``problem`` is an English message with ``%(name)s`` placeholders filled from
    ``params``; ``describe(gettext)`` gives the whole message in the active language.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        **params: object,
    ) -> None:
        self.file, self.line, self.column = file, line, column
        self.problem, self.params = problem, params
        super().__init__(self.describe())

    def describe(self, translate: Callable[[str], str] = _as_is) -> str:
        """Return the message, each part passed through ``translate`` (e.g. gettext)."""
        where = {"file": self.file, "line": self.line, "column": self.column}
        if self.column is not None:
            place = translate(gettext_noop("%(file)s, line %(line)s, column '%(column)s'"))
        elif self.line is not None:
            place = translate(gettext_noop("%(file)s, line %(line)s"))
        else:
            place = "%(file)s"
        return f"{place % where}: {translate(self.problem) % self.params}"


@dataclass(frozen=True)
class PolisComment:
    """One row of comments.csv."""

    statement_id: int
    body: str
    moderated: int = 1
    author_id: int | None = None
    timestamp: int | None = None
    agrees: int = 0
    disagrees: int = 0
    is_meta: bool = False
    is_seed: bool = False
    group_informed_consensus: float | None = None

    @property
    def is_moderated_out(self) -> bool:
        """Return whether a moderator removed the comment from the conversation."""
        return self.moderated == MODERATED_OUT


@dataclass(frozen=True)
class PolisVote:
    """One row of votes.csv."""

    timestamp: int
    statement_id: int
    participant_id: int
    vote: int


@dataclass(frozen=True, eq=False)
class PolisConversation:
    """A Pol.is open-data folder, read.

    ``votes`` holds each participant's latest vote; ``comments`` maps statement id to
    its comments.csv row (empty without comments.csv); ``group_ids`` maps participant
    id to Pol.is's group (None when Pol.is did not group them), from
    participants-votes.csv when present; ``summary`` is summary.csv's key/value rows.
    """

    votes: VoteTable
    comments: dict[int, PolisComment] = field(default_factory=dict)
    # (participant id, statement id) -> the time of that latest vote, in milliseconds
    # since 1970; empty when the votes came without times (participants-votes.csv).
    vote_times: dict[tuple[int, int], int] = field(default_factory=dict)
    group_ids: dict[int, int | None] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    votes_source: str = VOTES_FILE

    @property
    def excluded_statements(self) -> list[int]:
        """Return the statements left out of the math: moderated out or meta."""
        return sorted(
            c.statement_id for c in self.comments.values() if c.is_moderated_out or c.is_meta
        )


# --- Reading -------------------------------------------------------------------------


def read_conversation(directory: str | Path) -> PolisConversation:
    """Read a Pol.is open-data folder.

    Votes come from votes.csv, or from participants-votes.csv when there is no
    votes.csv (that file has no timestamps). comments.csv and summary.csv are read
    when present. Raise PolisFormatError when the folder or its votes cannot be read.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise PolisFormatError(str(folder), gettext_noop("no such folder"))
    comments = (
        read_comments_csv(folder / COMMENTS_FILE) if (folder / COMMENTS_FILE).exists() else []
    )
    statements = [c.statement_id for c in comments]
    group_ids: dict[int, int | None] = {}
    if (folder / PARTICIPANTS_VOTES_FILE).exists():
        table_from_matrix, group_ids = read_participants_votes_csv(
            folder / PARTICIPANTS_VOTES_FILE, statements=statements
        )
    vote_times: dict[tuple[int, int], int] = {}
    if (folder / VOTES_FILE).exists():
        votes, vote_times = _read_votes_with_times(folder / VOTES_FILE, statements=statements)
        source = VOTES_FILE
    elif (folder / PARTICIPANTS_VOTES_FILE).exists():
        votes, source = table_from_matrix, PARTICIPANTS_VOTES_FILE
    else:
        raise PolisFormatError(
            str(folder),
            gettext_noop("no %(votes)s and no %(participants_votes)s, so no votes to read"),
            votes=VOTES_FILE,
            participants_votes=PARTICIPANTS_VOTES_FILE,
        )
    summary = read_summary_csv(folder / SUMMARY_FILE) if (folder / SUMMARY_FILE).exists() else {}
    return PolisConversation(
        votes=votes,
        comments={c.statement_id: c for c in comments},
        group_ids=group_ids,
        summary=summary,
        votes_source=source,
        vote_times=vote_times,
    )


def read_votes_csv(path: str | Path, *, statements: Iterable[int] = ()) -> VoteTable:
    """Read votes.csv into a VoteTable, each participant's latest vote winning.

    ``statements`` adds columns for statements with no vote (from comments.csv).
    """
    return _read_votes_with_times(path, statements=statements)[0]


def _read_votes_with_times(
    path: str | Path, *, statements: Iterable[int] = ()
) -> tuple[VoteTable, dict[tuple[int, int], int]]:
    """Read votes.csv; also return when each participant last voted on each statement."""
    reader = _CsvReader(Path(path), required=("comment-id", "voter-id", "vote"))
    has_timestamp = "timestamp" in reader.header
    participants: list[int] = []
    statement_ids: list[int] = []
    votes: list[int] = []
    timestamps: list[int] = []
    for row in reader:
        statement_ids.append(reader.integer(row, "comment-id"))
        participants.append(reader.integer(row, "voter-id"))
        votes.append(reader.vote(row, "vote"))
        if has_timestamp:
            timestamps.append(reader.integer(row, "timestamp"))
    table = VoteTable.from_votes(
        participants,
        statement_ids,
        np.array(votes, dtype=np.int8),
        timestamps if has_timestamp else None,
        statements=statements,
    )
    latest: dict[tuple[int, int], int] = {}
    for key, moment in zip(zip(participants, statement_ids, strict=True), timestamps, strict=False):
        if moment >= latest.get(key, moment):
            latest[key] = moment
    return table, latest


def read_participants_votes_csv(
    path: str | Path, *, statements: Iterable[int] = ()
) -> tuple[VoteTable, dict[int, int | None]]:
    """Read participants-votes.csv: the vote matrix and Pol.is's group of each participant."""
    reader = _CsvReader(Path(path), required=("participant", "group-id"))
    comment_columns = [
        (index, name)
        for index, name in enumerate(reader.header)
        if name not in _PARTICIPANT_COLUMNS
    ]
    column_ids: list[int] = []
    for _index, name in comment_columns:
        try:
            column_ids.append(int(name))
        except ValueError:
            raise PolisFormatError(
                reader.name,
                gettext_noop("expected a comment id (an integer)"),
                line=1,
                column=name,
            ) from None
    participants: list[int] = []
    statement_ids: list[int] = []
    votes: list[int] = []
    group_ids: dict[int, int | None] = {}
    for row in reader:
        participant = reader.integer(row, "participant")
        group = row[reader.position["group-id"]].strip()
        group_ids[participant] = reader.integer(row, "group-id") if group else None
        for (index, name), statement_id in zip(comment_columns, column_ids, strict=True):
            cell = row[index].strip() if index < len(row) else ""
            if cell:
                participants.append(participant)
                statement_ids.append(statement_id)
                votes.append(reader.vote(row, name, index=index))
    table = VoteTable.from_votes(
        participants,
        statement_ids,
        np.array(votes, dtype=np.int8),
        statements=[*column_ids, *statements],
    )
    return table, group_ids


def read_comments_csv(path: str | Path) -> list[PolisComment]:
    """Read comments.csv, in either the older (datetime) or newer (is-meta) layout."""
    reader = _CsvReader(Path(path), required=("comment-id", "moderated"))
    comments = []
    for row in reader:
        comments.append(
            PolisComment(
                statement_id=reader.integer(row, "comment-id"),
                body=reader.text(row, "comment-body"),
                moderated=reader.choice(row, "moderated", {"-1": -1, "0": 0, "1": 1}),
                author_id=reader.optional_integer(row, "author-id"),
                timestamp=reader.optional_integer(row, "timestamp"),
                agrees=reader.optional_integer(row, "agrees") or 0,
                disagrees=reader.optional_integer(row, "disagrees") or 0,
                is_meta=reader.boolean(row, "is-meta"),
                is_seed=reader.boolean(row, "is-seed"),
                group_informed_consensus=reader.optional_float(row, "group-informed-consensus"),
            )
        )
    return comments


def read_summary_csv(path: str | Path) -> dict[str, str]:
    """Read summary.csv's key,value rows."""
    path = Path(path)
    rows = _CsvReader.open_rows(path)
    summary = {}
    for line, row in rows:
        if not row:
            continue
        if len(row) < 2:
            raise PolisFormatError(path.name, gettext_noop("expected a key and a value"), line=line)
        summary[row[0]] = row[1]
    return summary


class _CsvReader:
    """Rows of a CSV file with a header, and typed cells with errors naming file/line/column."""

    def __init__(self, path: Path, *, required: Sequence[str]) -> None:
        self.name = path.name
        self._rows = self.open_rows(path)
        try:
            _line, self.header = next(self._rows)
        except StopIteration:
            raise PolisFormatError(
                self.name, gettext_noop("empty file, expected a header"), line=1
            ) from None
        self.header = [name.strip() for name in self.header]
        self.position = {name: index for index, name in enumerate(self.header)}
        for name in required:
            if name not in self.position:
                raise PolisFormatError(
                    self.name, gettext_noop("missing column '%(name)s'"), line=1, name=name
                )
        self.line = 1

    @staticmethod
    def open_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise PolisFormatError(
                path.name, gettext_noop("cannot be read (%(reason)s)"), reason=error.strerror
            ) from None
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            raise PolisFormatError(path.name, gettext_noop("not UTF-8 text"), line=line) from None
        return _numbered_rows(path.name, text)

    def __iter__(self) -> Iterator[list[str]]:
        for line, row in self._rows:
            if not row or row == [""]:
                continue
            self.line = line
            yield row

    def cell(self, row: list[str], column: str, *, index: int | None = None) -> str | None:
        if index is None:
            if column not in self.position:
                return None
            index = self.position[column]
        if index >= len(row):
            raise self.error(column, gettext_noop("missing value (the row is too short)"))
        return row[index].strip()

    def error(self, column: str, problem: str, **params: object) -> PolisFormatError:
        return PolisFormatError(self.name, problem, line=self.line, column=column, **params)

    def integer(self, row: list[str], column: str) -> int:
        value = self.cell(row, column)
        try:
            return int(value or "")
        except ValueError:
            raise self.error(
                column, gettext_noop("expected an integer, got '%(value)s'"), value=value
            ) from None

    def optional_integer(self, row: list[str], column: str) -> int | None:
        value = self.cell(row, column)
        return None if not value else self.integer(row, column)

    def optional_float(self, row: list[str], column: str) -> float | None:
        value = self.cell(row, column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(
                column, gettext_noop("expected a number, got '%(value)s'"), value=value
            ) from None
        if not math.isfinite(number):
            raise self.error(
                column, gettext_noop("expected a finite number, got '%(value)s'"), value=value
            )
        return number

    def vote(self, row: list[str], column: str, *, index: int | None = None) -> int:
        value = self.cell(row, column, index=index) or ""
        if value not in _VOTE_VALUES:
            raise self.error(
                column, gettext_noop("expected -1, 0 or 1, got '%(value)s'"), value=value
            )
        return _VOTE_VALUES[value]

    def choice(self, row: list[str], column: str, choices: Mapping[str, int]) -> int:
        value = self.cell(row, column) or ""
        if value not in choices:
            raise self.error(
                column,
                gettext_noop("expected one of %(choices)s, got '%(value)s'"),
                choices=", ".join(choices),
                value=value,
            )
        return choices[value]

    def boolean(self, row: list[str], column: str) -> bool:
        value = self.cell(row, column)
        if not value:
            return False
        if value.lower() not in ("true", "false"):
            raise self.error(
                column, gettext_noop("expected true or false, got '%(value)s'"), value=value
            )
        return value.lower() == "true"

    def text(self, row: list[str], column: str) -> str:
        return self.cell(row, column) or ""


def _numbered_rows(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number where the record starts, fields) for each CSV record."""
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise PolisFormatError(
                name,
                gettext_noop("not valid CSV (%(reason)s)"),
                line=reader.line_num,
                reason=error,
            ) from None
        yield start, row
        start = reader.line_num + 1


# --- Writing -------------------------------------------------------------------------
