"""Benchmark the opinion-map analysis side by side with red-dwarf.

Cases (each side in its own subprocess, so its peak memory is its own):

- ``bowling-green``: Pol.is's american-assembly.bowling-green export (2,031
  participants x 896 statements, 225k votes; target under 1 s);
- ``33k``: synthetic, 33,000 participants x 800 statements, 2 million votes with 3
  planted groups (the largest Pol.is conversation known; target under 10 s and 1 GB,
  and at least 5x faster than red-dwarf);
- ``incremental``: the 33k case after 1,000 new votes, warm-started from the map before
  them (target under 1 s; red-dwarf has no warm start, so it recomputes);
- ``1m``: synthetic, 1,000,000 participants x 10,000 statements, 50 million votes
  (target under 60 s and 8 GB on a 2-core machine; red-dwarf holds a dense
  participants x statements table, 80 GB here, so it is skipped).

Synthetic votes come sorted by (participant, statement), as a database returns them
through its unique index. The planted groups must be recovered: adjusted Rand index
over the grouped participants >= 0.9, checked for both sides.

Timing: each child first analyses a small warm-up conversation (imports, thread pools),
then times one analysis from the votes as arrays (Sammen: participant, statement and
vote arrays, as the database gives them; red-dwarf: its list of vote dicts). Peak
memory is the child's ``ru_maxrss``, input included.

red-dwarf lives in its own virtualenv, never the project's:

    .venv/bin/python bench/opinion_map.py --setup-reddwarf   # bench/.venv-reddwarf

Run from the repository root:

    .venv/bin/python bench/opinion_map.py                      # bowling-green, 33k, incremental
    .venv/bin/python bench/opinion_map.py --cases 1m --no-reddwarf   # the huge case, once
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from harness import (
    REPO,
    command_line,
    cpu_model,
    json_from_child,
    load_average,
    memory_kib,
    peak_memory_mb,
    table_head,
    table_row,
)

REDDWARF_VENV = REPO / "bench" / ".venv-reddwarf"
REDDWARF_REQUIREMENT = "red-dwarf==0.4.0"
POLIS_DATA = REPO.parent / "shared" / "data" / "polis"
CASES = ("bowling-green", "33k", "incremental", "1m")
SYNTHETIC = {
    # case: (participants, statements, votes, planted groups)
    "33k": (33_000, 800, 2_000_000, 3),
    "1m": (1_000_000, 10_000, 50_000_000, 3),
}
NEW_VOTES = 1_000
TARGETS = {
    "bowling-green": "under 1 s",
    "33k": "under 10 s and 1 GB; >= 5x faster than red-dwarf",
    "incremental": "under 1 s",
    "1m": "under 60 s and 8 GB",
}


# --- Data ----------------------------------------------------------------------------


def planted_votes(
    participants: int, statements: int, votes: int, groups: int, seed: int = 2026
) -> dict[str, np.ndarray]:
    """Return sorted, unique synthetic votes of planted opinion groups, and the truth.

    Each group leans agree or disagree on each statement; a member votes with the lean
    72% of the time, against it 18%, and passes 10%. One participant in five casts
    only 1 to 6 votes (below the entry threshold); popular statements are seen more.
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(groups, size=participants).astype(np.int8)
    leaning = rng.choice(np.array([-1, 1], dtype=np.int8), size=(groups, statements))
    few = rng.random(participants) < 0.2
    per_participant = np.where(few, rng.integers(1, 7, participants), 0).astype(np.float64)
    many_budget = votes * 1.12 - per_participant.sum()
    many_share = rng.random(participants) + 0.5
    many_share[few] = 0
    per_participant[~few] = np.maximum(
        7, np.round(many_share[~few] / many_share.sum() * many_budget)
    )
    votes_each = np.minimum(per_participant, statements).astype(np.int64)
    popularity = 1.0 / (1.0 + np.arange(statements) / (statements / 8))
    popularity /= popularity.sum()
    rows = np.repeat(np.arange(participants, dtype=np.int64), votes_each)
    cols = rng.choice(statements, size=len(rows), p=popularity)
    keys = np.unique(rows * statements + cols)
    if len(keys) > votes:
        keys = np.sort(rng.choice(keys, size=votes, replace=False))
    rows, cols = keys // statements, keys % statements
    del keys
    value = leaning[truth[rows], cols]
    draw = rng.random(len(rows))
    value = np.where(draw < 0.18, -value, value)
    value[draw > 0.9] = 0
    return {
        "participants": rows.astype(np.int32),
        "statements": cols.astype(np.int32),
        "votes": value.astype(np.int8),
        "truth": truth,
    }


