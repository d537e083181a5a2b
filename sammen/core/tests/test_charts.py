"""One participation-over-time chart serves every kind: it draws whatever a kind counts."""

from datetime import date

from django.template.loader import render_to_string
from django.test import SimpleTestCase

from sammen.core.charts import WIDTH, Measure, participation_chart

MEASURES = [Measure("visits", "Visits per day", "Visits", "visits")]


class ParticipationChartTests(SimpleTestCase):
    def test_each_day_from_the_first_to_the_last_is_a_bar_and_a_row(self):
        chart = participation_chart(
            [
                {"day": date(2026, 12, 1), "visits": 4},
                {"day": date(2026, 12, 2), "visits": 0},
                {"day": date(2026, 12, 3), "visits": 2},
            ],
            MEASURES,
        )
        (series,) = chart.series
        self.assertEqual([bar.value for bar in series.bars], [4, 0, 2])
        self.assertEqual((series.peak, series.total), (4, 6))
        self.assertEqual(chart.days_per_bar, 1)
        self.assertEqual([day.values for day in chart.days], [[4], [0], [2]])
        self.assertTrue(all(0 <= bar.x <= WIDTH for bar in series.bars))

    def test_a_kind_without_any_figures_yet_draws_no_chart(self):
        chart = participation_chart([], MEASURES)
        self.assertFalse(chart)
        html = render_to_string("_participation_chart.html", {"chart": chart})
        self.assertIn("Nobody has taken part yet.", html)

    def test_the_markup_names_each_chart_and_gives_its_figures_as_a_table(self):
        chart = participation_chart([{"day": "2026-12-02", "visits": 3}], MEASURES)
        html = render_to_string("_participation_chart.html", {"chart": chart})
        self.assertIn('class="chart__svg chart__svg--visits"', html)
        self.assertIn('aria-label="Visits per day: 3 in all, at most 3 a day"', html)
        self.assertIn('<th scope="col" class="number">Visits</th>', html)
        self.assertIn('<td class="number">3</td>', html)
