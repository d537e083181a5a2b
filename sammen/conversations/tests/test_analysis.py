"""The opinion-map analysis: agreement with Pol.is on real data, and its invariants."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from sammen.conversations.analysis import (
    GROUP_K_BUFFER,
    NOT_ENOUGH_VOTES,
    UNITING_MIN_VOTES,
    Z_90,
    MapState,
    OpinionMap,
    VoteTable,
    analyse,
    group_informed_consensus,
    place_participant,
    proportion_z,
    statement_priorities,
    two_proportion_z,
)
from sammen.conversations.analysis.clusters import _base_clusters, _group_clusterings, _smooth_k
from sammen.conversations.polis import PolisConversation, read_conversation

POLIS_DATA = Path(__file__).parent / "data" / "polis"

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@cache
def polis(name: str) -> PolisConversation:
    return read_conversation(POLIS_DATA / name)


@cache
def polis_map(name: str) -> OpinionMap:
    conversation = polis(name)
    return analyse(conversation.votes, excluded_statements=conversation.excluded_statements)


def grouped(opinion_map: OpinionMap) -> dict[int, int]:
    return {
        int(p): int(g)
        for p, g in zip(opinion_map.participant_ids, opinion_map.participant_groups, strict=True)
        if g >= 0
    }


def partition(opinion_map: OpinionMap) -> set[frozenset[int]]:
    return {frozenset(int(p) for p in group.members) for group in opinion_map.groups}


def planted_votes(
    participants: int, statements: int, groups: int, seed: int, density: float = 0.6
) -> tuple[VoteTable, np.ndarray]:
    """Votes of planted groups: each group agrees with its own half of the statements."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(groups, size=participants)
    leaning = rng.choice([-1, 1], size=(groups, statements))
    rows, cols = np.nonzero(rng.random((participants, statements)) < density)
    agree_with_group = rng.random(len(rows)) < 0.85
    votes = np.where(agree_with_group, leaning[truth[rows], cols], -leaning[truth[rows], cols])
    votes[rng.random(len(rows)) < 0.1] = 0
    return VoteTable.from_votes(rows + 100, cols + 1000, votes), truth


# --- Pol.is's own results -------------------------------------------------------------


def test_group_informed_consensus_from_polis_groups_equals_the_exported_column() -> None:
    """bg2050-volunteers: GIC from Pol.is's group ids matches comments.csv to 1e-9."""
    conversation = polis("bg2050-volunteers")
    table = conversation.votes
    groups = np.array(
        [
            -1 if conversation.group_ids.get(int(p)) is None else conversation.group_ids[int(p)]
            for p in table.participant_ids
        ]
    )
    counts = {}
    for vote, name in ((1, "agree"), (-1, "disagree"), (0, "passed")):
        is_vote = table.matrix.copy()
        is_vote.data = (table.matrix.data == vote).astype(np.int64)
        membership = np.zeros((groups.max() + 1, len(groups)))
        membership[groups[groups >= 0], np.flatnonzero(groups >= 0)] = 1
        counts[name] = np.asarray(membership @ is_vote)
    ours = group_informed_consensus(
        counts["agree"], counts["agree"] + counts["disagree"] + counts["passed"]
    )
    exported = np.array(
        [conversation.comments[int(s)].group_informed_consensus for s in table.statement_ids]
    )
    assert len(exported) == 371
    assert np.max(np.abs(ours - exported)) < 1e-9


@pytest.mark.parametrize(
    "name",
    ["scoop-hivemind.biodiversity", "austria-climate.5twd2jsnkf.2022-08-08", "vtaiwan.uberx"],
)
def test_groups_agree_with_polis_groups(name: str) -> None:
    """Adjusted Rand index >= 0.9 over the participants both place in a group."""
    ours = grouped(polis_map(name))
    theirs = {p: g for p, g in polis(name).group_ids.items() if g is not None}
    both = sorted(set(ours) & set(theirs))
    assert len(both) >= 0.95 * len(theirs)
    ari = adjusted_rand_score([ours[p] for p in both], [theirs[p] for p in both])
    assert ari >= 0.9, f"{name}: adjusted Rand index {ari:.3f}"


