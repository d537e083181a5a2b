import json
from decimal import Decimal

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.audit.models import AuditEntry
from sammen.insights.models import MinutesSetting, Rollup
from sammen.insights.rollup import do_count_space
from sammen.testing import BaseTestCase, make_activity, one_rate_window

from .helpers import comment_on, people


class InsightsData(BaseTestCase):
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
            comment_on(cls.first, person, "2026-03-09")
        # Only three people under the second activity: too few to show.
        for person in cls.crowd[:3]:
            comment_on(cls.second, person, "2026-03-03")
        do_count_space(cls.museum)

    def page(self, **query: str) -> str:
        return reverse("insights:space", args=[self.museum.slug])


class PermissionTests(InsightsData):
    def urls(self) -> list[str]:
        slug = self.museum.slug
        return [
            reverse("insights:space", args=[slug]),
            reverse("insights:csv", args=[slug]),
            reverse("insights:json", args=[slug]),
            reverse("insights:minutes", args=[slug]),
        ]

    def test_owners_and_moderators_see_every_page(self) -> None:
        for user in (self.alice, self.maja):
            self.login(user)
            for url in self.urls():
                with self.subTest(user=user.display_name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_members_and_outsiders_are_refused(self) -> None:
        for user in (self.bob, self.charlie):
            self.login(user)
            for url in self.urls():
                with self.subTest(user=user.display_name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            refresh = reverse("insights:refresh", args=[self.museum.slug])
            self.assertEqual(self.client.post(refresh).status_code, 403)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])

    def test_a_private_space_stays_hidden_from_outsiders(self) -> None:
        self.login(self.charlie)
        url = reverse("insights:space", args=[self.quiet_room.slug])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_space_header_links_organisers_to_the_page(self) -> None:
        self.login(self.maja)
        home = self.client.get(reverse("spaces:home", args=[self.museum.slug]))
        self.assertContains(home, reverse("insights:space", args=[self.museum.slug]))
        self.login(self.bob)
        home = self.client.get(reverse("spaces:home", args=[self.museum.slug]))
        self.assertNotContains(home, reverse("insights:space", args=[self.museum.slug]))


