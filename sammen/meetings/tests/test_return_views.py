"""The return page, the business figures form and the exports: every URL for every
persona, what the page says, bad input (a clear message, nothing changed), and the
query count."""

import json
from decimal import Decimal

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.audit.models import AuditEntry
from sammen.meetings.actions import Estimate, FollowUpInput, do_answer_follow_up
from sammen.meetings.models import FollowUp, Level, Meeting, Objective
from sammen.testing import BaseTestCase
from sammen.testing.meetings import make_meeting, register

from .return_world import HandMeeting, hand_meeting

LEVELS = ("inputs", "reaction", "learning", "application", "impact", "roi")


def url(meeting, name: str, *args) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


def figures_of(objective: Objective) -> tuple:
    objective.refresh_from_db()
    return (objective.value_before, objective.value_after, objective.value_per_unit)


class ReturnPagesTestCase(BaseTestCase):
    world: HandMeeting
    meeting: Meeting

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = hand_meeting(cls.museum, cls.alice, cls.bob, cls.charlie)
        cls.meeting = cls.world.meeting

    def setUp(self):
        self.login(self.alice)

    def pages(self) -> list[tuple[str, str, dict]]:
        impact = url(self.meeting, "record_impact", self.world.impact.pk)
        form = {f"impact-{self.world.impact.pk}-before": "100"}
        return [
            ("get", url(self.meeting, "return"), {}),
            ("get", impact, {}),
            ("post", impact, form),
            ("get", url(self.meeting, "return_csv"), {}),
            ("get", url(self.meeting, "return_json"), {}),
        ]


class PersonaTests(ReturnPagesTestCase):
    def test_the_owner_and_moderators_read_the_return_and_enter_figures(self):
        for user in (self.alice, self.maja):
            self.login(user)
            for method, page, data in self.pages():
                with self.subTest(user=str(user), page=page, method=method):
                    response = getattr(self.client, method)(page, data)
                    self.assertEqual(response.status_code, 302 if method == "post" else 200)

    def test_members_and_people_without_a_role_are_refused_and_change_nothing(self):
        before = figures_of(self.world.impact)
        for user in (self.bob, self.charlie):
            self.login(user)
            for method, page, data in self.pages():
                with self.subTest(user=str(user), page=page, method=method):
                    self.assertEqual(getattr(self.client, method)(page, data).status_code, 403)
        self.assertEqual(figures_of(self.world.impact), before)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        self.login(None)
        for method, page, data in self.pages():
            with self.subTest(page=page, method=method):
                response = getattr(self.client, method)(page, data)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])

    def test_the_report_and_exports_refuse_a_post(self):
        for name in ("return", "return_csv", "return_json"):
            self.assertEqual(self.client.post(url(self.meeting, name)).status_code, 405)

    def test_the_tabs_lead_to_the_return(self):
        response = self.client.get(url(self.meeting, "settings"))
        self.assertContains(response, f'href="{url(self.meeting, "return")}"')