@pytest.mark.parametrize(
    "name",
    [
        "15-per-hour-seattle",
        "scoop-hivemind.biodiversity",
        pytest.param(
            "scoop-hivemind.ubi",
            marks=pytest.mark.xfail(
                strict=True,
                reason="ubi's groups are Pol.is's 2017 map, never recomputed: missing votes "
                "imputed as 0, and 11 meta statements (32-42, not flagged in the 2017 "
                "comments.csv) zeroed and counted as votes, so all 234 are in; on today's "
                "map the silhouette picks 2 (0.61 against 0.39 for 4). On the 2017 map it "
                "picks Pol.is's 4 (test below); those 2017 rules break the other targets. "
                "See decision 0008",
            ),
        ),
    ],
)
def test_same_number_of_groups_as_polis(name: str) -> None:
    """The silhouette over base clusters picks as many groups as Pol.is did."""
    polis_groups = {g for g in polis(name).group_ids.values() if g is not None}
    assert len(polis_map(name).groups) == len(polis_groups)


# Pol.is's stored math for scoop-hivemind.ubi (math_tick 7106, last vote 2017-08-31, the
# state its export was written from) has these statements in mod-out: 14, moderated out,
# and 32-42, eleven demographic "I am ..." statements flagged is_meta, a flag the 2017
# comments.csv does not carry (it marks them moderated 1).
UBI_POLIS_2017_MOD_OUT = [14, *range(32, 43)]


def polis_2017_positions(table: VoteTable, mod_out: list[int]) -> np.ndarray:
    """Project everyone as Pol.is's 2017 math did (its stored ubi positions, to 1e-7).

    Missing votes count as 0 for the centre and the components (the column mean is over
    all participants) but not in the projection; moderated-out and meta columns are set
    to 0 for everyone, so they count as votes, for the entry threshold and the scaling.
    """
    columns = np.flatnonzero(np.bincount(table.matrix.indices, minlength=table.matrix.shape[1]))
    values = table.matrix.toarray()[:, columns].astype(np.float64)
    voted = np.zeros(values.shape, dtype=bool)
    rows = np.repeat(np.arange(values.shape[0]), np.diff(table.matrix.indptr))
    voted[rows, np.searchsorted(columns, table.matrix.indices)] = True
    zeroed = np.isin(table.statement_ids[columns], mod_out)
    values[:, zeroed] = 0.0
    voted[:, zeroed] = True
    centred = values - values.mean(axis=0)
    components = np.linalg.svd(centred, full_matrices=False)[2][:2].T
    scale = np.sqrt(len(columns) / voted.sum(axis=1))
    return np.asarray(np.where(voted, centred, 0.0) @ components) * scale[:, None]


def test_on_polis_2017_map_of_ubi_the_silhouette_picks_polis_four_groups() -> None:
    """The k rule is not what misses ubi: on Pol.is's own 2017 map it finds Pol.is's groups."""
    conversation = polis("scoop-hivemind.ubi")
    table = conversation.votes
    positions = polis_2017_positions(table, UBI_POLIS_2017_MOD_OUT)
    # With the 11 zeroed columns counted everyone has at least 12 votes, over the entry
    # threshold of 7: all 234 are in, as in Pol.is's export, where even the participants
    # who voted once have a group.
    base_centres, bases = _base_clusters(positions, 100, None, seed=0)
    sizes = np.bincount(bases, minlength=len(base_centres)).astype(np.int64)
    clusterings, silhouettes = _group_clusterings(base_centres, sizes, None, seed=0)
    k = _smooth_k(silhouettes, None)[2]
    assert k == 4, silhouettes
    ours = clusterings[k][1][bases]
    theirs = [conversation.group_ids[int(p)] for p in table.participant_ids]
    assert adjusted_rand_score(theirs, ours) >= 0.95


def test_polis_test_statistics_match_the_clojure_formulas() -> None:
    """prop-test and two-prop-test of polismath/math/stats.clj, by hand."""
    # prop-test 7 of 10: 2 * sqrt(11) * (8/11 - 1/2)
    assert proportion_z(7, 10) == pytest.approx(2 * np.sqrt(11) * (8 / 11 - 0.5))
    # two-prop-test 7/10 in against 3/20 out, each count + 1
    pi1, pi2, pooled = 8 / 11, 4 / 21, 12 / 32
    expected = (pi1 - pi2) / np.sqrt(pooled * (1 - pooled) * (1 / 11 + 1 / 21))
    assert two_proportion_z(7, 3, 10, 20) == pytest.approx(expected)
    assert two_proportion_z(10, 20, 10, 20) == 0.0  # pooled probability 1: Pol.is's 0


