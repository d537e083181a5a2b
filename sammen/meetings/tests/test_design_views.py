"""The planner's design pages: every URL for every persona, what each page shows, and
bad input on every form (a clear message, nothing changed)."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.meetings.actions import do_add_intangible, do_check_in
from sammen.meetings.models import (
    MAX_AMOUNT,
    MAX_COST_LINES,
    CostLine,
    Format,
    Intangible,
    Level,
    Meeting,
    Objective,
    Session,
)
from sammen.testing import BaseTestCase
from sammen.testing.meetings import make_meeting, register

from .design_world import add_cost, add_objective, add_session, at, bare_meeting


def url(meeting, name: str, *args) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


def session_form(**changes: object) -> dict[str, object]:
    data = {
        "title": "World café",
        "starts_at": "2027-05-01T13:00",
        "ends_at": "2027-05-01T14:30",
        "format": "world_cafe",
        "audience_minutes": "60",
        "room": "Loft",
        "online_url": "",
        "speaker": "Ida Berg",
    }
    return {**data, **changes}


def objective_form(**changes) -> dict[str, object]:
    data = {
        "level": "application",
        "text": "Partners run a co-created exhibition within a year",
        "measure": "Share of partners who did",
        "target": "40",
        "how_measured": "Follow-up after 90 days",
    }
    return {**data, **changes}


class DesignPagesTestCase(BaseTestCase):
    def setUp(self):
        self.meeting = make_meeting(self.museum, self.alice)  # open, one objective, one session
        self.objective = self.meeting.objectives.get()
        self.session = self.meeting.sessions.get()
        self.cost = add_cost(self.alice, self.meeting, "venue", "1200", "The hall")
        self.intangible = do_add_intangible(self.alice, self.meeting, "Partners trust us more")
        self.client.force_login(self.alice)


class PersonasTests(DesignPagesTestCase):
    def pages(self):
        """Every design URL: (method, url, data)."""
        m = self.meeting
        return [
            ("get", url(m, "objectives"), {}),
            ("post", url(m, "objectives"), objective_form()),
            ("get", url(m, "edit_objective", self.objective.pk), {}),
            ("post", url(m, "edit_objective", self.objective.pk), objective_form()),
            ("post", url(m, "change_objective", self.objective.pk), {"step": "down"}),
            ("get", url(m, "programme"), {}),
            ("post", url(m, "programme"), session_form()),
            ("get", url(m, "edit_session", self.session.pk), {}),
            ("post", url(m, "edit_session", self.session.pk), session_form()),
            ("post", url(m, "delete_session", self.session.pk), {}),
            ("get", url(m, "costs"), {}),
            ("post", url(m, "costs"), {"category": "travel", "amount": "80"}),
            ("get", url(m, "edit_cost", self.cost.pk), {}),
            ("post", url(m, "edit_cost", self.cost.pk), {"category": "venue", "amount": "1"}),
            ("post", url(m, "delete_cost", self.cost.pk), {}),
            ("post", url(m, "add_intangible"), {"text": "A network"}),
            ("post", url(m, "delete_intangible", self.intangible.pk), {}),
        ]

    def fingerprint(self):
        return (
            list(Objective.objects.values_list("pk", "text", "position")),
            list(Session.objects.values_list("pk", "title")),
            list(CostLine.objects.values_list("pk", "amount")),
            list(Intangible.objects.values_list("pk", "text")),
        )

    def test_members_and_people_without_a_role_are_refused_and_change_nothing(self):
        before = self.fingerprint()
        for user in (self.bob, self.charlie):
            self.login(user)
            for method, page, data in self.pages():
                with self.subTest(user=user.display_name, page=page, method=method):
                    response = getattr(self.client, method)(page, data)
                    self.assertEqual(response.status_code, 403)
        self.assertEqual(self.fingerprint(), before)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        self.login(None)
        for method, page, data in self.pages():
            with self.subTest(page=page, method=method):
                response = getattr(self.client, method)(page, data)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])

    def test_the_owner_and_moderators_use_every_page(self):
        for user in (self.alice, self.maja):
            self.login(user)
            for method, page, data in self.pages():
                if page.endswith("/delete/"):
                    continue  # deleting is checked below, once
                with self.subTest(user=user.display_name, page=page, method=method):
                    response = getattr(self.client, method)(page, data)
                    self.assertIn(response.status_code, {200, 302}, response.content[:300])
                    if method == "post":
                        self.assertEqual(response.status_code, 302, response.content[-2000:])

    def test_a_moderator_deletes_a_session_a_cost_and_a_benefit(self):
        self.login(self.maja)
        m = self.meeting
        for page in (
            url(m, "delete_session", self.session.pk),
            url(m, "delete_cost", self.cost.pk),
            url(m, "delete_intangible", self.intangible.pk),
        ):
            self.assertEqual(self.client.post(page).status_code, 302)
        self.assertFalse(Session.objects.filter(meeting=m).exists())
        self.assertFalse(CostLine.objects.filter(meeting=m).exists())
        self.assertFalse(Intangible.objects.filter(meeting=m).exists())

    def test_pages_that_only_show_refuse_a_post_and_forms_refuse_a_put(self):
        self.assertEqual(self.client.post(url(self.meeting, "meeting_ics")).status_code, 405)
        self.assertEqual(self.client.put(url(self.meeting, "programme")).status_code, 405)
        self.assertEqual(self.client.get(url(self.meeting, "add_intangible")).status_code, 405)

    def test_members_download_the_calendar_files_of_an_open_meeting(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(url(self.meeting, "meeting_ics")).status_code, 200)
        ics = url(self.meeting, "session_ics", self.session.pk)
        self.assertEqual(self.client.get(ics).status_code, 200)

    def test_the_tabs_lead_to_every_design_page(self):
        response = self.client.get(url(self.meeting, "settings"))
        for name in ("objectives", "programme", "costs"):
            self.assertContains(response, f'href="{url(self.meeting, name)}"')


class ObjectivesPageTests(DesignPagesTestCase):
    def test_each_objective_shows_its_level_measurement_and_warnings(self):
        add_objective(
            self.alice, self.meeting, "Partners feel welcome", Level.REACTION, measured=False
        )
        response = self.client.get(url(self.meeting, "objectives"))
        self.assertContains(response, "Partners know how to co-create an exhibition")
        self.assertContains(response, "Self-assessment before and after")
        self.assertContains(response, "Reaction")
        self.assertContains(response, "“Partners feel welcome” has no measurement yet")
        self.assertContains(response, "No session serves “Partners feel welcome”")

    def test_the_owner_adds_an_objective_with_its_measurement(self):
        response = self.client.post(url(self.meeting, "objectives"), objective_form(), follow=True)
        self.assertContains(response, "The objective is added.")
        added = Objective.objects.get(meeting=self.meeting, level="application")
        self.assertEqual(added.target, Decimal(40))
        self.assertEqual(added.position, 1)

    def test_a_bad_objective_is_refused_with_a_message(self):
        cases = [
            ({"text": ""}, "This field is required."),
            ({"text": "x" * 301}, "at most 300 characters"),
            ({"level": "wisdom"}, "Select a valid choice."),
            ({"target": "abc"}, "Enter a number."),
            ({"target": "1" * 20}, "less than or equal to"),
            ({"measure": "line\nbreak"}, "Keep this on one line."),
        ]
        for changes, message in cases:
            with self.subTest(changes=changes):
                response = self.client.post(
                    url(self.meeting, "objectives"), objective_form(**changes)
                )
                self.assertContains(response, message, status_code=200)
        self.assertEqual(self.meeting.objectives.count(), 1)

    def test_the_owner_edits_moves_and_deletes_an_objective(self):
        second = add_objective(self.alice, self.meeting, "Second")
        page = url(self.meeting, "edit_objective", second.pk)
        self.assertContains(self.client.get(page), 'value="Second"')
        self.client.post(page, objective_form(text="Second, sharper"))
        second.refresh_from_db()
        self.assertEqual(second.text, "Second, sharper")
        self.client.post(url(self.meeting, "change_objective", second.pk), {"step": "up"})
        self.assertEqual(self.meeting.objectives.first(), second)
        response = self.client.post(
            url(self.meeting, "change_objective", second.pk), {"step": "sideways"}, follow=True
        )
        self.assertContains(response, "Choose what to do with the objective.")
        self.client.post(url(self.meeting, "change_objective", second.pk), {"step": "delete"})
        self.assertFalse(Objective.objects.filter(pk=second.pk).exists())

    def test_an_objective_of_another_meeting_is_not_found(self):
        other = bare_meeting(self.museum, self.alice, "Another day")
        theirs = add_objective(self.alice, other, "Theirs")
        for name in ("edit_objective", "change_objective"):
            with self.subTest(name=name):
                response = self.client.post(url(self.meeting, name, theirs.pk), {"step": "delete"})
                self.assertEqual(response.status_code, 404)
        self.assertTrue(Objective.objects.filter(pk=theirs.pk).exists())

    def test_past_the_limit_the_form_gives_way_to_a_note(self):
        from sammen.meetings.models import MAX_OBJECTIVES

        for number in range(MAX_OBJECTIVES - 1):
            add_objective(self.alice, self.meeting, f"Objective {number}")
        response = self.client.get(url(self.meeting, "objectives"))
        self.assertContains(response, f"A meeting holds at most {MAX_OBJECTIVES} objectives.")
        response = self.client.post(url(self.meeting, "objectives"), objective_form())
        self.assertContains(response, f"at most {MAX_OBJECTIVES} objectives")
        self.assertEqual(self.meeting.objectives.count(), MAX_OBJECTIVES)


class ProgrammePageTests(DesignPagesTestCase):
    def test_the_sessions_show_in_time_order_with_what_they_serve(self):
        later = self.session.starts_at + timedelta(hours=3)
        add_session(self.alice, self.meeting, "Closing circle", later, format=Format.FISHBOWL)
        add_session(
            self.alice, self.meeting, "Welcome coffee", self.session.starts_at - timedelta(hours=1)
        )
        response = self.client.get(url(self.meeting, "programme"))
        text = response.content.decode()
        self.assertLess(text.index("Welcome coffee"), text.index("Co-creating an exhibition"))
        self.assertLess(text.index("Co-creating an exhibition"), text.index("Closing circle"))
        self.assertContains(response, "Serves no objective yet.")
        self.assertContains(response, url(self.meeting, "session_ics", self.session.pk))
        self.assertContains(response, url(self.meeting, "meeting_ics"))

    def test_the_warnings_are_at_the_top_in_words(self):
        add_objective(self.alice, self.meeting, "Partners apply it", Level.APPLICATION)
        response = self.client.get(url(self.meeting, "programme"))
        self.assertContains(response, "No session serves “Partners apply it”")
        text = response.content.decode()
        self.assertLess(text.index("No session serves"), text.index("Co-creating an exhibition"))

    def test_the_owner_adds_a_session_that_serves_objectives(self):
        response = self.client.post(
            url(self.meeting, "programme"), session_form(objectives=[self.objective.pk])
        )
        self.assertEqual(response.status_code, 302)
        added = Session.objects.get(title="World café")
        self.assertEqual(list(added.objectives.all()), [self.objective])
        self.assertEqual(added.minutes, 90)
        self.assertEqual(added.starts_at, at(13))

    def test_a_bad_session_is_refused_with_a_message(self):
        other = bare_meeting(self.museum, self.alice, "Another day")
        theirs = add_objective(self.alice, other, "Theirs")
        cases: list[tuple[dict[str, object], str]] = [
            ({"title": " "}, "This field is required."),
            ({"ends_at": "2027-05-01T12:00"}, "The session must end after it starts."),
            ({"ends_at": "2027-05-01T13:00"}, "The session must end after it starts."),
            ({"starts_at": "soon"}, "Enter a valid date/time."),
            ({"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00"}, "between"),
            ({"starts_at": "9999-12-31T22:00", "ends_at": "9999-12-31T23:59"}, "between"),
            ({"ends_at": "2027-05-03T13:00"}, "A session lasts at most a day"),
            ({"audience_minutes": "100"}, "from 0 to 90 minutes"),
            ({"audience_minutes": "-5"}, "greater than or equal to 0"),
            ({"format": "lecture"}, "Select a valid choice."),
            ({"online_url": "javascript:alert(1)"}, "Enter a valid URL."),
            ({"objectives": [theirs.pk]}, "Select a valid choice."),
            ({"objectives": ["9" * 30]}, "is not a valid value"),
            ({"objectives": [self.objective.pk, theirs.pk]}, "Select a valid choice."),
        ]
        for changes, message in cases:
            with self.subTest(changes=changes):
                response = self.client.post(url(self.meeting, "programme"), session_form(**changes))
                self.assertContains(response, message, status_code=200)
        self.assertEqual(list(self.meeting.sessions.all()), [self.session])

    def test_the_owner_edits_a_session_and_its_objectives(self):
        page = url(self.meeting, "edit_session", self.session.pk)
        response = self.client.get(page)
        local = timezone.localtime(self.session.starts_at)
        self.assertContains(response, f'value="{local:%Y-%m-%dT%H:%M}"')
        self.assertContains(response, "checked")
        self.client.post(page, session_form(title="Co-creating, hands on"))
        self.session.refresh_from_db()
        self.assertEqual(self.session.title, "Co-creating, hands on")
        self.assertEqual(list(self.session.objectives.all()), [])

    def test_a_session_of_another_meeting_is_not_found(self):
        other = bare_meeting(self.museum, self.alice, "Another day")
        theirs = add_session(self.alice, other)
        for name in ("edit_session", "delete_session"):
            with self.subTest(name=name):
                response = self.client.post(url(self.meeting, name, theirs.pk), session_form())
                self.assertEqual(response.status_code, 404)
        self.assertTrue(Session.objects.filter(pk=theirs.pk, title="Co-creating an exhibition"))

    def test_a_rated_session_is_not_deleted_and_says_why(self):
        from sammen.meetings.models import SessionRating

        SessionRating.objects.create(
            session=self.session, registration=register(self.meeting), score=5
        )
        response = self.client.post(
            url(self.meeting, "delete_session", self.session.pk), follow=True
        )
        self.assertContains(response, "Attendees have rated this session, so it stays.")
        self.assertTrue(Session.objects.filter(pk=self.session.pk).exists())


class CostsPageTests(DesignPagesTestCase):
    def test_costs_show_by_category_with_totals_and_per_attendee(self):
        add_cost(self.alice, self.meeting, "catering", "450.50", "Lunch")
        add_cost(self.alice, self.meeting, "catering", "149.50", "Coffee")
        for name in ("Ana", "Ben", "Cas", "Dia"):
            register(self.meeting, name)
        response = self.client.get(url(self.meeting, "costs"))
        self.assertContains(response, "1,800.00")  # the total
        self.assertContains(response, "600.00")  # catering
        self.assertContains(response, "450.00")  # per registered attendee: 1800 / 4
        self.assertContains(response, "per registered attendee (4 registered)")
        self.assertNotContains(response, "per attendee who came")
        self.assertContains(response, "Partners trust us more")

    def test_once_people_check_in_the_cost_per_attendee_who_came_shows(self):
        ana, _ben, _cas = (register(self.meeting, name) for name in ("Ana", "Ben", "Cas"))
        do_check_in(self.alice, ana)
        response = self.client.get(url(self.meeting, "costs"))
        self.assertContains(response, "400.00")  # 1200 / 3 registered
        self.assertContains(response, "per attendee who came (1 checked in)")

    def test_the_owner_adds_edits_and_deletes_a_cost(self):
        response = self.client.post(
            url(self.meeting, "costs"),
            {"category": "travel", "description": "Trains", "amount": "80.5"},
        )
        line = CostLine.objects.get(category="travel")
        self.assertRedirects(response, url(self.meeting, "costs") + f"#cost-{line.pk}")
        self.assertEqual(line.amount, Decimal("80.50"))
        self.client.post(
            url(self.meeting, "edit_cost", line.pk), {"category": "travel", "amount": "95"}
        )
        line.refresh_from_db()
        self.assertEqual(line.amount, Decimal(95))
        self.client.post(url(self.meeting, "delete_cost", line.pk))
        self.assertFalse(CostLine.objects.filter(pk=line.pk).exists())

    def test_a_bad_amount_is_refused_with_a_message_and_changes_nothing(self):
        cases = [
            ("-1", "greater than or equal to 0"),
            (str(MAX_AMOUNT + 1), "less than or equal to"),
            ("9" * 30, "less than or equal to"),
            ("abc", "Enter a number."),
            ("12.345", "no more than 2 decimal places"),
            ("NaN", "Enter a number."),
            ("", "This field is required."),
        ]
        for amount, message in cases:
            with self.subTest(amount=amount):
                response = self.client.post(
                    url(self.meeting, "costs"), {"category": "venue", "amount": amount}
                )
                self.assertContains(response, message, status_code=200)
                response = self.client.post(
                    url(self.meeting, "edit_cost", self.cost.pk),
                    {"category": "venue", "amount": amount},
                )
                self.assertContains(response, message, status_code=200)
        self.assertEqual(list(CostLine.objects.values_list("amount", flat=True)), [Decimal(1200)])

    def test_a_cost_of_another_meeting_is_not_found(self):
        other = bare_meeting(self.museum, self.alice, "Another day")
        theirs = add_cost(self.alice, other, "venue", "10")
        benefit = do_add_intangible(self.alice, other, "Theirs")
        for page in (
            url(self.meeting, "edit_cost", theirs.pk),
            url(self.meeting, "delete_cost", theirs.pk),
            url(self.meeting, "delete_intangible", benefit.pk),
        ):
            with self.subTest(page=page):
                self.assertEqual(self.client.post(page, {"amount": "1"}).status_code, 404)
        self.assertEqual(CostLine.objects.filter(meeting=other).count(), 1)
        self.assertTrue(Intangible.objects.filter(pk=benefit.pk).exists())

    def test_too_many_cost_lines_are_refused(self):
        for _number in range(MAX_COST_LINES - 1):
            add_cost(self.alice, self.meeting, "other", "1")
        response = self.client.post(
            url(self.meeting, "costs"), {"category": "venue", "amount": "5"}
        )
        self.assertContains(response, f"at most {MAX_COST_LINES} cost lines")
        self.assertEqual(self.meeting.costs.count(), MAX_COST_LINES)

    def test_the_owner_names_and_deletes_an_intangible_benefit(self):
        response = self.client.post(url(self.meeting, "add_intangible"), {"text": "A new network"})
        self.assertRedirects(response, url(self.meeting, "costs") + "#benefits")
        for text, message in (("", "This field is required."), ("x" * 301, "at most 300")):
            response = self.client.post(url(self.meeting, "add_intangible"), {"text": text})
            self.assertContains(response, message)
        self.assertEqual(self.meeting.intangibles.count(), 2)


class CostFormFuzzTests(HypothesisTestCase):
    """Whatever is typed as an amount, the page answers with a form or a redirect, never
    an error, and a line is saved only for an amount from 0 to MAX_AMOUNT in cents."""

    owner: User
    meeting: Meeting

    @classmethod
    def setUpTestData(cls):
        from sammen.testing import make_space, make_user

        cls.owner = make_user("Olga")
        cls.meeting = make_meeting(make_space(cls.owner, "Harbour Museum"), cls.owner)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        amount=st.one_of(
            st.text(max_size=30),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.integers().map(str),
            st.floats().map(str),
            st.sampled_from(
                ["-0", "1e3", "1,5", "٣", "１２", "0.001", str(MAX_AMOUNT), "9" * 5000]
            ),
        ),
        category=st.sampled_from(["venue", "catering", "nonsense", ""]),
    )
    def test_any_amount_is_saved_only_when_it_is_sound(self, amount, category):
        self.client.force_login(self.owner)
        response = self.client.post(
            url(self.meeting, "costs"), {"category": category, "amount": amount}
        )
        self.assertIn(response.status_code, {200, 302})
        lines = list(CostLine.objects.filter(meeting=self.meeting))
        if response.status_code == 200:
            self.assertEqual(lines, [])
        else:
            (line,) = lines
            self.assertTrue(Decimal(0) <= line.amount <= MAX_AMOUNT)
            self.assertEqual(line.amount, line.amount.quantize(Decimal("0.01")))


class BriefSelfCheckTests(DesignPagesTestCase):
    def test_the_briefs_self_check_warns_of_an_objective_without_a_measurement(self):
        brief = reverse("activities:brief", args=[self.museum.slug, self.meeting.activity.slug])
        self.assertNotContains(self.client.get(brief), "has no measurement yet")
        add_objective(self.alice, self.meeting, "Partners feel welcome", measured=False)
        response = self.client.get(brief)
        self.assertContains(response, "“Partners feel welcome” has no measurement yet")


class QueryCountTests(DesignPagesTestCase):
    def count_queries(self, page: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(page).status_code, 200)
        return len(queries)

    def test_the_design_pages_read_the_same_number_of_rows_however_long_the_programme(self):
        pages = [url(self.meeting, name) for name in ("objectives", "programme", "costs")]
        before = [self.count_queries(page) for page in pages]
        for number in range(6):
            objective = add_objective(self.alice, self.meeting, f"Objective {number}")
            add_session(
                self.alice,
                self.meeting,
                f"Session {number}",
                at(9, 10 * number),
                serves=(objective, self.objective),
                room="Hall",
            )
            add_cost(self.alice, self.meeting, "catering", "10")
            do_add_intangible(self.alice, self.meeting, f"Benefit {number}")
        self.assertEqual([self.count_queries(page) for page in pages], before)


class AnonymousCalendarTests(DesignPagesTestCase):
    def test_anyone_who_may_see_an_open_meeting_downloads_its_calendar_files(self):
        self.login(None)
        self.assertEqual(self.client.get(url(self.meeting, "meeting_ics")).status_code, 200)
        session_ics = url(self.meeting, "session_ics", self.session.pk)
        self.assertEqual(self.client.get(session_ics).status_code, 200)
