from sammen.core.charts import WIDTH

from ..charts import participation_chart


def test_one_day_is_one_narrow_bar_in_the_middle_not_a_block():
    chart = participation_chart(
        [{"day": "2026-12-02", "votes": 5, "participants": 2, "statements": 1}]
    )
    bar = chart.series[0].bars[0]
    assert bar.width < WIDTH / 5
    assert abs(bar.x + bar.width / 2 - WIDTH / 2) < 0.1