# --- The result's shape ---------------------------------------------------------------


def test_representative_statements_follow_polis_rules() -> None:
    """At most 5 per group, agrees first, the best agree first, significant ones pass z."""
    opinion_map = polis_map("vtaiwan.uberx")
    excluded = set(polis("vtaiwan.uberx").excluded_statements)
    for group in opinion_map.groups:
        statements = group.representative
        assert 1 <= len(statements) <= 5
        directions = [s.direction for s in statements]
        assert directions == sorted(directions, key=lambda d: d != "agree")
        assert all(not s.best_agree for s in statements[1:])
        for statement in statements:
            assert statement.statement_id not in excluded
            assert statement.n_success <= statement.n_trials
            if statement.significant:
                assert statement.probability_z > Z_90
                assert statement.repness_z > Z_90
                assert statement.repness > 1


def test_consensus_statements_are_agreed_or_disagreed_by_every_group() -> None:
    opinion_map = polis_map("austria-climate.5twd2jsnkf.2022-08-08")
    consensus = opinion_map.consensus
    assert 1 <= len(consensus.agree) <= 5
    assert len(consensus.disagree) <= 5
    for statement in (*consensus.agree, *consensus.disagree):
        assert len(statement.n_trials) == len(opinion_map.groups)
        assert min(statement.n_trials) >= UNITING_MIN_VOTES
        shares = zip(statement.n_success, statement.n_trials, strict=True)
        assert all(2 * n > seen for n, seen in shares)
        assert statement.probability > 0.5
        assert statement.probability_z > Z_90
    ranks = [s.group_informed for s in consensus.agree]
    assert ranks == sorted(ranks, reverse=True)
    # Ranked by group-informed consensus, Pol.is's own figure.
    for statement in consensus.agree:
        assert statement.group_informed == opinion_map.informed_consensus(statement.statement_id)


def two_camps() -> VoteTable:
    """Nine voters in two opposing camps of six and three.

    Statements 1-6: the six agree, the three disagree. 7: everyone agrees. 8: the six
    agree, one of the three agrees and two disagree. 9: everyone disagrees. 10: one vote.
    """
    camp_a, camp_b = range(1, 7), range(7, 10)
    rows: list[tuple[int, int, int]] = []
    for statement in range(1, 7):
        rows += [(p, statement, 1) for p in camp_a] + [(p, statement, -1) for p in camp_b]
    rows += [(p, 7, 1) for p in (*camp_a, *camp_b)]
    rows += [(p, 8, 1) for p in (*camp_a, 7)] + [(8, 8, -1), (9, 8, -1)]
    rows += [(p, 9, -1) for p in (*camp_a, *camp_b)]
    rows += [(1, 10, 1)]
    participants, statements, votes = zip(*rows, strict=True)
    return VoteTable.from_votes(participants, statements, votes)


def test_with_two_opposing_camps_only_what_every_group_agrees_on_unites_them() -> None:
    opinion_map = analyse(two_camps())
    assert partition(opinion_map) == {frozenset(range(1, 7)), frozenset(range(7, 10))}
    consensus = opinion_map.consensus
    assert [s.statement_id for s in consensus.agree] == [7]
    assert [s.statement_id for s in consensus.disagree] == [9]
    assert consensus.agree[0].n_success == (6, 3)
    assert consensus.agree[0].n_trials == (6, 3)
    assert consensus.disagree[0].direction == "disagree"
    # Statements 1-8 have enough votes in both groups; 10 has one vote.
    assert consensus.statements_with_enough_votes == 9
    assert consensus.statements_with_too_few_votes == 1


def test_a_statement_with_one_vote_is_too_few_votes_not_agreement() -> None:
    opinion_map = analyse(two_camps())
    assert 10 not in opinion_map.consensus.statement_ids
    # Pol.is's test alone passes one unanimous vote: that is why each group needs more.
    assert proportion_z([1], [1])[0] > Z_90


def test_with_too_few_votes_in_some_group_nothing_is_said_to_unite_them() -> None:
    # Two groups of two: no statement can have three votes from each group.
    rows = [(p, s, 1 if (p <= 2) == (s % 2 == 0) else -1) for p in range(1, 5) for s in range(8)]
    rows += [(p, 8, 1) for p in range(1, 5)]
    participants, statements, votes = zip(*rows, strict=True)
    opinion_map = analyse(VoteTable.from_votes(participants, statements, votes))
    assert opinion_map.ready
    assert opinion_map.consensus.statement_ids == []
    assert opinion_map.consensus.statements_with_enough_votes == 0
    assert opinion_map.consensus.statements_with_too_few_votes == 9