class PageTests(InsightsData):
    def setUp(self) -> None:
        self.login(self.alice)

    def test_it_shows_the_figures_as_of_the_last_count(self) -> None:
        response = self.client.get(self.page())
        self.assertContains(response, "Figures as of")
        self.assertContains(response, "Storylines")
        figures = response.context["insights"]
        self.assertEqual(figures.totals.people, 6)
        self.assertEqual(figures.totals.contributions, 15)
        # 15 comments of 3 minutes each.
        self.assertEqual(figures.totals.hours, Decimal("0.75"))

    def test_people_in_two_activities_are_counted_once_each(self) -> None:
        figures = self.client.get(self.page()).context["insights"]
        # Three people took part in both, which is fewer than five: not shown.
        self.assertIsNone(figures.totals.in_two_or_more)

    def test_figures_of_fewer_than_five_people_read_fewer_than_5(self) -> None:
        response = self.client.get(self.page())
        rows = {row.activity.title: row for row in response.context["insights"].activities}
        self.assertEqual(rows["Storylines"].people, 6)
        self.assertIsNone(rows["Objects"].people)
        self.assertIsNone(rows["Objects"].contributions)
        self.assertContains(response, "fewer than 5")
        objects_row = response.content.decode().split(">Objects</a>")[1].split("</tr>")[0]
        self.assertNotIn(">3<", objects_row)
        self.assertIn("fewer than 5", objects_row)

    def test_the_exports_hide_the_same_figures(self) -> None:
        slug = self.museum.slug
        csv = self.client.get(reverse("insights:csv", args=[slug])).content.decode()
        self.assertIn("activities,Objects,people,fewer than 5", csv)
        self.assertIn("activities,Storylines,people,6", csv)
        payload = json.loads(self.client.get(reverse("insights:json", args=[slug])).content)
        objects = next(row for row in payload["activities"] if row["title"] == "Objects")
        self.assertEqual(objects["people"], "fewer than 5")
        self.assertEqual(objects["contributions"], "fewer than 5")
        self.assertEqual(payload["totals"]["people"], 6)

    def test_a_period_narrows_the_figures(self) -> None:
        response = self.client.get(self.page(), {"since": "2026-03-05", "until": "2026-03-31"})
        figures = response.context["insights"]
        self.assertEqual(figures.totals.contributions, 6)
        self.assertEqual(figures.totals.days, 27)
        self.assertEqual([day["day"].isoformat() for day in figures.timeline], ["2026-03-09"])

    def test_an_activity_narrows_the_figures(self) -> None:
        response = self.client.get(self.page(), {"activity": str(self.first.pk)})
        figures = response.context["insights"]
        self.assertEqual([row.activity for row in figures.activities], [self.first])
        self.assertEqual(figures.totals.contributions, 12)
        self.assertIsNone(figures.totals.in_two_or_more)

    def test_the_exports_honour_the_filters(self) -> None:
        url = reverse("insights:json", args=[self.museum.slug])
        payload = json.loads(self.client.get(url, {"activity": str(self.first.pk)}).content)
        self.assertEqual([row["title"] for row in payload["activities"]], ["Storylines"])
        self.assertEqual(payload["filters"]["activity"], self.first.pk)

    def test_another_spaces_activity_is_refused(self) -> None:
        other = make_activity(self.quiet_room, self.alice, "Elsewhere")
        response = self.client.get(self.page(), {"activity": str(other.pk)})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Select a valid choice", status_code=400)

    def test_an_end_before_the_start_is_refused(self) -> None:
        response = self.client.get(self.page(), {"since": "2026-03-05", "until": "2026-03-01"})
        self.assertContains(response, "comes before its start", status_code=400)
        csv = self.client.get(reverse("insights:csv", args=[self.museum.slug]), {"since": "never"})
        self.assertEqual(csv.status_code, 400)

    def test_a_space_never_counted_says_so(self) -> None:
        Rollup.objects.filter(space=self.museum).delete()
        response = self.client.get(self.page())
        self.assertContains(response, "have not been counted yet")

    def test_count_now_counts_and_then_waits_a_while(self) -> None:
        Rollup.objects.filter(space=self.museum).delete()
        refresh = reverse("insights:refresh", args=[self.museum.slug])
        with one_rate_window():
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(refresh, follow=True)
            self.assertContains(response, "being counted")
            # The tests run tasks at once.
            self.assertIsNotNone(Rollup.objects.get(space=self.museum).computed_at)
            again = self.client.post(refresh, follow=True)
        self.assertContains(again, "a moment ago")

    def test_refresh_only_takes_a_post(self) -> None:
        refresh = reverse("insights:refresh", args=[self.museum.slug])
        self.assertEqual(self.client.get(refresh).status_code, 405)


class MinutesTests(InsightsData):
    def setUp(self) -> None:
        self.login(self.maja)
        self.url = reverse("insights:minutes", args=[self.museum.slug])

    def test_own_minutes_change_the_hours_given(self) -> None:
        response = self.client.post(self.url, {"comments.comment": "4.5"})
        self.assertRedirects(response, self.page() + "#time-given")
        self.assertEqual(
            MinutesSetting.objects.get(space=self.museum, source="comments.comment").minutes,
            Decimal("4.5"),
        )
        figures = self.client.get(self.page()).context["insights"]
        self.assertEqual(figures.totals.hours, Decimal("1.125"))
        self.assertTrue(
            AuditEntry.objects.filter(space=self.museum, action="insights.minutes_changed").exists()
        )

    def test_an_empty_field_goes_back_to_the_kinds_estimate(self) -> None:
        self.client.post(self.url, {"comments.comment": "10"})
        self.client.post(self.url, {"comments.comment": ""})
        self.assertFalse(MinutesSetting.objects.filter(space=self.museum).exists())