def with_new_votes(data: dict[str, np.ndarray], count: int, seed: int = 7) -> dict[str, Any]:
    """Return the votes after ``count`` more: half re-votes or new votes by existing
    participants, half by 100 newcomers; sorted by (participant, statement) again."""
    rng = np.random.default_rng(seed)
    n_participants = int(data["participants"].max()) + 1
    n_statements = int(data["statements"].max()) + 1
    old_p = rng.integers(n_participants, size=count // 2)
    new_p = n_participants + rng.integers(100, size=count - count // 2)
    rows = np.concatenate([data["participants"], old_p, new_p]).astype(np.int64)
    cols = np.concatenate([data["statements"], rng.integers(n_statements, size=count)]).astype(
        np.int64
    )
    values = np.concatenate([data["votes"], rng.choice([-1, 0, 1], size=count)]).astype(np.int8)
    keys = rows * n_statements + cols
    order = np.lexsort((np.arange(len(keys)), keys))
    keys, values = keys[order], values[order]
    last = np.append(keys[1:] != keys[:-1], True)
    keys, values = keys[last], values[last]
    return {
        "participants": (keys // n_statements).astype(np.int32),
        "statements": (keys % n_statements).astype(np.int32),
        "votes": values,
    }


def bowling_green(folder: Path) -> dict[str, np.ndarray]:
    """Return the Pol.is export's votes (from participants-votes.csv) and exclusions."""
    import csv  # only this case reads CSV

    with (folder / "participants-votes.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first = header.index("n-disagree") + 1
        columns = [int(name) for name in header[first:]]
        rows, cols, values = [], [], []
        for row in reader:
            participant = int(row[0])
            for statement, cell in zip(columns, row[first:], strict=False):
                if cell:
                    rows.append(participant)
                    cols.append(statement)
                    values.append(int(cell))
    with (folder / "comments.csv").open(encoding="utf-8") as handle:
        excluded = [int(c["comment-id"]) for c in csv.DictReader(handle) if c["moderated"] == "-1"]
    return {
        "participants": np.array(rows, dtype=np.int32),
        "statements": np.array(cols, dtype=np.int32),
        "votes": np.array(values, dtype=np.int8),
        "excluded": np.array(excluded, dtype=np.int32),
    }


def data_file(case: str, cache: Path) -> Path:
    """Return the .npz of a case's input, generating it (in a subprocess) if missing."""
    name = "33k" if case == "incremental" else case
    path = cache / f"{name}.npz"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, __file__, "--generate", name, "--data", str(path)], check=True
        )
    return path


def generate(case: str, path: Path) -> None:
    if case == "bowling-green":
        data = bowling_green(POLIS_DATA / "american-assembly.bowling-green")
    else:
        data = planted_votes(*SYNTHETIC[case])
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, **data)  # type: ignore[arg-type]
    partial.replace(path)


# --- The two sides -------------------------------------------------------------------


def ari_over_grouped(truth: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    grouped = labels >= 0
    return float(adjusted_rand_score(truth[grouped], labels[grouped]))


def run_sammen(case: str, path: Path) -> dict[str, Any]:
    # Imported here: the red-dwarf child runs this file in a virtualenv without Sammen.
    from sammen.conversations.analysis import VoteTable, analyse

    warm_up = planted_votes(300, 30, 6_000, 3, seed=1)
    analyse(VoteTable.from_votes(warm_up["participants"], warm_up["statements"], warm_up["votes"]))
    with np.load(path) as archive:
        data = {name: archive[name] for name in archive.files}
    excluded = data.get("excluded", np.zeros(0, dtype=np.int32)).tolist()
    result: dict[str, Any] = {}
    if case == "incremental":
        before = analyse(
            VoteTable.from_votes(data["participants"], data["statements"], data["votes"])
        )
        data = with_new_votes(data, NEW_VOTES) | {"truth": data["truth"]}
        result["cold_seconds"] = _timed_sammen(data, excluded, None, analyse, VoteTable)[0]
        memory_before = peak_memory_mb()
        seconds, opinion_map = _timed_sammen(data, excluded, before, analyse, VoteTable)
    else:
        memory_before = peak_memory_mb()
        seconds, opinion_map = _timed_sammen(data, excluded, None, analyse, VoteTable)
    result |= {
        "seconds": seconds,
        "peak_mb": peak_memory_mb(),
        "input_mb": memory_before,
        "groups": len(opinion_map.groups),
        "participants": len(opinion_map.participant_ids),
        "statements": len(opinion_map.statement_ids),
        "votes": len(data["votes"]),
    }
    if "truth" in data:
        labels = np.full(len(data["truth"]), -1)
        known = opinion_map.participant_ids < len(data["truth"])
        labels[opinion_map.participant_ids[known]] = opinion_map.participant_groups[known]
        result["ari"] = ari_over_grouped(data["truth"], labels)
    return result


def _timed_sammen(
    data: dict[str, np.ndarray], excluded: list[int], previous: Any, analyse: Any, table: Any
) -> tuple[float, Any]:
    started = time.perf_counter()
    votes = table.from_votes(data["participants"], data["statements"], data["votes"])
    opinion_map = analyse(votes, excluded_statements=excluded, previous=previous)
    return time.perf_counter() - started, opinion_map


def run_reddwarf(case: str, path: Path) -> dict[str, Any]:
    from reddwarf.implementations.polis import run_pipeline

    def vote_dicts(data: dict[str, np.ndarray]) -> list[dict[str, int]]:
        return [
            {"participant_id": p, "statement_id": s, "vote": v, "modified": 0}
            for p, s, v in zip(
                data["participants"].tolist(),
                data["statements"].tolist(),
                data["votes"].tolist(),
                strict=True,
            )
        ]

    warm_up = planted_votes(300, 30, 6_000, 3, seed=1)
    run_pipeline(votes=vote_dicts(warm_up), random_state=0)
    with np.load(path) as archive:
        data = {name: archive[name] for name in archive.files}
    if case == "incremental":
        data = with_new_votes(data, NEW_VOTES) | {"truth": data["truth"]}
    votes = vote_dicts(data)
    excluded = data.get("excluded", np.zeros(0, dtype=np.int32)).tolist()
    memory_before = peak_memory_mb()
    started = time.perf_counter()
    result = run_pipeline(votes=votes, mod_out_statement_ids=excluded, random_state=0)
    seconds = time.perf_counter() - started
    participants = result.participants_df
    out: dict[str, Any] = {
        "seconds": seconds,
        "peak_mb": peak_memory_mb(),
        "input_mb": memory_before,
        "groups": int(participants["cluster_id"].nunique()),
        "participants": len(participants),
        "statements": len(result.statements_df),
        "votes": len(votes),
    }
    if "truth" in data:
        labels = np.full(len(data["truth"]), -1)
        clustered = participants["cluster_id"].dropna()
        ids = clustered.index.to_numpy(dtype=np.int64)
        keep = ids < len(data["truth"])
        labels[ids[keep]] = clustered.to_numpy(dtype=np.int64)[keep]
        out["ari"] = ari_over_grouped(data["truth"], labels)
    return out


# --- Orchestration -------------------------------------------------------------------


def child(side: str, case: str, path: Path, python: str) -> dict[str, Any]:
    command = [python, __file__, "--child", side, "--case", case, "--data", str(path)]
    figures: dict[str, Any] = json_from_child(command, {**os.environ, "PYTHONPATH": str(REPO)})
    return figures


def machine() -> str:
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {memory_kib() / 1024 / 1024:.0f} GB; "
        f"Linux {platform.release()}; Python {platform.python_version()}, "
        f"NumPy {np.__version__}; load average {load_average(separator=', ')} (a shared machine)"
    )


def setup_reddwarf() -> None:
    """Create bench/.venv-reddwarf and install red-dwarf there (never in .venv)."""
    subprocess.run([sys.executable, "-m", "venv", str(REDDWARF_VENV)], check=True)
    pip = REDDWARF_VENV / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", REDDWARF_REQUIREMENT], check=True)
    print(f"red-dwarf installed in {REDDWARF_VENV}")


def format_row(case: str, side: str, figures: dict[str, Any]) -> str:
    if "error" in figures:
        return table_row([case, side, f"failed: {figures['error']}", *[""] * 4])
    if "skipped" in figures:
        return table_row([case, side, f"skipped: {figures['skipped']}", *[""] * 4])
    ari = f"{figures['ari']:.3f}" if "ari" in figures else "n/a"
    return table_row(
        [
            case,
            side,
            f"{figures['seconds']:.2f} s",
            f"{figures['peak_mb']:.0f} MB",
            f"{figures['input_mb']:.0f} MB",
            figures["groups"],
            ari,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="bowling-green,33k,incremental")
    parser.add_argument("--no-reddwarf", action="store_true", help="measure Sammen only")
    parser.add_argument("--setup-reddwarf", action="store_true", help="install red-dwarf")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sammen-bench")
    parser.add_argument("--child", choices=("sammen", "reddwarf"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.setup_reddwarf:
        setup_reddwarf()
        return 0
    if arguments.generate:
        generate(arguments.generate, arguments.data)
        return 0
    if arguments.child:
        run = run_sammen if arguments.child == "sammen" else run_reddwarf
        print(json.dumps(run(arguments.case, arguments.data)))
        return 0

    cases = [case.strip() for case in arguments.cases.split(",")]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    reddwarf_python = REDDWARF_VENV / "bin" / "python"
    use_reddwarf = not arguments.no_reddwarf
    if use_reddwarf and not reddwarf_python.exists():
        parser.error("red-dwarf is not installed: run with --setup-reddwarf first")

    print(f"$ {command_line()}")
    print(f"Machine: {machine()}\n")
    columns = ["case", "side", "time", "peak memory", "before", "groups", "ARI (planted)"]
    print("\n".join(table_head(columns, "llrrrrr")))
    ratios = []
    for case in cases:
        path = data_file(case, arguments.cache)
        ours = child("sammen", case, path, sys.executable)
        print(format_row(case, "Sammen", ours), flush=True)
        if not use_reddwarf:
            continue
        if case == "1m":
            theirs: dict[str, Any] = {"skipped": "its dense 1,000,000 x 10,000 table needs 80 GB"}
        else:
            theirs = child("reddwarf", case, path, str(reddwarf_python))
        print(format_row(case, "red-dwarf", theirs), flush=True)
        if "seconds" in ours and "seconds" in theirs:
            ratios.append(
                f"- {case}: red-dwarf / Sammen time {theirs['seconds'] / ours['seconds']:.1f}x, "
                f"peak memory {theirs['peak_mb'] / ours['peak_mb']:.1f}x"
            )
        if "cold_seconds" in ours:
            ratios.append(f"- {case}: Sammen without the previous map {ours['cold_seconds']:.2f} s")
    if ratios:
        print("\nRatios:\n" + "\n".join(ratios))
    print("\nTargets: " + "; ".join(f"{case}: {TARGETS[case]}" for case in cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
