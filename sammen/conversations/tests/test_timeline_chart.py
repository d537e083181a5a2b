from ..charts import TIMELINE_WIDTH, participation_chart


def test_one_day_is_one_narrow_bar_in_the_middle_not_a_block():
    series, _days = participation_chart(
        [{"day": "2026-12-02", "votes": 5, "participants": 2, "statements": 1}]
    )
    bar = series[0].bars[0]
    assert bar.width < TIMELINE_WIDTH / 5
    assert abs(bar.x + bar.width / 2 - TIMELINE_WIDTH / 2) < 0.1