class BadMinutesTests(InsightsData, HypothesisTestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        st.one_of(
            st.sampled_from(["-1", "600.01", "1e9", "abc", "NaN", "Infinity", "1.234", "9" * 50]),
            st.text(min_size=1, max_size=30).filter(
                lambda text: not text.strip().replace(".", "").isdigit()
            ),
        )
    )
    def test_bad_minutes_are_refused_and_change_nothing(self, value: str) -> None:
        self.client.force_login(self.alice)
        url = reverse("insights:minutes", args=[self.museum.slug])
        response = self.client.post(url, {"comments.comment": value})
        if value.strip() == "":
            return
        self.assertEqual(response.status_code, 400)
        self.assertFalse(MinutesSetting.objects.filter(space=self.museum).exists())


class BadFilterTests(InsightsData, HypothesisTestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        st.sampled_from(["since", "until", "activity"]),
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                ["1999-12-31", "2101-01-01", "0", "-1", "99999999999999999999", "1 OR 1=1"]
            ),
        ),
    )
    def test_odd_filters_never_break_the_page(self, name: str, value: str) -> None:
        self.client.force_login(self.alice)
        for url_name in ("space", "csv", "json"):
            url = reverse(f"insights:{url_name}", args=[self.museum.slug])
            response = self.client.get(url, {name: value})
            self.assertIn(response.status_code, (200, 400))


class AllTimeTests(InsightsData):
    def test_a_period_over_everything_agrees_with_all_time(self) -> None:
        self.login(self.alice)
        all_time = self.client.get(self.page()).context["insights"]
        period = self.client.get(
            self.page(), {"since": "2026-01-01", "until": "2026-12-31"}
        ).context["insights"]
        self.assertEqual(all_time.totals.people, period.totals.people)
        self.assertEqual(all_time.totals.contributions, period.totals.contributions)
        self.assertEqual(
            [(row.people, row.contributions) for row in all_time.activities],
            [(row.people, row.contributions) for row in period.activities],
        )
        self.assertEqual(
            [(row.key, row.people) for row in all_time.sources],
            [(row.key, row.people) for row in period.sources],
        )


class PeriodPeopleTests(InsightsData):
    def figures(self, **query: str) -> object:
        self.login(self.alice)
        return self.client.get(self.page(), query).context["insights"]

    def test_people_count_when_their_span_overlaps_the_period(self) -> None:
        figures = self.figures(since="2026-03-03", until="2026-03-03")
        self.assertEqual(figures.totals.people, 6)  # type: ignore[attr-defined]
        self.assertEqual(figures.totals.newcomers, 0)  # type: ignore[attr-defined]
        self.assertEqual(figures.totals.returning, 6)  # type: ignore[attr-defined]

    def test_nobody_counts_after_their_last_contribution_or_before_their_first(self) -> None:
        self.assertEqual(self.figures(since="2026-03-10").totals.people, 0)  # type: ignore[attr-defined]
        self.assertEqual(self.figures(until="2026-03-01").totals.people, 0)  # type: ignore[attr-defined]

    def test_newcomers_are_those_whose_first_day_falls_in_the_period(self) -> None:
        figures = self.figures(since="2026-03-02", until="2026-03-02")
        self.assertEqual(figures.totals.newcomers, 6)  # type: ignore[attr-defined]


class QueryCountTests(InsightsData):
    def test_the_page_reads_as_many_rows_whatever_the_activities(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.alice)
        with CaptureQueriesContext(connection) as before:
            self.client.get(self.page(), {"since": "2026-03-01"})
        third = make_activity(self.museum, self.alice, "Maps", open_it=True)
        for person in self.crowd:
            comment_on(third, person, "2026-03-04")
        do_count_space(self.museum)
        with CaptureQueriesContext(connection) as after:
            self.client.get(self.page(), {"since": "2026-03-01"})
        self.assertEqual(len(before), len(after))
