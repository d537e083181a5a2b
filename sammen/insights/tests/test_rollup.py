from datetime import date

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.insights.models import DailyCount, DailyPeople, Span
from sammen.insights.rollup import do_count_space
from sammen.testing import BaseTestCase, make_activity

from .helpers import comment_on, people


class RollupTests(BaseTestCase):
    first: Activity
    second: Activity
    crowd: list[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.first = make_activity(cls.museum, cls.alice, "Storylines", open_it=True)
        cls.second = make_activity(cls.museum, cls.alice, "Objects", open_it=True)
        cls.crowd = people(6)
        for person in cls.crowd:
            comment_on(cls.first, person, "2026-03-02")
        for person in cls.crowd[:3]:
            comment_on(cls.first, person, "2026-03-03")
            comment_on(cls.second, person, "2026-03-03")

    def test_it_counts_each_source_per_activity_and_day(self) -> None:
        do_count_space(self.museum)
        rows = DailyCount.objects.filter(space=self.museum).order_by("activity_id", "day")
        self.assertEqual(
            [(r.activity_id, r.day, r.contributions, r.people) for r in rows],
            [
                (self.first.pk, date(2026, 3, 2), 6, 6),
                (self.first.pk, date(2026, 3, 3), 3, 3),
                (self.second.pk, date(2026, 3, 3), 3, 3),
            ],
        )

    def test_it_keeps_each_persons_span_in_every_scope(self) -> None:
        do_count_space(self.museum)
        space_rows = Span.objects.filter(space=self.museum, activity=None, kind="", source="")
        self.assertEqual(space_rows.count(), 6)
        self.assertEqual(space_rows.filter(activities=2).count(), 3)
        self.assertEqual(
            Span.objects.filter(space=self.museum, activity=self.first, source="").count(), 6
        )
        self.assertEqual(
            Span.objects.filter(space=self.museum, activity=None, kind="sample", source="").count(),
            6,
        )

    def test_it_counts_newcomers_and_returning_people_per_day(self) -> None:
        do_count_space(self.museum)
        days = DailyPeople.objects.filter(space=self.museum, activity=None).order_by("day")
        self.assertEqual(
            [(d.day, d.people, d.newcomers) for d in days],
            [(date(2026, 3, 2), 6, 6), (date(2026, 3, 3), 3, 0)],
        )
        second = DailyPeople.objects.get(space=self.museum, activity=self.second)
        self.assertEqual((second.people, second.newcomers), (3, 3))

    def test_counting_again_replaces_the_rows(self) -> None:
        do_count_space(self.museum)
        do_count_space(self.museum)
        self.assertEqual(DailyCount.objects.filter(space=self.museum).count(), 3)