def test_tallies_count_each_group_members_votes() -> None:
    opinion_map = polis_map("15-per-hour-seattle")
    tallies = opinion_map.tallies
    assert tallies.agree.shape == (len(opinion_map.groups), len(opinion_map.statement_ids))
    assert np.all(
        tallies.seen.sum(axis=0)
        <= tallies.total_agree + tallies.total_disagree + tallies.total_passed
    )
    members = opinion_map.groups[0].members
    column = 0
    statement = opinion_map.statement_ids[column]
    pids, tids, votes = polis("15-per-hour-seattle").votes.triplets()
    mine = np.isin(pids, members) & (tids == statement)
    assert tallies.agree[0, column] == np.sum(votes[mine] == 1)
    assert tallies.disagree[0, column] == np.sum(votes[mine] == -1)
    assert tallies.passed[0, column] == np.sum(votes[mine] == 0)


def test_it_recovers_planted_groups() -> None:
    table, truth = planted_votes(600, 40, 3, seed=1)
    opinion_map = analyse(table)
    assert len(opinion_map.groups) == 3
    labels = opinion_map.participant_groups
    assert adjusted_rand_score(truth[labels >= 0], labels[labels >= 0]) >= 0.9


def test_excluded_statements_leave_the_math() -> None:
    table, _truth = planted_votes(200, 20, 2, seed=2)
    opinion_map = analyse(table, excluded_statements=[1000, 1001])
    assert 1000 not in opinion_map.statement_ids
    assert 1001 not in opinion_map.statement_ids
    assert len(opinion_map.statement_ids) == 18


# --- Warm start ----------------------------------------------------------------------


def test_an_update_keeps_group_ids_and_the_map_orientation() -> None:
    table, _truth = planted_votes(500, 30, 3, seed=3)
    first = analyse(table, seed=0)
    pids, tids, votes = table.triplets()
    rng = np.random.default_rng(0)
    flipped = votes.copy()
    changed = rng.choice(len(votes), size=50, replace=False)
    flipped[changed] = rng.choice([-1, 0, 1], size=50)
    # A different seed would number and orient a fresh map its own way; the previous
    # map keeps both.
    second = analyse(VoteTable.from_votes(pids, tids, flipped), previous=first, seed=7)
    assert len(second.groups) == len(first.groups)
    for before, after in zip(first.groups, second.groups, strict=True):
        overlap = len(np.intersect1d(before.members, after.members))
        assert overlap >= 0.9 * before.size
    assert np.corrcoef(first.positions[:, 0], second.positions[:, 0])[0, 1] > 0.95


def test_a_new_number_of_groups_must_win_several_updates_in_a_row() -> None:
    table, _truth = planted_votes(600, 40, 2, seed=4)
    fresh = analyse(table)
    assert len(fresh.groups) == 2
    assert fresh.state is not None
    # As if 3 groups had been chosen for a long time.
    state = dataclasses.replace(fresh.state, last_k=3, last_k_count=9, smoothed_k=3)
    counts = []
    for _update in range(GROUP_K_BUFFER):
        opinion_map = analyse(table, previous=state)
        assert opinion_map.state is not None
        state = opinion_map.state
        counts.append(len(opinion_map.groups))
    assert counts == [3] * (GROUP_K_BUFFER - 1) + [2]


def test_participants_stay_in_the_analysis_once_in() -> None:
    table, _truth = planted_votes(100, 20, 2, seed=5)
    first = analyse(table)
    assert first.state is not None
    pids, tids, votes = table.triplets()
    leaver = int(first.participant_ids[first.in_analysis][0])
    keep = (pids != leaver) | (tids < 1003)  # three votes left: below the entry threshold
    second = analyse(VoteTable.from_votes(pids[keep], tids[keep], votes[keep]), previous=first)
    index = int(np.searchsorted(second.participant_ids, leaver))
    assert second.in_analysis[index]
    fresh = analyse(VoteTable.from_votes(pids[keep], tids[keep], votes[keep]))
    assert not fresh.in_analysis[index]


