"""The figures page, its forms and its exports: each persona, odd parameters, query counts."""

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.activities.models import Activity, ActivityLink, Phase
from sammen.audit.models import AuditEntry
from sammen.journeys.actions import do_add_plan, do_answer_closing_questions, do_start_wave
from sammen.journeys.actions.decisions import MAX_PLANS_PER_TOUCHPOINT
from sammen.journeys.models import Journey, Plan, Segment, Touchpoint
from sammen.testing import BaseTestCase
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

# Pinned: a change here is a change in how the page reads the database, on purpose or not.
# Without a new rating the counts come from the cache: beside the session, the access
# (8 queries) and the header's two counts, the page reads the stages, the touchpoints,
# the segments, the plans and the linked activities.
FIGURES_PAGE_QUERIES = 15
# After a new rating: the waves, the ratings counted and the respondents counted, too.
FIGURES_PAGE_UNCACHED_QUERIES = FIGURES_PAGE_QUERIES + 3

GET_URLS = [
    "figures",
    "export_touchpoints",
    "export_ratings",
    "export_json",
    "export_curve",
    "export_mermaid",
]


class FiguresTestCase(BaseTestCase):
    journey: Journey
    touchpoints: list[Touchpoint]
    desk: Touchpoint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.journey = make_journey(
            cls.museum,
            cls.alice,
            ask_recommendation=True,
            segment_question="Is this your first visit?",
            segments=["First visit", "Regular"],
        )
        cls.touchpoints = touchpoints_of(cls.journey)
        cls.desk = cls.touchpoints[2]
        first, regular = Segment.objects.filter(journey=cls.journey).order_by("position")
        for number in range(12):
            person = rate_all(cls.journey, [6, 5, 2 if number % 2 else 3, 6, 5])
            do_answer_closing_questions(
                cls.journey,
                person,
                segment_id=(first if number % 3 else regular).pk,
                recommendation=number % 11,
            )
        cls.journey.refresh_from_db()

    def setUp(self) -> None:
        cache.clear()

    def url(self, name: str, *args: object) -> str:
        activity = self.journey.activity
        return reverse(f"journeys:{name}", args=[self.museum.slug, activity.slug, *args])


class PersonaTests(FiguresTestCase):
    def test_owners_and_moderators_read_the_figures_and_exports(self):
        for user in (self.alice, self.maja):
            self.login(user)
            for name in GET_URLS:
                with self.subTest(user=user.display_name, url=name):
                    self.assertEqual(self.client.get(self.url(name)).status_code, 200)

    def test_members_and_outsiders_are_refused(self):
        for user in (self.bob, self.charlie):
            self.login(user)
            for name in GET_URLS:
                with self.subTest(user=user.display_name, url=name):
                    self.assertEqual(self.client.get(self.url(name)).status_code, 403)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for name in GET_URLS:
            with self.subTest(name):
                response = self.client.get(self.url(name))
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])
        plan = do_add_plan(self.alice, self.desk, "gesture", "A smile")
        for name, args in self.post_urls(plan):
            with self.subTest(name):
                response = self.client.post(self.url(name, *args), self.valid_data(name))
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])
        self.assertTrue(Plan.objects.filter(pk=plan.pk).exists())

    def post_urls(self, plan: Plan) -> list[tuple[str, tuple[int, ...]]]:
        return [
            ("decide", (self.desk.pk,)),
            ("add_plan", (self.desk.pk,)),
            ("delete_plan", (self.desk.pk, plan.pk)),
            ("open_call", (self.desk.pk,)),
        ]

    def valid_data(self, name: str) -> dict[str, str]:
        return {
            "decide": {"service_choice": "keep_person", "decision": "A person stays."},
            "add_plan": {"kind": "gesture", "text": "A hand-written thank-you."},
            "delete_plan": {},
            "open_call": {"title": "How might we make the desk better?"},
        }[name]

    def test_members_may_change_nothing(self):
        plan = do_add_plan(self.alice, self.desk, "gesture", "A smile")
        self.login(self.bob)
        for name, args in self.post_urls(plan):
            with self.subTest(name):
                response = self.client.post(self.url(name, *args), self.valid_data(name))
                self.assertEqual(response.status_code, 403)
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.service_choice, "")
        self.assertEqual(Plan.objects.count(), 1)
        self.assertFalse(ActivityLink.objects.exists())

    def test_the_figures_are_read_with_get_only(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url("figures")).status_code, 405)

    def test_a_touchpoint_of_another_journey_is_not_found(self):
        other = make_journey(self.museum, self.alice, "Another visit")
        elsewhere = touchpoints_of(other)[0]
        self.login(self.alice)
        response = self.client.post(self.url("decide", elsewhere.pk), {"service_choice": ""})
        self.assertEqual(response.status_code, 404)


