"""Reading and writing the Pol.is open-data format."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from sammen.conversations.analysis import VoteTable
from sammen.conversations.polis import (
    PolisComment,
    PolisFormatError,
    PolisVote,
    read_comments_csv,
    read_conversation,
    read_participants_votes_csv,
    read_summary_csv,
    read_votes_csv,
    write_comments_csv,
    write_participants_votes_csv,
    write_summary_csv,
    write_votes_csv,
)

POLIS_DATA = Path(__file__).parent / "data" / "polis"

VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def votes_dict(table: VoteTable) -> dict[tuple[int, int], int]:
    pids, tids, votes = table.triplets()
    return {(int(p), int(s)): int(v) for p, s, v in zip(pids, tids, votes, strict=True)}


# --- Reading -------------------------------------------------------------------------


def test_it_reads_votes_csv_and_keeps_the_latest_revote(tmp_path: Path) -> None:
    write(
        tmp_path,
        "votes.csv",
        VOTES_HEADER + "300,x,1,7,1\n100,x,1,7,-1\n200,x,1,7,0\n100,x,2,7,0\n100,x,1,8,-1\n",
    )
    table = read_votes_csv(tmp_path / "votes.csv")
    assert votes_dict(table) == {(7, 1): 1, (7, 2): 0, (8, 1): -1}


def test_equal_timestamps_resolve_to_the_later_row(tmp_path: Path) -> None:
    write(tmp_path, "votes.csv", VOTES_HEADER + "100,x,1,7,1\n100,x,1,7,-1\n")
    assert votes_dict(read_votes_csv(tmp_path / "votes.csv")) == {(7, 1): -1}


def test_it_reads_votes_from_participants_votes_when_there_is_no_votes_csv(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,5\n"
        "3,0,0,2,1,1,1,-1,\n"
        "4,,1,1,0,0,,,0\n",
    )
    conversation = read_conversation(tmp_path)
    assert conversation.votes_source == "participants-votes.csv"
    assert votes_dict(conversation.votes) == {(3, 0): 1, (3, 1): -1, (4, 5): 0}
    assert conversation.group_ids == {3: 0, 4: None}
    assert list(conversation.votes.statement_ids) == [0, 1, 5]


def test_real_votes_csv_resolves_to_the_final_votes() -> None:
    """london.youth.policing: 638 final votes, as the attribution's table says."""
    folder = POLIS_DATA / "london.youth.policing"
    table = read_votes_csv(folder / "votes.csv")
    assert table.vote_count == 638
    assert table.matrix.shape == (26, 36)
    # comments.csv adds the 3 statements nobody voted on as empty columns.
    assert read_conversation(folder).votes.matrix.shape == (26, 39)


def test_comments_mark_moderated_out_and_meta_statements(tmp_path: Path) -> None:
    write(tmp_path, "votes.csv", VOTES_HEADER + "1,x,4,1,1\n")
    write(
        tmp_path,
        "comments.csv",
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
        "group-informed-consensus,comment-body\n"
        "1,4,0,1,0,1,false,true,0.25,Kept\n"
        '2,9,3,0,0,-1,false,false,,"Moderated out, with a comma"\n'
        "3,12,3,0,0,1,true,false,,About the process\n",
    )
    conversation = read_conversation(tmp_path)
    assert conversation.excluded_statements == [9, 12]
    assert conversation.comments[9].body == "Moderated out, with a comma"
    assert conversation.comments[4].group_informed_consensus == 0.25
    # Statements from comments.csv are columns even without votes.
    assert list(conversation.votes.statement_ids) == [4, 9, 12]


def test_it_reads_the_older_comments_layout() -> None:
    comments = read_comments_csv(POLIS_DATA / "15-per-hour-seattle" / "comments.csv")
    assert len(comments) == 54
    assert sum(c.is_moderated_out for c in comments) == 23
    assert all(not c.is_meta for c in comments)