def test_the_state_survives_serialisation() -> None:
    table, _truth = planted_votes(300, 25, 3, seed=6)
    first = analyse(table)
    assert first.state is not None
    loaded = MapState.from_bytes(first.state.to_bytes())
    direct = analyse(table, previous=first.state)
    reloaded = analyse(table, previous=loaded)
    assert np.array_equal(direct.positions, reloaded.positions)
    assert np.array_equal(direct.participant_groups, reloaded.participant_groups)


# --- Between recomputes ---------------------------------------------------------------


def test_placing_a_participant_again_lands_where_the_map_put_them() -> None:
    table, _truth = planted_votes(300, 25, 3, seed=8)
    opinion_map = analyse(table)
    pids, tids, votes = table.triplets()
    for index in (0, 17, 123):
        participant = int(opinion_map.participant_ids[index])
        mine = pids == participant
        placement = place_participant(opinion_map, dict(zip(tids[mine], votes[mine], strict=True)))
        assert placement is not None
        assert placement.x == pytest.approx(opinion_map.positions[index, 0])
        assert placement.y == pytest.approx(opinion_map.positions[index, 1])
        assert placement.group_id == opinion_map.group_of(participant)


def test_a_newcomer_with_few_votes_has_a_place_but_no_group_yet() -> None:
    table, _truth = planted_votes(300, 25, 3, seed=9)
    opinion_map = analyse(table)
    placement = place_participant(opinion_map, {1000: 1, 1001: -1, 99999: 1})
    assert placement is not None
    assert placement.vote_count == 2
    assert placement.group_id is None
    assert place_participant(opinion_map, {99999: 1}) is None


def test_priorities_boost_new_statements_and_fix_meta_ones() -> None:
    table, _truth = planted_votes(300, 25, 3, seed=10)
    opinion_map = analyse(table)
    weights = statement_priorities(opinion_map, [1000, 5555, 1001], meta_statements=[1001])
    new_statement = (0.5 * 0.5 * 1 * 9) ** 2  # no votes: P(agree) = P(pass) = 1/2, boost 9
    assert weights[1] == pytest.approx(new_statement)
    assert weights[2] == pytest.approx(49.0)
    assert 0 < weights[0] < new_statement


def test_priority_grows_with_how_far_a_statement_moves_people() -> None:
    opinion_map = polis_map("15-per-hour-seattle")
    weights = statement_priorities(opinion_map, opinion_map.statement_ids)
    tallies = opinion_map.tallies
    agree, seen = tallies.agree.sum(axis=0), tallies.seen.sum(axis=0)
    passed = tallies.passed.sum(axis=0)
    expected = (
        (1 - (passed + 1) / (seen + 2))
        * (opinion_map.extremity + 1)
        * (agree + 1)
        / (seen + 2)
        * (1 + 8 * 2.0 ** (-seen / 5))
    ) ** 2
    assert np.allclose(weights, expected)


# --- Properties ----------------------------------------------------------------------


@st.composite
def vote_lists(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    participants = draw(st.integers(min_value=2, max_value=40))
    statements = draw(st.integers(min_value=2, max_value=12))
    cells = draw(
        st.lists(
            st.tuples(
                st.integers(0, participants - 1),
                st.integers(0, statements - 1),
                st.sampled_from([-1, 0, 1]),
            ),
            min_size=1,
            max_size=300,
            unique_by=lambda cell: (cell[0], cell[1]),
        )
    )
    return [c[0] * 7 + 3 for c in cells], [c[1] * 5 + 1 for c in cells], [c[2] for c in cells]


@PROPERTY_SETTINGS
@given(votes=vote_lists(), order=st.randoms(use_true_random=False))
def test_the_order_of_participants_and_statements_changes_nothing(
    votes: tuple[list[int], list[int], list[int]], order: object
) -> None:
    pids, tids, values = (np.array(v) for v in votes)
    shuffled = np.random.default_rng(order.randrange(2**32)).permutation(len(pids))  # type: ignore[attr-defined]
    before = analyse(VoteTable.from_votes(pids, tids, values))
    after = analyse(VoteTable.from_votes(pids[shuffled], tids[shuffled], values[shuffled]))
    assert before.ready == after.ready
    assert partition(before) == partition(after)
    assert np.array_equal(
        before.group_informed_consensus, after.group_informed_consensus, equal_nan=True
    )


@PROPERTY_SETTINGS
@given(
    votes=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 5),
            st.sampled_from([-1, 0, 1]),
            st.integers(0, 20),
        ),
        max_size=80,
    )
)
def test_duplicate_votes_and_revotes_resolve_to_the_latest(
    votes: list[tuple[int, int, int, int]],
) -> None:
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for position, (participant, statement, vote, timestamp) in enumerate(votes):
        key = (participant, statement)
        if key not in latest or (timestamp, position) >= latest[key][1:]:
            latest[key] = (vote, timestamp, position)  # type: ignore[assignment]
    columns = list(zip(*votes, strict=True)) if votes else [(), (), (), ()]
    table = VoteTable.from_votes(columns[0], columns[1], columns[2], columns[3])
    pids, tids, values = table.triplets()
    assert {(int(p), int(s)): int(v) for p, s, v in zip(pids, tids, values, strict=True)} == {
        key: value[0] for key, value in latest.items()
    }


