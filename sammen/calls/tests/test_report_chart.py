from django.urls import reverse
from django.utils import formats, timezone

from sammen.activities.actions import do_close_activity
from sammen.calls.charts import participation_chart
from sammen.core.charts import WIDTH
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea


class OneDayChartTests(BaseTestCase):
    def test_a_call_with_one_day_of_data_shows_axes_and_that_date(self):
        call = make_call(self.museum, self.alice)
        make_idea(call, self.bob)
        do_close_activity(self.alice, call.activity)
        self.login(self.alice)
        response = self.client.get(
            reverse("calls:report", args=[self.museum.slug, call.activity.slug])
        )
        self.assertContains(response, 'class="chart__axes"', count=3)
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        self.assertContains(response, f'chart__x chart__x--one" aria-hidden="true"><span>{today}')

    def test_one_day_is_one_narrow_bar_in_the_middle_not_a_block(self):
        chart = participation_chart(
            [{"day": timezone.localdate(), "ideas": 2, "supports": 0, "comments": 1}]
        )
        bar = chart.series[0].bars[0]
        self.assertLess(bar.width, WIDTH / 5)
        self.assertAlmostEqual(bar.x + bar.width / 2, WIDTH / 2, places=1)