def test_multi_line_comment_bodies_keep_their_line_numbers(tmp_path: Path) -> None:
    write(
        tmp_path,
        "comments.csv",
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        '1,1,0,0,0,1,"two\nlines"\n'
        "2,x,0,0,0,1,bad id\n",
    )
    with pytest.raises(PolisFormatError, match=r"comments\.csv, line 4, column 'comment-id'"):
        read_comments_csv(tmp_path / "comments.csv")


# --- Malformed input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            VOTES_HEADER + "1,x,1,1,1\n2,x,1,2,x\n",
            "votes.csv, line 3, column 'vote': expected -1, 0 or 1, got 'x'",
        ),
        (
            VOTES_HEADER + "1,x,1,1,2\n",
            "votes.csv, line 2, column 'vote': expected -1, 0 or 1, got '2'",
        ),
        (
            VOTES_HEADER + "1,x,1,abc,1\n",
            "votes.csv, line 2, column 'voter-id': expected an integer, got 'abc'",
        ),
        (
            VOTES_HEADER + "1,x,1,1,1\n1,x,1\n",
            "votes.csv, line 3, column 'voter-id': missing value (the row is too short)",
        ),
        (
            VOTES_HEADER + "soon,x,1,1,1\n",
            "votes.csv, line 2, column 'timestamp': expected an integer, got 'soon'",
        ),
        ("timestamp,comment-id,vote\n1,1,1\n", "votes.csv, line 1: missing column 'voter-id'"),
        ("", "votes.csv, line 1: empty file, expected a header"),
        (
            VOTES_HEADER + '1,"x,1,1,1\n',
            "votes.csv, line 2: not valid CSV (unexpected end of data)",
        ),
    ],
)
def test_malformed_votes_name_the_file_line_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    write(tmp_path, "votes.csv", text)
    with pytest.raises(PolisFormatError) as raised:
        read_votes_csv(tmp_path / "votes.csv")
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "participant,group-id,n-votes,1,2\n5,0,1,1,maybe\n",
            "participants-votes.csv, line 2, column '2': expected -1, 0 or 1, got 'maybe'",
        ),
        (
            "participant,group-id,n-votes,1,two\n",
            "participants-votes.csv, line 1, column 'two': expected a comment id (an integer)",
        ),
        (
            "participant,group-id,1\nfive,0,1\n",
            "participants-votes.csv, line 2, column 'participant': expected an integer, got 'five'",
        ),
        (
            "participant,group-id,1\n5,A,1\n",
            "participants-votes.csv, line 2, column 'group-id': expected an integer, got 'A'",
        ),
    ],
)
def test_malformed_participants_votes_name_the_file_line_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    write(tmp_path, "participants-votes.csv", text)
    with pytest.raises(PolisFormatError) as raised:
        read_participants_votes_csv(tmp_path / "participants-votes.csv")
    assert str(raised.value) == message


def test_malformed_comments_name_the_file_line_and_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        "comments.csv",
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,1,0,0,0,2,Hello\n",
    )
    with pytest.raises(PolisFormatError) as raised:
        read_comments_csv(tmp_path / "comments.csv")
    assert str(raised.value) == (
        "comments.csv, line 2, column 'moderated': expected one of -1, 0, 1, got '2'"
    )


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_bytes(VOTES_HEADER.encode() + b"1,x,1,1,1\n1,\xff,1,1,1\n")
    with pytest.raises(PolisFormatError, match=r"votes\.csv, line 3: not UTF-8 text"):
        read_votes_csv(tmp_path / "votes.csv")


def test_a_folder_without_votes_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "comments.csv", "comment-id,moderated\n1,1\n")
    with pytest.raises(PolisFormatError, match=r"no votes\.csv and no participants-votes\.csv"):
        read_conversation(tmp_path)
    with pytest.raises(PolisFormatError, match="no such folder"):
        read_conversation(tmp_path / "missing")


# --- Writing -------------------------------------------------------------------------