class PageTests(FiguresTestCase):
    def test_the_page_shows_the_curve_its_table_and_the_moments(self):
        self.login(self.alice)
        page = self.client.get(self.url("figures")).text
        self.assertIn('class="curve__svg"', page)
        self.assertEqual(page.count('class="curve__point'), 5)
        self.assertIn('tabindex="0"', page)
        self.assertIn("The welcome at the desk", page)
        self.assertIn("Low point", page)
        self.assertIn("Sharpest drop", page)
        self.assertIn("Net Promoter Score", page)
        self.assertIn("How might we make “The welcome at the desk” better?", page)
        self.assertIn("Curve and moments", page)

    def test_too_few_ratings_are_marked(self):
        journey = make_journey(self.museum, self.alice, "Few ratings")
        rate_all(journey, [5, 4, 3, 4, 5])
        self.login(self.alice)
        activity = journey.activity
        page = self.client.get(
            reverse("journeys:figures", args=[self.museum.slug, activity.slug])
        ).text
        self.assertIn("too few to say", page)
        self.assertIn("No moment stands out yet", page)

    def test_a_journey_without_ratings_shows_an_empty_curve(self):
        journey = make_journey(self.museum, self.alice, "Nothing yet", open_it=False)
        self.login(self.alice)
        activity = journey.activity
        response = self.client.get(
            reverse("journeys:figures", args=[self.museum.slug, activity.slug])
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("No ratings yet", response.text)
        self.assertIn("n 0", response.text)

    def test_two_segments_are_compared(self):
        self.login(self.alice)
        first, regular = Segment.objects.filter(journey=self.journey).order_by("position")
        page = self.client.get(
            self.url("figures"), {"compare": "segments", "a": str(first.pk), "b": str(regular.pk)}
        ).text
        self.assertIn("First visit: solid line, round points", page)
        self.assertIn("Regular: dashed line, square points", page)
        self.assertIn("The difference at each touchpoint", page)

    def test_two_segments_are_compared_by_default_when_none_is_named(self):
        self.login(self.alice)
        page = self.client.get(self.url("figures"), {"compare": "segments"}).text
        self.assertIn("The difference at each touchpoint", page)

    def test_two_waves_are_compared(self):
        do_start_wave(self.alice, self.journey, label="After the new desk")
        for _ in range(3):
            rate_all(self.journey, [6, 5, 6, 6, 5])
        self.journey.refresh_from_db()
        self.login(self.alice)
        page = self.client.get(self.url("figures"), {"compare": "waves"}).text
        self.assertIn("After the new desk: dashed line, square points", page)
        self.assertIn("Yes: it excludes zero", page)
        earlier = self.client.get(self.url("figures"), {"wave": "1"}).text
        self.assertIn('<option value="1" selected>', earlier)

    def test_odd_parameters_are_ignored_with_a_note(self):
        self.login(self.alice)
        first = Segment.objects.filter(journey=self.journey).first()
        assert first is not None
        odd: list[tuple[dict[str, Any], str]] = [
            ({"wave": "9"}, "That wave does not exist"),
            ({"wave": "-1"}, "That wave does not exist"),
            ({"wave": "٣"}, "That wave does not exist"),
            ({"wave": "1" * 400}, "That wave does not exist"),
            ({"compare": "segments", "a": "x", "b": "2"}, "Choose two different segments"),
            ({"compare": "segments", "a": first.pk, "b": first.pk}, "two different segments"),
            ({"compare": "segments", "a": "99999999999999999999"}, "two different segments"),
            ({"compare": "waves"}, "Choose two different waves"),
            ({"compare": "waves", "a": "1", "b": "1"}, "Choose two different waves"),
            ({"compare": "everything"}, "Choose segments or waves"),
            ({"compare": "segments", "a": "\x00"}, "two different segments"),
        ]
        for params, note in odd:
            with self.subTest(params):
                response = self.client.get(self.url("figures"), params)
                self.assertEqual(response.status_code, 200)
                self.assertIn(note, response.text)
                self.assertIn('class="curve__svg"', response.text)

    def test_exports_take_odd_waves_as_the_default(self):
        self.login(self.alice)
        for wave in ("0", "x", "99"):
            with self.subTest(wave):
                response = self.client.get(self.url("export_json"), {"wave": wave})
                self.assertEqual(response.status_code, 200)

    def test_the_draft_answer_lists_the_decisions_at_the_moments_that_matter(self):
        self.login(self.alice)
        self.client.post(
            self.url("decide", self.desk.pk),
            {"service_choice": "keep_person", "decision": "Two people at the desk on Sundays"},
        )
        page = self.client.get(self.url("figures")).text
        self.assertIn(
            "- The welcome at the desk (Low point, Sharpest drop): Keep a person. Two people at "
            "the desk on Sundays.",
            page,
        )
        self.assertIn(reverse("activities:answer", args=[self.museum.slug, "a-museum-visit"]), page)


class DecisionTests(FiguresTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def test_a_decision_is_saved_and_audited(self):
        response = self.client.post(
            self.url("decide", self.desk.pk),
            {"service_choice": "automate_with_handover", "decision": "  A kiosk, and a bell.  "},
        )
        self.assertRedirects(
            response, f"{self.url('figures')}#touchpoint-{self.desk.pk}", target_status_code=200
        )
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.service_choice, "automate_with_handover")
        self.assertEqual(self.desk.decision, "A kiosk, and a bell.")
        self.assertTrue(AuditEntry.objects.filter(action="touchpoint.decided").exists())

    def test_a_bad_decision_changes_nothing_and_says_why(self):
        for data in (
            {"service_choice": "sorcery"},
            {"service_choice": "automate", "decision": "x" * 1001},
            {"service_choice": "automate", "decision": "bad \x07 bell"},
        ):
            with self.subTest(data):
                response = self.client.post(self.url("decide", self.desk.pk), data, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(list(response.context["messages"])), 1)
        self.desk.refresh_from_db()
        self.assertEqual((self.desk.service_choice, self.desk.decision), ("", ""))

    def test_plans_are_added_and_deleted(self):
        self.client.post(
            self.url("add_plan", self.desk.pk), {"kind": "gesture", "text": "A thank-you card"}
        )
        plan = Plan.objects.get()
        self.assertEqual(
            (plan.kind, plan.text, plan.touchpoint), ("gesture", "A thank-you card", self.desk)
        )
        page = self.client.get(self.url("figures")).text
        self.assertIn("A thank-you card", page)
        self.client.post(self.url("delete_plan", self.desk.pk, plan.pk))
        self.assertFalse(Plan.objects.exists())
        self.assertEqual(
            AuditEntry.objects.filter(
                action__in=["touchpoint.planned", "touchpoint.unplanned"]
            ).count(),
            2,
        )

    def test_bad_plans_are_refused(self):
        for data in (
            {"kind": "wish", "text": "A cake"},
            {"kind": "gesture", "text": ""},
            {"kind": "gesture", "text": "   "},
            {"kind": "improvement", "text": "x" * 501},
        ):
            with self.subTest(data):
                response = self.client.post(self.url("add_plan", self.desk.pk), data, follow=True)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Plan.objects.exists())

    def test_a_touchpoint_holds_at_most_twenty_plans(self):
        for number in range(MAX_PLANS_PER_TOUCHPOINT):
            do_add_plan(self.alice, self.desk, "improvement", f"Plan {number}")
        response = self.client.post(
            self.url("add_plan", self.desk.pk), {"kind": "gesture", "text": "One more"}, follow=True
        )
        self.assertIn("at most 20 plans", response.text)
        self.assertEqual(Plan.objects.count(), MAX_PLANS_PER_TOUCHPOINT)

    def test_a_plan_is_deleted_only_through_its_own_touchpoint(self):
        plan = do_add_plan(self.alice, self.desk, "gesture", "A smile")
        response = self.client.post(self.url("delete_plan", self.touchpoints[0].pk, plan.pk))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Plan.objects.filter(pk=plan.pk).exists())