class ReturnPageTests(ReturnPagesTestCase):
    def test_it_shows_every_level_with_its_figure_target_and_interval(self):
        response = self.client.get(url(self.meeting, "return"))
        for text in (
            "0. Inputs",
            "5. Return on investment",
            "4.25",  # the mean rating
            "3.70 to 4.80",  # its interval
            "+0.80",  # the learning gain
            "80%",  # applied
            "900\xa0EUR",  # the benefits
            "50%",  # the ROI
            "12% to 88%",  # its interval
            "1.12 to 1.88",  # the benefit-cost ratio's
            "Partners trust us more",  # intangible, listed
            "86% of those registered came",
            "not met",  # learning: +0.80 against +1.00
            "<svg",
            "After 90 days",
        ):
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertNotContains(response, "@example.org")
        self.assertNotContains(response, "Guest3")

    def test_it_says_which_rounds_estimates_the_share_rests_on(self):
        response = self.client.get(url(self.meeting, "return"))
        self.assertContains(
            response,
            "Each attendee counts once, with their latest estimate (one given in a later "
            "follow-up replaces their earlier one): 10 estimates from the follow-up after 30 "
            "days.",
        )
        impact = self.world.impact
        for registration in self.world.registrations[4:6]:
            do_answer_follow_up(
                FollowUp.objects.get(registration=registration, days=90),
                FollowUpInput("yes", "often", estimates={impact.pk: Estimate(100, 100)}),
            )
        response = self.client.get(url(self.meeting, "return"))
        self.assertContains(
            response,
            "8 estimates from the follow-up after 30 days and 2 estimates from the follow-up "
            "after 90 days.",
        )

    def test_a_level_with_too_few_answers_says_so_instead_of_a_number(self):
        meeting = make_meeting(self.museum, self.alice, "Small talk")
        register(meeting, "Rosa")
        response = self.client.get(url(meeting, "return"))
        self.assertContains(response, "Not measured yet")
        self.assertContains(response, "No costs entered yet: without costs there is no return")
        hand = self.client.get(url(self.meeting, "return"))
        # The panel has three ratings: its mean is not shown, only that they are too few.
        self.assertContains(hand, "Too few answers")
        self.assertNotContains(hand, "2.00 to 2.00")

    def test_it_offers_the_draft_of_the_answer_once_the_meeting_is_closed(self):
        from sammen.activities.actions import do_close_activity

        response = self.client.get(url(self.meeting, "return"))
        self.assertContains(response, "Close the meeting first")
        self.assertContains(response, "What we learned from “Partner day”:")
        do_close_activity(self.alice, self.meeting.activity)
        response = self.client.get(url(self.meeting, "return"))
        answer = reverse("activities:answer", args=[self.museum.slug, self.meeting.activity.slug])
        self.assertContains(response, f'action="{answer}"')
        self.assertContains(response, "Draft the answer</button>")
        # The panel has too few ratings to be called the lowest.
        self.assertNotContains(response, "was rated lowest")
        draft = self.client.get(answer, {"draft": "What we learned: a lot."})
        self.assertContains(draft, "What we learned: a lot.")

    def test_the_page_takes_a_fixed_number_of_queries(self):
        self.client.get(url(self.meeting, "return"))
        with self.assertNumQueries(26):
            self.client.get(url(self.meeting, "return"))


class ImpactFormTests(ReturnPagesTestCase):
    def field(self, name: str) -> str:
        return f"impact-{self.world.impact.pk}-{name}"

    def post(self, **values: str):
        data = {self.field(key): value for key, value in values.items()}
        return self.client.post(url(self.meeting, "record_impact", self.world.impact.pk), data)

    def test_the_planner_enters_the_business_figures_and_the_audit_log_says_so(self):
        response = self.post(before="1000.50", after="2000", per_unit="12.50")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith(f"#impact-{self.world.impact.pk}"))
        self.assertEqual(
            figures_of(self.world.impact), (Decimal("1000.50"), Decimal(2000), Decimal("12.50"))
        )
        self.assertTrue(
            AuditEntry.objects.filter(action="meeting.impact", space=self.museum).exists()
        )

    def test_figures_may_wait_and_then_the_measure_is_not_money_yet(self):
        self.assertEqual(self.post(before="100", after="", per_unit="").status_code, 302)
        self.assertEqual(figures_of(self.world.impact), (Decimal(100), None, None))
        response = self.client.get(url(self.meeting, "return"))
        self.assertContains(response, "Enter the business figures to turn this measure into money")
        self.assertContains(response, "No business figure has been turned into money yet.")

    def test_bad_figures_are_refused_with_a_message_and_change_nothing(self):
        before = figures_of(self.world.impact)
        cases = [
            ({"per_unit": "-5"}, "What one unit is worth cannot be negative"),
            ({"per_unit": "abc"}, "Enter a number."),
            ({"before": "1" * 30}, "Ensure that there are no more than"),
            ({"after": "99999999999"}, "less than or equal to"),
            ({"before": "1.234"}, "Ensure that there are no more than 2 decimal places."),
            ({"after": "NaN"}, "Enter a number."),
            ({"after": "Infinity"}, "Enter a number."),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                response = self.post(**{"before": "1", "after": "2", "per_unit": "3", **values})
                self.assertContains(response, message, status_code=200)
        self.assertEqual(figures_of(self.world.impact), before)

    def test_only_an_impact_objective_of_this_meeting_has_figures(self):
        other = make_meeting(self.museum, self.alice, "Another day").objectives.get()
        for objective in (self.world.learning, other):
            response = self.client.post(url(self.meeting, "record_impact", objective.pk))
            self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.get(url(self.meeting, "record_impact", 99999)).status_code, 404
        )


