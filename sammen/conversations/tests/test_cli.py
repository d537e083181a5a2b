"""The analysts' command line tool, sammen-opinion-map."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sammen.conversations.cli import main
from sammen.testing.conversations import TWO_CAMP_VOTES

POLIS_DATA = Path(__file__).parent / "data" / "polis"


def run_tool(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (the test's own interpreter and arguments)
        [sys.executable, "-m", "sammen.conversations.cli", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_json_output_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(POLIS_DATA / "15-per-hour-seattle"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"participants", "groups", "consensus", "group_informed_consensus", "seconds"} <= set(
        report
    )
    assert report["ready"] is True
    participants = report["participants"]
    assert all(isinstance(key, str) for key in participants)
    assert all(group is None or isinstance(group, int) for group in participants.values())
    assert len(report["groups"]) == 2
    for group in report["groups"]:
        assert {"id", "size", "representative"} <= set(group)
        assert group["size"] == sum(1 for g in participants.values() if g == group["id"])
        for statement in group["representative"]:
            assert statement["direction"] in ("agree", "disagree")
            assert isinstance(statement["statement_id"], int)
            assert isinstance(statement["repness_z"], float)
    assert all(isinstance(s, int) for s in report["consensus"])
    gic = report["group_informed_consensus"]
    assert gic
    assert all(isinstance(key, str) and 0 < value < 1 for key, value in gic.items())
    assert isinstance(report["seconds"], float)


def test_it_reads_votes_csv_and_prints_a_summary_without_json() -> None:
    result = run_tool(str(POLIS_DATA / "london.youth.policing"))
    assert result.returncode == 0, result.stderr
    assert "26 participants, 39 statements, 638 votes (votes.csv)" in result.stdout


def test_an_empty_conversation_is_reported_not_ready(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n")
    result = run_tool(str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ready"] is False
    assert report["reason"] == "not enough votes yet"
    assert report["groups"] == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({}, "no votes.csv and no participants-votes.csv", id="no votes file"),
        pytest.param(
            {"votes.csv": "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,1,yes\n"},
            "votes.csv, line 2, column 'vote': expected -1, 0 or 1, got 'yes'",
            id="malformed votes",
        ),
        pytest.param(
            {
                "votes.csv": "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,1,1\n",
                "comments.csv": "comment-id,moderated\n1,maybe\n",
            },
            "comments.csv, line 2, column 'moderated'",
            id="malformed comments",
        ),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run_tool(str(tmp_path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert expected in result.stderr


def test_a_missing_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_tool(str(tmp_path / "nowhere"), "--json")
    assert result.returncode == 2
    assert result.stderr.strip() == f"sammen-opinion-map: {tmp_path / 'nowhere'}: no such folder"


def test_the_tool_does_not_import_django() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sammen.conversations.cli; print('django' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False"


def two_camps_folder(folder: Path) -> Path:
    """Write the votes of nine people in two opposing camps (TWO_CAMP_VOTES)."""
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    for statement, votes in TWO_CAMP_VOTES.items():
        for voter, vote in enumerate(votes, start=1):
            lines.append(f"{len(lines)},x,{statement},{voter},{vote}")
    (folder / "votes.csv").write_text("\n".join(lines) + "\n")
    return folder


def test_consensus_is_what_a_majority_of_every_group_shares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(two_camps_folder(tmp_path)), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["consensus"] == [7, 9]
    consensus = report["consensus_statements"]
    assert consensus["agree"][0]["n_success"] == [6, 3]
    assert consensus["min_votes_per_group"] == 3
    assert consensus["statements_with_enough_votes"] == 9
    assert consensus["statements_with_too_few_votes"] == 1
    assert main([str(tmp_path)]) == 0
    assert "Unites the groups: 7 (agree), 9 (disagree)\n" in capsys.readouterr().out


def test_with_too_few_votes_the_summary_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    for voter in range(1, 5):
        for statement in range(1, 10):
            vote = 1 if (voter <= 2) == (statement % 2 == 0) else -1
            lines.append(f"{len(lines)},x,{statement},{voter},{vote}")
    (tmp_path / "votes.csv").write_text("\n".join(lines) + "\n")
    assert main([str(tmp_path)]) == 0
    assert (
        "Unites the groups: too few votes to tell: no statement has 3 votes from every group"
        in capsys.readouterr().out
    )