class OpenCallTests(FiguresTestCase):
    def test_an_open_call_is_opened_from_a_touchpoint_and_linked_both_ways(self):
        self.login(self.alice)
        response = self.client.post(
            self.url("open_call", self.desk.pk), {"title": "How might we make arrival better?"}
        )
        call = Activity.objects.get(kind="call")
        self.assertRedirects(
            response,
            reverse("activities:brief", args=[self.museum.slug, call.slug]),
            fetch_redirect_response=False,
        )
        self.assertEqual(call.phase, Phase.DRAFT)
        self.assertIn("The welcome at the desk", call.summary)
        link = ActivityLink.objects.get()
        self.assertEqual((link.source, link.target), (self.journey.activity, call))
        self.assertEqual(link.anchor, f"touchpoint:{self.desk.pk}")
        self.assertEqual(link.anchor_label, "The welcome at the desk")
        figures = self.client.get(self.url("figures")).text
        self.assertIn("Open calls from this journey", figures)
        self.assertIn(call.get_absolute_url(), figures)
        call_page = self.client.get(call.get_absolute_url()).text
        self.assertIn("Opened from:", call_page)
        self.assertIn(self.journey.activity.get_absolute_url(), call_page)

    def test_without_open_calls_on_the_site_none_is_offered_or_opened(self):
        self.login(self.alice)
        with mock.patch("sammen.journeys.actions.decisions.get_kind", return_value=None):
            self.assertNotIn("Open a call from here", self.client.get(self.url("figures")).text)
            response = self.client.post(
                self.url("open_call", self.desk.pk), {"title": "How might we?"}, follow=True
            )
        self.assertContains(response, "Open calls are not available on this site.")
        self.assertFalse(Activity.objects.filter(kind="call").exists())

    def test_a_bad_title_opens_nothing(self):
        self.login(self.alice)
        for title in ("", "x" * 121, "a\x00b"):
            with self.subTest(title):
                self.client.post(self.url("open_call", self.desk.pk), {"title": title})
        self.assertFalse(Activity.objects.filter(kind="call").exists())