class ImpactFormFuzzTests(HypothesisTestCase):
    owner: User
    meeting: Meeting
    objective: Objective

    @classmethod
    def setUpTestData(cls):
        from sammen.testing import make_space, make_user

        cls.owner = make_user("Olga")
        space = make_space(cls.owner, "Harbour Museum")
        cls.meeting = make_meeting(space, cls.owner)
        cls.objective = cls.meeting.objectives.get()
        cls.objective.level = Level.IMPACT
        cls.objective.save(update_fields=["level"])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(max_size=40), st.sampled_from(["before", "after", "per_unit"]))
    def test_whatever_is_typed_gets_an_answer_and_never_a_server_error(self, text, field):
        self.client.force_login(self.owner)
        page = url(self.meeting, "record_impact", self.objective.pk)
        response = self.client.post(page, {f"impact-{self.objective.pk}-{field}": text})
        self.assertIn(response.status_code, {200, 302})
        self.objective.refresh_from_db()
        for value in (
            self.objective.value_before,
            self.objective.value_after,
            self.objective.value_per_unit,
        ):
            self.assertTrue(value is None or abs(value) <= Decimal(10**10))
        self.assertTrue(self.objective.value_per_unit is None or self.objective.value_per_unit >= 0)


class ExportTests(ReturnPagesTestCase):
    def test_the_csv_holds_the_chain_and_every_levels_figures_without_personal_data(self):
        response = self.client.get(url(self.meeting, "return_csv"))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"], r'filename="partner-day-return-\d{4}-\d\d-\d\d\.csv"'
        )
        text = response.content.decode("utf-8-sig")
        lines = text.splitlines()
        self.assertEqual(
            lines[0],
            "level_number,level,item,figure,unit,value,low,high,n,response_rate,target,"
            "target_met,reason",
        )
        self.assertIn("5,roi,,headline,percent,50.0,12.2974,87.7026,10,,25.0,1,", lines)
        self.assertIn("1,reaction,The partners' panel,ratings,,3,,,,,,,", lines)
        self.assertIn("4,impact,More programme bookings,estimates_after_30_days,,10,,,,,,,", lines)
        for private in ("example.org", "Guest", "Bob", "Run a workshop", "manager"):
            self.assertNotIn(private, text)

    def test_the_json_holds_the_chain_roi_and_levels_without_personal_data(self):
        response = self.client.get(url(self.meeting, "return_json"))
        data = json.loads(response.content)
        self.assertEqual([level["key"] for level in data["chain"]], list(LEVELS))
        self.assertEqual(data["chain"][5]["figure"], 50.0)
        self.assertEqual(data["roi"]["ratio"], 1.5)
        self.assertEqual(data["roi"]["intangibles"], ["Partners trust us more"])
        self.assertEqual(data["turnout"]["no_shows"], 2)
        self.assertEqual(data["follow_ups"][0]["frequencies"]["often"], 6)
        self.assertEqual(data["impacts"][0]["benefit"]["value"], 900.0)
        self.assertEqual(data["impacts"][0]["estimates_by_round"], [{"days": 30, "estimates": 10}])
        self.assertEqual(data["learning"][0]["pairs"], 10)
        for private in ("example.org", "Guest", "Bob", "Run a workshop", "manager"):
            self.assertNotIn(private, response.content.decode())
