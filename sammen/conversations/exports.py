"""A conversation's results as files: statements as CSV, the report as JSON, and the
Pol.is open-data format (comments.csv, votes.csv, participants-votes.csv, summary.csv)
in a zip, so results move between tools.

Participants appear by their number in the conversation, never by name or email.
Whoever is not an organiser gets only the statements shown in the conversation, and
the votes on them.
"""

import csv
import io
import zipfile
from collections import Counter
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sammen.activities.queries import measure_outcomes

from . import analysis, maps, polis
from .models import Statement, StatementState, StoredMap, Vote, Voter
from .permissions import ConversationAccess
from .queries import ConversationReport, StatementView


def timestamp_ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def visible_statements(access: ConversationAccess) -> list[Statement]:
    statements = Statement.objects.filter(conversation=access.conversation)
    if not access.can_manage:
        statements = statements.filter(state=StatementState.SHOWN)
    return list(
        statements.annotate(
            agree_count=Count("votes", filter=Q(votes__value=1)),
            disagree_count=Count("votes", filter=Q(votes__value=-1)),
            pass_count=Count("votes", filter=Q(votes__value=0)),
        ).order_by("number")
    )


def neutralise_formula(value: object) -> object:
    """Keep spreadsheet programs from running text that starts like a formula."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


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
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    fields = list(rows[0]) if rows else ["number", "statement", "state", "agree", "disagree"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_formula(value) for key, value in row.items()})
    return out.getvalue()


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
            "consensus": {
                "agree": [brief(item) for item in view.consensus_agree],
                "disagree": [brief(item) for item in view.consensus_disagree],
            },
            "uniting": [
                {"number": item.statement.number, "group_informed_consensus": item.gic}
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

    votes = list(
        Vote.objects.filter(conversation=conversation, statement_id__in=list(numbers))
        .order_by("updated_at", "pk")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
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
    table = analysis.VoteTable.from_votes(
        np.array([voter_numbers[pid] for pid, *_rest in votes], dtype=np.int64),
        np.array([numbers[sid] for _pid, sid, *_rest in votes], dtype=np.int64),
        np.array([value for _pid, _sid, value, _at in votes], dtype=np.int8),
        statements=[statement.number for statement in statements],
    )
    group_ids = {
        voter_numbers[pid]: group
        for pid, group in groups_by_participant.items()
        if pid in voter_numbers
    }
    files = {
        polis.COMMENTS_FILE: write(polis.write_comments_csv, comments),
        polis.VOTES_FILE: write(
            polis.write_votes_csv,
            (
                polis.PolisVote(
                    timestamp=timestamp_ms(at),
                    statement_id=numbers[sid],
                    participant_id=voter_numbers[pid],
                    vote=value,
                )
                for pid, sid, value, at in votes
            ),
        ),
        polis.PARTICIPANTS_VOTES_FILE: write(
            polis.write_participants_votes_csv,
            table,
            statement_ids=[statement.number for statement in statements],
            group_ids=group_ids,
            comment_counts=dict(authors),
        ),
        polis.SUMMARY_FILE: write(
            polis.write_summary_csv,
            {
                "topic": access.activity.title,
                "url": access.activity.get_absolute_url(),
                "voters": len({pid for pid, *_rest in votes}),
                "voters-in-conv": stored.grouped_count if stored is not None else 0,
                "commenters": len(authors),
                "comments": len(statements),
                "groups": group_count,
                "conversation-description": conversation.description,
            },
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("README.txt", readme(access))
    return buffer.getvalue()


def write(writer: Any, *args: Any, **kwargs: Any) -> str:
    out = io.StringIO()
    writer(out, *args, **kwargs)
    return out.getvalue()


def readme(access: ConversationAccess) -> str:
    explanation = _(
        "This folder holds the conversation in the Pol.is open-data format: "
        "comments.csv (the statements), votes.csv (each participant's latest vote), "
        "participants-votes.csv (one row per participant, with their opinion group) "
        "and summary.csv. Participants appear by number only."
    )
    return f"{access.activity.title}\n\n{explanation}\n"
