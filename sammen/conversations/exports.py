"""A conversation's results as files: statements as CSV, the report as JSON, and the
Pol.is open-data format (comments.csv, votes.csv, participants-votes.csv, summary.csv)
in a zip, so results move between tools.

Participants appear by their number in the conversation, never by name or email.
Whoever is not an organiser gets only the statements shown in the conversation, and
the votes on them.
"""

import io
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from django.db.models import BigIntegerField, Func, QuerySet
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from sammen.activities.queries import measure_outcomes
from sammen.core.exports import csv_text

from . import analysis, maps, polis
from .models import Statement, StatementState, StoredMap, Vote, Voter
from .permissions import ConversationAccess
from .queries import ConversationReport, StatementView, with_vote_counts


def timestamp_ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


class EpochMicroseconds(Func):
    """A moment as whole microseconds since 1970 (UTC), computed by the database.

    Two million votes' datetimes take longer to parse in the driver than their CSV
    takes to write. PostgreSQL 14 and later extract the epoch exactly (as numeric);
    SQLite keeps UTC text: julianday() of its first 19 characters gives the whole seconds
    (rounded, as floating point), and the text after the dot the microseconds.
    """

    output_field = BigIntegerField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) * 1000000 AS BIGINT)"

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        seconds = "ROUND((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400)"
        template = (
            f"(CAST({seconds} AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s, 21, 6) AS INTEGER))"
        )
        sql, params = self.as_sql(compiler, connection, template=template, **extra_context)
        return sql, [*params, *params]


def visible_statements(access: ConversationAccess) -> list[Statement]:
    statements = Statement.objects.filter(conversation=access.conversation)
    if not access.can_manage:
        statements = statements.filter(state=StatementState.SHOWN)
    return with_vote_counts(access.conversation, statements.order_by("number"))


def statement_rows(access: ConversationAccess, report: ConversationReport) -> list[dict[str, Any]]:
    """Return one row per statement, with its votes overall and per group."""
    groups = report.view.groups
    representative: dict[int, list[str]] = {}
    for group in groups:
        for item in group.representative:
            representative.setdefault(item.statement.pk, []).append(
                f"{group.letter} {item.direction}"
            )
    consensus = {view.statement.pk: "agree" for view in report.view.consensus_agree} | {
        view.statement.pk: "disagree" for view in report.view.consensus_disagree
    }
    divisive = {view.statement.pk: view.gap for view in report.view.divisive}
    stored = report.view.stored
    summary_figures = (stored.figures or {}) if stored is not None else {}
    rows = []
    for statement in visible_statements(access):
        view: StatementView | None = report.view.statements.get(statement.pk)
        row: dict[str, Any] = {
            "number": statement.number,
            "statement": statement.text,
            "state": statement.state,
            "seed": statement.is_seed,
            "meta": statement.is_meta,
            "created_at": statement.created_at.isoformat(),
            "agree": statement.agree_count,  # type: ignore[attr-defined]
            "disagree": statement.disagree_count,  # type: ignore[attr-defined]
            "pass": statement.pass_count,  # type: ignore[attr-defined]
        }
        figures = summary_figures.get(str(statement.pk))
        for index, group in enumerate(groups):
            row[f"group_{group.letter}_agree"] = figures["agree"][index] if figures else ""
            row[f"group_{group.letter}_disagree"] = figures["disagree"][index] if figures else ""
            row[f"group_{group.letter}_pass"] = figures["passed"][index] if figures else ""
        row["group_informed_consensus"] = (
            "" if view is None or view.gic is None else round(view.gic, 6)
        )
        row["consensus"] = consensus.get(statement.pk, "")
        row["representative_of"] = "; ".join(representative.get(statement.pk, []))
        row["divisive_gap_percent"] = divisive.get(statement.pk, "")
        rows.append(row)
    return rows


def statements_csv(rows: list[dict[str, Any]]) -> str:
    fields = list(rows[0]) if rows else ["number", "statement", "state", "agree", "disagree"]
    return csv_text(rows, fields)