@pytest.mark.parametrize(
    ("pids", "tids", "votes"),
    [
        pytest.param([], [], [], id="empty"),
        pytest.param([1], [1], [1], id="one vote"),
        pytest.param([1, 1, 1], [1, 2, 3], [1, -1, 0], id="one participant"),
        pytest.param([1, 2, 3], [1, 1, 1], [1, -1, 0], id="one statement"),
        pytest.param([1, 1, 2, 2, 3, 3], [1, 2, 1, 2, 1, 2], [0] * 6, id="all pass"),
    ],
)
def test_too_few_votes_give_a_map_that_is_not_ready(
    pids: list[int], tids: list[int], votes: list[int]
) -> None:
    opinion_map = analyse(VoteTable.from_votes(pids, tids, votes))
    assert not opinion_map.ready
    assert opinion_map.reason == NOT_ENOUGH_VOTES
    assert opinion_map.groups == ()
    assert opinion_map.state is None
    assert statement_priorities(opinion_map, [1, 2]).shape == (2,)


@PROPERTY_SETTINGS
@given(votes=vote_lists(), excluded=st.lists(st.integers(0, 70), max_size=5))
def test_any_small_conversation_gives_a_map_or_a_reason(
    votes: tuple[list[int], list[int], list[int]], excluded: list[int]
) -> None:
    opinion_map = analyse(VoteTable.from_votes(*votes), excluded_statements=excluded)
    if opinion_map.ready:
        sizes = sum(group.size for group in opinion_map.groups)
        assert sizes == int(opinion_map.in_analysis.sum())
        assert len(opinion_map.groups) >= 2
        assert np.all(np.isfinite(opinion_map.positions))
        assert np.all(
            (opinion_map.group_informed_consensus > 0) & (opinion_map.group_informed_consensus < 1)
        )
    else:
        assert opinion_map.reason == NOT_ENOUGH_VOTES


@PROPERTY_SETTINGS
@given(votes=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), min_size=1, max_size=150))
def test_all_pass_conversations_are_not_ready(votes: list[tuple[int, int]]) -> None:
    pids, tids = zip(*votes, strict=True)
    opinion_map = analyse(VoteTable.from_votes(pids, tids, [0] * len(votes)))
    assert not opinion_map.ready
    assert opinion_map.reason == NOT_ENOUGH_VOTES


def test_a_vote_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        VoteTable.from_votes([1], [1], [2])


def test_a_sparse_matrix_with_explicit_passes_is_a_vote_table() -> None:
    matrix = sp.csr_array(
        (np.array([1, 0, -1], dtype=np.int8), (np.array([0, 0, 1]), np.array([0, 1, 1]))),
        shape=(2, 3),
    )
    table = VoteTable.from_matrix(matrix, participant_ids=[20, 10], statement_ids=[7, 5, 6])
    assert list(table.participant_ids) == [10, 20]
    assert list(table.statement_ids) == [5, 6, 7]
    pids, tids, votes = table.triplets()
    assert sorted(zip(pids.tolist(), tids.tolist(), votes.tolist(), strict=True)) == [
        (10, 5, -1),
        (20, 5, 0),
        (20, 7, 1),
    ]


def test_a_map_that_is_not_ready_places_no_one() -> None:
    opinion_map = analyse(VoteTable.from_votes([1, 2], [1, 1], [1, -1]))
    assert place_participant(opinion_map, {1: 1}) is None
