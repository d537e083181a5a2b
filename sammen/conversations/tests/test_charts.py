"""The geometry of the conversation's charts, and the near-duplicate check (no database)."""

from ..charts import (
    MAP_HEIGHT,
    MAP_WIDTH,
    convex_hull,
    opinion_map_chart,
    participation_chart,
    vote_bar,
)
from ..similarity import most_similar, normalised, similarity

SUMMARY = {
    "ready": True,
    "groups": [
        {"id": 0, "letter": "A", "size": 3, "centre": [1, 1], "hull": [[0, 0], [2, 0], [1, 2]]},
        {"id": 1, "letter": "B", "size": 1, "centre": [-3, -1], "hull": [[-3, -1]]},
    ],
}


def test_vote_bars_add_up_to_a_hundred():
    for counts in [(1, 1, 1), (2, 1, 0), (0, 0, 7), (33, 33, 34), (5, 0, 0)]:
        bar = vote_bar(*counts)
        assert bar.agree + bar.disagree + bar.passed == 100
        assert bar.votes == sum(counts)
    assert vote_bar(0, 0, 0).votes == 0


def test_the_hull_keeps_the_outside_points_only():
    points = [(0.0, 0.0), (2.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 2.0)]
    assert sorted(convex_hull(points)) == [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]


def test_the_map_fits_every_group_and_the_viewer_inside_the_picture():
    chart = opinion_map_chart(SUMMARY, points=[(0, 0, 0), (-3, -1, 1)], you=(2, 2), your_group=0)
    assert chart is not None
    assert [group.letter for group in chart.groups] == ["A", "B"]
    assert chart.groups[0].is_yours
    assert chart.you is not None
    for group in chart.groups:
        for corner in group.outline.split():
            x, y = (float(n) for n in corner.split(","))
            assert 0 <= x <= MAP_WIDTH
            assert 0 <= y <= MAP_HEIGHT
    assert len(chart.points) == 2


def test_a_map_that_is_not_ready_is_not_drawn():
    assert opinion_map_chart({"ready": False, "groups": []}) is None


def test_many_participants_are_drawn_as_density():
    points = [(i % 50 / 10, i // 50 / 10, i % 2) for i in range(2000)]
    chart = opinion_map_chart(SUMMARY, points=points)
    assert chart is not None
    assert chart.points == []
    assert chart.cells
    assert all(0 < cell.opacity <= 0.9 for cell in chart.cells)


def test_long_timelines_are_drawn_in_weeks_with_empty_days_counted():
    timeline = [
        {"day": "2026-01-01", "votes": 5, "participants": 2, "statements": 1},
        {"day": "2026-12-31", "votes": 7, "participants": 1, "statements": 0},
    ]
    chart = participation_chart(timeline)
    assert chart.days_per_bar == 7
    votes = next(item for item in chart.series if item.key == "votes")
    assert votes.total == 12
    assert votes.bars[0].value == 5
    assert votes.bars[-1].value == 7
    assert len(votes.bars) == 53
    short = participation_chart(timeline[:1])
    assert short.days_per_bar == 1
    assert len(short.series[0].bars) == 1


def test_statements_are_compared_without_case_accents_or_punctuation():
    assert normalised("  Café, OK?! ") == "cafe ok"
    assert similarity("Tourist boats are too loud.", "tourist boats are TOO loud") == 1.0


def test_near_duplicates_are_flagged_and_common_words_do_not_count():
    statements = [
        (1, "The festival should ban single-use plastic."),
        (2, "The festival should last four days."),
        (3, "The festival should book bigger names."),
        (4, "There should be free drinking water everywhere on the site."),
    ]
    assert [pk for pk, _s in most_similar("Free water should be everywhere", statements)] == [4]
    assert most_similar("The festival should ban cars", statements) == []
    assert most_similar("ok", statements) == []