def report_json(
    access: ConversationAccess, report: ConversationReport, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    activity = access.activity
    view = report.view

    def brief(item: StatementView) -> dict[str, Any]:
        return {
            "number": item.statement.number,
            "statement": item.statement.text,
            "direction": item.direction,
            "percent": item.share,
        }

    return {
        "conversation": activity.title,
        "space": activity.space.name,
        "question": access.conversation.description,
        "phase": activity.phase,
        "answer": activity.answer,
        "figures": {
            "participants": report.figures.participants,
            "votes": report.figures.votes,
            "statements": report.figures.statements,
            "statements_from_participants": report.figures.from_participants,
        },
        "map": {
            "computed_at": view.computed_at.isoformat() if view.computed_at else None,
            "ready": view.ready,
            "grouped_participants": view.stored.grouped_count if view.stored else 0,
            "groups": [
                {
                    "group": group.letter,
                    "size": group.size,
                    "representative": [brief(item) for item in group.representative],
                }
                for group in view.groups
            ],
            # What unites the groups: a majority in every group, with enough votes in
            # each (analysis.consensus_across_groups); "percent" is the least convinced
            # group's. "verdict" says why the lists are empty, if they are.
            "consensus": {
                "agree": [brief(item) for item in view.consensus_agree],
                "disagree": [brief(item) for item in view.consensus_disagree],
                "verdict": view.uniting_verdict if view.ready else "not_ready",
                "min_votes_per_group": analysis.UNITING_MIN_VOTES,
                "statements_with_enough_votes": view.statements_with_enough_votes,
                "statements_with_too_few_votes": view.statements_with_too_few_votes,
            },
            "uniting": [
                {
                    "number": item.statement.number,
                    "direction": item.direction,
                    "group_informed_consensus": item.gic,
                }
                for item in view.uniting
            ],
            "divisive": [
                {"number": item.statement.number, "gap_percent": item.gap} for item in view.divisive
            ],
        },
        "success_measures": [
            {
                "measure": outcome.measure.measure,
                "target": outcome.measure.target,
                "unit": outcome.measure.unit,
                "result": outcome.actual,
            }
            for outcome in measure_outcomes(activity)
        ],
        "timeline": report.timeline,
        "statements": rows,
    }


def polis_moderated(statement: Statement) -> int:
    """Return Pol.is's moderation value: 1 accepted, 0 not reviewed, -1 moderated out."""
    if statement.state == StatementState.HIDDEN:
        return -1
    if statement.state == StatementState.SHOWN and statement.reviewed_at is not None:
        return 1
    return 0


def polis_zip(access: ConversationAccess) -> bytes:
    """Return the conversation in the Pol.is open-data format, zipped."""
    conversation = access.conversation
    statements = visible_statements(access)
    numbers = {statement.pk: statement.number for statement in statements}
    voter_numbers = dict(
        Voter.objects.filter(conversation=conversation).values_list("participant_id", "number")
    )
    stored = StoredMap.objects.filter(conversation=conversation).defer("state", "placement").first()
    gic: dict[str, Any] = {}
    groups_by_participant: dict[int, int | None] = {}
    group_count = 0
    if stored is not None:
        gic = {key: value.get("gic") for key, value in (stored.figures or {}).items()}
        group_count = len(stored.summary.get("groups") or [])
        participants = maps.read_participants(stored)
        if participants is not None:
            groups_by_participant = participants.group_of()

    authors = Counter(
        voter_numbers[statement.author_id]
        for statement in statements
        if statement.author_id in voter_numbers
    )
    comments = [
        polis.PolisComment(
            statement_id=statement.number,
            body=statement.text,
            moderated=polis_moderated(statement),
            author_id=voter_numbers.get(statement.author_id) if statement.author_id else None,
            timestamp=timestamp_ms(statement.created_at),
            agrees=statement.agree_count,  # type: ignore[attr-defined]
            disagrees=statement.disagree_count,  # type: ignore[attr-defined]
            is_meta=statement.is_meta,
            is_seed=statement.is_seed,
            group_informed_consensus=gic.get(str(statement.pk)),
        )
        for statement in statements
    ]
    group_ids = {
        voter_numbers[pid]: group
        for pid, group in groups_by_participant.items()
        if pid in voter_numbers
    }
    columns = [statement.number for statement in statements]
    votes = Vote.objects.filter(conversation=conversation, statement_id__in=list(numbers))
    # Each file goes into the archive as it is written: a conversation's votes as Python
    # objects, or as one CSV text, would take gigabytes at Pol.is's largest.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with zip_text(archive, polis.COMMENTS_FILE) as out:
            polis.write_comments_csv(out, comments)
        cast = cast_votes(votes, numbers, voter_numbers)
        with zip_text(archive, polis.VOTES_FILE, size_at_most=len(cast) * 80) as out:
            polis.write_vote_columns(
                out, cast.timestamps, cast.statements, cast.participants, cast.values
            )
        table = analysis.VoteTable.from_votes(
            cast.participants, cast.statements, cast.values, statements=columns
        )
        with zip_text(
            archive,
            polis.PARTICIPANTS_VOTES_FILE,
            size_at_most=len(table.participant_ids) * (len(columns) * 3 + 80),
        ) as out:
            polis.write_participants_votes_csv(
                out,
                table,
                statement_ids=columns,
                group_ids=group_ids,
                comment_counts=dict(authors),
            )
        with zip_text(archive, polis.SUMMARY_FILE) as out:
            polis.write_summary_csv(
                out,
                {
                    "topic": access.activity.title,
                    "url": access.activity.get_absolute_url(),
                    "voters": len(np.unique(cast.participants)),
                    "voters-in-conv": stored.grouped_count if stored is not None else 0,
                    "commenters": len(authors),
                    "comments": len(statements),
                    "groups": group_count,
                    "conversation-description": conversation.description,
                },
            )
        archive.writestr("README.txt", readme(access))
    return buffer.getvalue()


@dataclass(frozen=True)
class CastVotes:
    """The votes for votes.csv, oldest change first, as arrays: Pol.is's numbers for the
    participant and the statement, the value, and the time in milliseconds since 1970."""

    participants: NDArray[np.int64]
    statements: NDArray[np.int64]
    values: NDArray[np.int8]
    timestamps: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.values)


