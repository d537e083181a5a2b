"""``sammen-opinion-map``: the opinion map of a Pol.is open-data folder, for analysts.

Reads votes.csv (or participants-votes.csv when there is no votes.csv) and
comments.csv for moderation, runs the same analysis as Sammen's conversations, and
prints a summary, or with ``--json`` one JSON object. Exit status 2, with one line on
stderr, when the input cannot be read. Never imports Django, so it starts fast.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sammen.conversations.analysis import UNITING_MIN_VOTES, OpinionMap, analyse
from sammen.conversations.polis import PolisConversation, PolisFormatError, read_conversation

PROGRAM = "sammen-opinion-map"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line tool; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Compute opinion groups, representative statements and consensus "
        "from a Pol.is open-data export folder.",
    )
    parser.add_argument("directory", help="folder holding votes.csv or participants-votes.csv")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--positions", action="store_true", help="with --json, add each participant's x and y"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    arguments = parser.parse_args(argv)

    try:
        conversation = read_conversation(arguments.directory)
    except PolisFormatError as error:
        print(f"{PROGRAM}: {_one_line(str(error))}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    opinion_map = analyse(
        conversation.votes,
        excluded_statements=conversation.excluded_statements,
        seed=arguments.seed,
    )
    seconds = time.perf_counter() - started
    report = as_json(conversation, opinion_map, seconds, positions=arguments.positions)
    if arguments.json:
        json.dump(report, sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_text(report))
    return 0


def as_json(
    conversation: PolisConversation,
    opinion_map: OpinionMap,
    seconds: float,
    *,
    positions: bool = False,
) -> dict[str, Any]:
    """Return the JSON-ready summary of a map: ids as strings where they are keys."""
    groups = {
        int(p): int(g)
        for p, g in zip(opinion_map.participant_ids, opinion_map.participant_groups, strict=True)
    }
    report: dict[str, Any] = {
        "ready": opinion_map.ready,
        "reason": opinion_map.reason,
        "participants": {
            str(int(p)): (None if groups.get(int(p), -1) < 0 else groups[int(p)])
            for p in conversation.votes.participant_ids
        },
        "groups": [
            {
                "id": group.id,
                "size": group.size,
                "centre": list(group.centre),
                "representative": [asdict(statement) for statement in group.representative],
            }
            for group in opinion_map.groups
        ],
        "consensus": opinion_map.consensus.statement_ids,
        "consensus_statements": {
            "agree": [asdict(s) for s in opinion_map.consensus.agree],
            "disagree": [asdict(s) for s in opinion_map.consensus.disagree],
            "min_votes_per_group": UNITING_MIN_VOTES,
            "statements_with_enough_votes": opinion_map.consensus.statements_with_enough_votes,
            "statements_with_too_few_votes": opinion_map.consensus.statements_with_too_few_votes,
        },
        "group_informed_consensus": {
            str(int(s)): _number(v)
            for s, v in zip(
                opinion_map.statement_ids, opinion_map.group_informed_consensus, strict=True
            )
        },
        "excluded_statements": conversation.excluded_statements,
        "votes_source": conversation.votes_source,
        "counts": {
            "participants": len(conversation.votes.participant_ids),
            "statements": len(conversation.votes.statement_ids),
            "votes": conversation.votes.vote_count,
            "participants_in_analysis": int(opinion_map.in_analysis.sum()),
        },
        "seconds": round(seconds, 6),
    }
    if positions:
        report["positions"] = {
            str(int(p)): [_number(x), _number(y)]
            for p, (x, y) in zip(opinion_map.participant_ids, opinion_map.positions, strict=True)
        }
    return report


def as_text(report: dict[str, Any]) -> str:
    """Return a short human-readable summary of the JSON report."""
    counts = report["counts"]
    lines = [
        f"{counts['participants']} participants, {counts['statements']} statements, "
        f"{counts['votes']} votes ({report['votes_source']}); "
        f"{counts['participants_in_analysis']} in the analysis; {report['seconds']:.3f} s",
    ]
    if not report["ready"]:
        lines.append(f"No opinion map: {report['reason']}.")
    for group in report["groups"]:
        statements = ", ".join(
            f"{s['statement_id']} ({s['direction']})" for s in group["representative"]
        )
        lines.append(f"Group {group['id']}: {group['size']} participants; {statements}")
    if report["ready"]:
        lines.append(f"Unites the groups: {_uniting(report['consensus_statements'])}")
    return "\n".join(lines) + "\n"


def _uniting(consensus: dict[str, Any]) -> str:
    """Say which statements unite the groups, or why none is named."""
    found = [f"{s['statement_id']} (agree)" for s in consensus["agree"]]
    found += [f"{s['statement_id']} (disagree)" for s in consensus["disagree"]]
    if found:
        return ", ".join(found)
    if consensus["statements_with_enough_votes"]:
        enough = consensus["statements_with_enough_votes"]
        return f"none of the {enough} statement(s) with enough votes from every group"
    return (
        f"too few votes to tell: no statement has {consensus['min_votes_per_group']} "
        "votes from every group"
    )


def _number(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main())