class QueryCountTests(FiguresTestCase):
    def count(self, url: str, **params: Any) -> int:
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url, params).status_code, 200)
        return len(context.captured_queries)

    def grow(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for number in range(10):
                rate_all(self.journey, [number % 7 + 1] * 5)
        for touchpoint in self.touchpoints:
            do_add_plan(self.alice, touchpoint, "gesture", "A card")
        self.journey.refresh_from_db()

    def test_the_page_is_constant_in_ratings_and_reads_the_cache_without_a_new_one(self):
        self.login(self.alice)
        url = self.url("figures")
        uncached = self.count(url)
        cached = self.count(url)
        self.assertEqual((uncached, cached), (FIGURES_PAGE_UNCACHED_QUERIES, FIGURES_PAGE_QUERIES))
        self.grow()
        self.assertEqual(self.count(url), FIGURES_PAGE_UNCACHED_QUERIES)
        self.assertEqual(self.count(url), FIGURES_PAGE_QUERIES)

    def test_comparing_segments_counts_them_once(self):
        self.login(self.alice)
        url = self.url("figures")
        self.count(url)
        first = self.count(url, compare="segments")
        self.assertEqual(first, FIGURES_PAGE_QUERIES + 1)
        self.assertEqual(self.count(url, compare="segments"), FIGURES_PAGE_QUERIES)


def test_touchpoints_keep_their_decision_fields():
    assert {"service_choice", "decision"} <= {field.name for field in Touchpoint._meta.fields}