def cast_votes(
    votes: QuerySet[Vote], numbers: dict[int, int], voter_numbers: dict[int, int]
) -> CastVotes:
    """Read the votes into arrays, with each participant and statement by its number."""
    rows = maps.integer_rows(
        votes.order_by("updated_at", "pk")
        .annotate(updated_us=EpochMicroseconds("updated_at"))
        .values_list("participant_id", "statement_id", "value", "updated_us")
    )
    return CastVotes(
        participants=renumber(rows[:, 0], voter_numbers),
        statements=renumber(rows[:, 1], numbers),
        values=rows[:, 2].astype(np.int8),
        # timestamp_ms() of each moment, exactly: datetime.timestamp() is this division.
        timestamps=(rows[:, 3] / 1_000_000 * 1000).astype(np.int64),
    )


def renumber(ids: NDArray[np.int64], number_of: dict[int, int]) -> NDArray[np.int64]:
    """Return the number `number_of` gives each id (every id must have one)."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    keys = np.fromiter(number_of.keys(), dtype=np.int64, count=len(number_of))
    order = np.argsort(keys)
    places = np.searchsorted(keys, ids, sorter=order).clip(max=max(len(keys) - 1, 0))
    found = order[places] if len(keys) else places
    if not len(keys) or not np.array_equal(keys[found], ids):
        raise KeyError("an id without a number")
    return np.fromiter(number_of.values(), dtype=np.int64, count=len(number_of))[found]


@contextmanager
def zip_text(archive: zipfile.ZipFile, name: str, *, size_at_most: int = 0) -> Iterator[IO[str]]:
    """Write one UTF-8 text file into the archive as it is produced, as writestr() would.

    `size_at_most` bounds its size in bytes, so that a file over 2 GiB gets the ZIP64
    header writestr() would give it (writestr() knows the size beforehand; a stream not).
    """
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = archive.compression
    info.external_attr = 0o600 << 16
    large = size_at_most * 1.05 > zipfile.ZIP64_LIMIT
    with io.TextIOWrapper(
        archive.open(info, "w", force_zip64=large), encoding="utf-8", newline=""
    ) as out:
        yield out


def readme(access: ConversationAccess) -> str:
    explanation = _(
        "This folder holds the conversation in the Pol.is open-data format: "
        "comments.csv (the statements), votes.csv (each participant's latest vote), "
        "participants-votes.csv (one row per participant, with their opinion group) "
        "and summary.csv. Participants appear by number only."
    )
    return f"{access.activity.title}\n\n{explanation}\n"