def test_written_votes_read_back(tmp_path: Path) -> None:
    votes = [
        PolisVote(1_726_860_583_813, 3, 7, 1),
        PolisVote(1_726_860_583_900, 4, 7, -1),
        PolisVote(1_726_860_584_000, 3, 8, 0),
    ]
    out = io.StringIO()
    write_votes_csv(out, votes)
    assert out.getvalue().splitlines()[1] == "1726860583813,Fri Sep 20 19:29:43 UTC 2024,3,7,1"
    write(tmp_path, "votes.csv", out.getvalue())
    assert votes_dict(read_votes_csv(tmp_path / "votes.csv")) == {(7, 3): 1, (7, 4): -1, (8, 3): 0}


def test_written_comments_read_back(tmp_path: Path) -> None:
    comments = [
        PolisComment(
            1,
            "Plain",
            moderated=1,
            author_id=2,
            timestamp=5,
            agrees=3,
            disagrees=1,
            is_seed=True,
            group_informed_consensus=0.123456789012345,
        ),
        PolisComment(2, 'Quotes "and", commas\nand lines', moderated=-1, is_meta=True),
    ]
    out = io.StringIO()
    write_comments_csv(out, comments)
    write(tmp_path, "comments.csv", out.getvalue())
    assert read_comments_csv(tmp_path / "comments.csv") == comments


def test_written_participants_votes_read_back_with_groups(tmp_path: Path) -> None:
    table = VoteTable.from_votes([5, 5, 6, 9], [1, 2, 2, 3], [1, -1, 0, 1])
    out = io.StringIO()
    write_participants_votes_csv(
        out, table, group_ids={5: 0, 6: 1}, comment_counts={5: 2}, xids={9: "ext-9"}
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,1,2,3"
    assert lines[1] == "5,,0,2,2,1,1,1,-1,"
    assert lines[3] == "9,ext-9,,0,1,1,0,,,1"
    write(tmp_path, "participants-votes.csv", out.getvalue())
    read_back, groups = read_participants_votes_csv(tmp_path / "participants-votes.csv")
    assert votes_dict(read_back) == votes_dict(table)
    assert groups == {5: 0, 6: 1, 9: None}


def test_participants_votes_columns_follow_the_statement_ids_asked_for() -> None:
    table = VoteTable.from_votes([5, 5, 6, 6], [1, 2, 2, 3], [1, -1, 0, -1])
    out = io.StringIO()
    write_participants_votes_csv(out, table, statement_ids=[3, 7, 1])
    assert out.getvalue().splitlines() == [
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,3,7,1",
        "5,,0,2,1,1,,,1",
        "6,,0,2,0,1,-1,,",
    ]


@pytest.mark.parametrize(
    ("timestamp", "datetime_text"),
    [
        (0, "Thu Jan 01 00:00:00 UTC 1970"),
        (-1, "Wed Dec 31 23:59:59 UTC 1969"),
        (1658933760180, "Wed Jul 27 14:56:00 UTC 2022"),
        (951868799999, "Tue Feb 29 23:59:59 UTC 2000"),
        (1798761599000, "Thu Dec 31 23:59:59 UTC 2026"),
    ],
)
def test_votes_carry_pol_is_datetime_text(timestamp: int, datetime_text: str) -> None:
    out = io.StringIO()
    write_votes_csv(out, [PolisVote(timestamp, 4, 9, -1)])
    assert out.getvalue().splitlines()[1] == f"{timestamp},{datetime_text},4,9,-1"


def test_written_summary_reads_back(tmp_path: Path) -> None:
    out = io.StringIO()
    write_summary_csv(out, {"topic": "Parks, and more", "voters": 12, "groups": 2})
    write(tmp_path, "summary.csv", out.getvalue())
    assert read_summary_csv(tmp_path / "summary.csv") == {
        "topic": "Parks, and more",
        "voters": "12",
        "groups": "2",
    }


def test_real_exports_read_without_error() -> None:
    for folder in sorted(POLIS_DATA.iterdir()):
        if folder.is_dir():
            conversation = read_conversation(folder)
            assert conversation.votes.vote_count > 0
            assert np.all(np.isin(conversation.votes.matrix.data, (-1, 0, 1)))
