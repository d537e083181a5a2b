"""The door: planners find attendees by name or email, or scan their QR codes, and check
them in; the list of registrations and its CSV export."""

import csv
import io
from datetime import timedelta
from unittest import mock

from django.urls import reverse

from sammen.audit.models import AuditEntry
from sammen.meetings.actions import do_cancel_registration, do_check_in
from sammen.meetings.models import Meeting, Registration, RegistrationState
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.meetings import make_meeting, register

HTMX = {"HX-Request": "true"}


def url(meeting: Meeting, name: str, *args: object) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


class DoorTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=3)
        self.rosa = register(self.meeting, "Rosa Berg")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.ana = register(self.meeting, "Ana Lind")
        self.waiting = register(self.meeting, "Wim")

    def test_only_the_planners_open_the_door_pages(self):
        pages = [
            ("get", url(self.meeting, "check_in")),
            ("get", url(self.meeting, "scan")),
            ("get", url(self.meeting, "registrations")),
            ("get", url(self.meeting, "registrations_csv")),
            ("post", url(self.meeting, "check_in_attendee", self.rosa.pk)),
            ("post", url(self.meeting, "check_in_code")),
        ]
        # Bob is a member and an attendee; Charlie has no role in the space.
        expected = {None: 302, self.bob: 403, self.charlie: 403, self.maja: 200, self.alice: 200}
        for person, status in expected.items():
            self.login(person)
            for method, path in pages:
                with self.subTest(person=str(person), path=path):
                    response = getattr(self.client, method)(path)
                    if method == "post" and status == 200:
                        self.assertIn(response.status_code, {200, 302})
                    else:
                        self.assertEqual(response.status_code, status)
        self.rosa.refresh_from_db()
        self.assertIsNotNone(self.rosa.checked_in_at)  # the planners' posts did it

    def test_the_search_finds_registered_attendees_by_name_or_email(self):
        self.login(self.maja)
        response = self.client.get(url(self.meeting, "check_in"), {"q": "ROSA"})
        self.assertContains(response, "Rosa Berg")
        self.assertContains(response, "1 registered attendee found")
        self.assertNotContains(response, "Ana Lind")
        by_email = self.client.get(url(self.meeting, "check_in"), {"q": "lind@example"})
        self.assertContains(by_email, "Ana Lind")
        waiting = self.client.get(url(self.meeting, "check_in"), {"q": "Wim"})
        self.assertContains(waiting, "0 registered attendees found")

    def test_the_search_answers_htmx_with_its_results_only(self):
        self.login(self.maja)
        response = self.client.get(url(self.meeting, "check_in"), {"q": "ber"}, headers=HTMX)
        self.assertContains(response, 'id="door-results"')
        self.assertContains(response, "Rosa Berg")
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response.headers["Vary"])

    def test_going_back_in_history_gets_the_whole_page(self):
        self.login(self.maja)
        headers = {**HTMX, "HX-History-Restore-Request": "true"}
        response = self.client.get(url(self.meeting, "check_in"), {"q": "ber"}, headers=headers)
        self.assertContains(response, "<html")

    def test_an_oversized_search_is_a_form_error(self):
        self.login(self.maja)
        response = self.client.get(url(self.meeting, "check_in"), {"q": "x" * 500})
        self.assertContains(response, "at most 100 characters")
        self.assertContains(response, "Type part of a name")

    def test_checking_in_from_the_search_without_javascript(self):
        self.login(self.maja)
        response = self.client.post(
            url(self.meeting, "check_in_attendee", self.rosa.pk), {"q": "rosa"}
        )
        self.assertRedirects(
            response, url(self.meeting, "check_in") + "?q=rosa", fetch_redirect_response=False
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "Checked in: Rosa Berg.")
        self.assertContains(page, "Checked in at")
        self.rosa.refresh_from_db()
        self.assertEqual(self.rosa.checked_in_by, self.maja)
        entry = AuditEntry.objects.get(action="meeting.checked_in")
        self.assertEqual((entry.actor, entry.target_label), (self.maja, "Rosa Berg"))

    def test_checking_in_with_htmx_answers_the_row_and_the_counts(self):
        self.login(self.alice)
        response = self.client.post(
            url(self.meeting, "check_in_attendee", self.rosa.pk), {"q": "rosa"}, headers=HTMX
        )
        self.assertContains(response, f'id="attendee-{self.rosa.pk}"')
        self.assertContains(response, "Checked in: Rosa Berg.")
        self.assertContains(response, 'id="door-counts" hx-swap-oob="true"')
        again = self.client.post(url(self.meeting, "check_in_attendee", self.rosa.pk), headers=HTMX)
        self.assertContains(again, "Rosa Berg was checked in already, at")
        self.assertEqual(AuditEntry.objects.filter(action="meeting.checked_in").count(), 1)

    def test_the_waiting_list_is_not_checked_in(self):
        self.login(self.alice)
        response = self.client.post(
            url(self.meeting, "check_in_attendee", self.waiting.pk), follow=True
        )
        self.assertContains(response, "Only registered attendees can be checked in.")
        self.waiting.refresh_from_db()
        self.assertIsNone(self.waiting.checked_in_at)

    def test_another_meetings_registration_is_not_found(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        theirs = register(other, "Tom")
        self.login(self.alice)
        response = self.client.post(url(self.meeting, "check_in_attendee", theirs.pk))
        self.assertEqual(response.status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.checked_in_at)

    def test_the_counts_show_no_shows_once_the_meeting_is_over(self):
        do_check_in(self.alice, self.rosa)
        self.login(self.alice)
        before = self.client.get(url(self.meeting, "check_in"))
        self.assertEqual(before.context["attendance"].registered, 3)
        self.assertEqual(before.context["attendance"].checked_in, 1)
        self.assertIsNone(before.context["attendance"].no_shows)
        self.assertContains(before, "on the waiting list")
        assert self.meeting.ends_at is not None
        over = self.meeting.ends_at + timedelta(hours=1)
        with mock.patch("django.utils.timezone.now", return_value=over):
            after = self.client.get(url(self.meeting, "check_in"))
        self.assertEqual(after.context["attendance"].no_shows, 2)
        self.assertContains(after, "did not come")


class ScanTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=1)
        self.rosa = register(self.meeting, "Rosa")
        self.waiting = register(self.meeting, "Wim")
        self.login(self.maja)

    def scan(self, code: str, *, htmx: bool = False):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(url(self.meeting, "check_in_code"), {"code": code}, headers=headers)

    def test_the_scan_page_may_use_the_camera_and_other_pages_may_not(self):
        scan_page = self.client.get(url(self.meeting, "scan"))
        self.assertIn("camera=(self)", scan_page.headers["Permissions-Policy"])
        self.assertContains(scan_page, "meetings/door.js")
        self.assertContains(scan_page, "data-scanner-start hidden")
        search_page = self.client.get(url(self.meeting, "check_in"))
        self.assertIn("camera=()", search_page.headers["Permissions-Policy"])

    def test_a_scanned_code_checks_the_attendee_in_and_says_their_name(self):
        response = self.scan(self.rosa.code, htmx=True)
        self.assertContains(response, "Checked in: Rosa.")
        self.assertContains(response, "scan-result--done")
        self.assertNotContains(response, "<html")
        again = self.scan(self.rosa.code, htmx=True)
        self.assertContains(again, "Rosa was checked in already, at")
        self.assertContains(again, "scan-result--again")

    def test_a_typed_code_works_without_javascript(self):
        response = self.scan(f"  {self.rosa.code} ")
        self.assertContains(response, "Checked in: Rosa.")
        self.assertIn("camera=(self)", response.headers["Permissions-Policy"])

    def test_another_meetings_code_is_not_found(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        theirs = register(other, "Tom")
        response = self.scan(theirs.code, htmx=True)
        self.assertContains(
            response, "No registration for this meeting has this code.", status_code=404
        )
        theirs.refresh_from_db()
        self.assertIsNone(theirs.checked_in_at)

    def test_forged_codes_are_refused(self):
        for code, status, message in [
            ("AAAAAAAAAAAAAAAA", 404, "No registration for this meeting has this code."),
            ("<script>", 200, "This is not a registration code."),
            ("x" * 33, 200, "at most 32 characters"),
            ("", 200, "This field is required."),
            ("https://evil.example/", 200, "This is not a registration code."),
        ]:
            with self.subTest(code=code[:20]):
                self.assertContains(self.scan(code), message, status_code=status)
        self.assertFalse(Registration.objects.filter(checked_in_at__isnull=False).exists())

    def test_a_malformed_code_says_so_in_the_answer_htmx_swaps_in(self):
        response = self.scan("<script>", htmx=True)
        self.assertContains(response, "scan-result--refused")
        self.assertContains(response, "This is not a registration code.")

    def test_a_waiting_or_cancelled_code_is_not_checked_in(self):
        response = self.scan(self.waiting.code)
        self.assertContains(response, "Wim: On the waiting list. Only registered attendees")
        do_cancel_registration(self.waiting)
        response = self.scan(self.waiting.code)
        self.assertContains(response, "Wim: Cancelled.")


class RegistrationListTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=2)
        self.rosa = register(self.meeting, "Rosa")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.first_waiting = register(self.meeting, "Wim")
        self.second_waiting = register(self.meeting, "Zoe")
        do_check_in(self.alice, self.rosa)
        self.login(self.alice)

    def test_the_list_shows_states_the_waiting_order_and_arrivals(self):
        response = self.client.get(url(self.meeting, "registrations"))
        rows = [(r.name, r.state, r.place) for r in response.context["page"].object_list]
        self.assertEqual(
            rows,
            [
                ("Bob", "confirmed", None),
                ("Rosa", "confirmed", None),
                ("Wim", "waiting", 1),
                ("Zoe", "waiting", 2),
            ],
        )
        self.assertContains(response, "Waiting list, number 2")
        self.assertContains(response, "Download CSV")

    def test_the_list_filters_by_state_and_searches(self):
        waiting = self.client.get(url(self.meeting, "registrations"), {"state": "waiting"})
        self.assertEqual([r.name for r in waiting.context["page"].object_list], ["Wim", "Zoe"])
        # A search keeps each waiting person's place in the whole list.
        found = self.client.get(url(self.meeting, "registrations"), {"q": "zoe"})
        self.assertEqual(
            [(r.name, r.place) for r in found.context["page"].object_list], [("Zoe", 2)]
        )
        odd = self.client.get(
            url(self.meeting, "registrations"), {"state": "nonsense", "page": "x"}
        )
        self.assertEqual(odd.status_code, 200)

    def test_the_list_reads_a_page_in_a_fixed_number_of_queries(self):
        self.client.get(url(self.meeting, "registrations"))  # caches warmed up
        with self.assertNumQueries(14):
            self.client.get(url(self.meeting, "registrations"))
        for number in range(30):
            register(self.meeting, f"Person {number}")
        with self.assertNumQueries(14):
            self.client.get(url(self.meeting, "registrations"))

    def test_the_csv_holds_name_email_state_and_arrival(self):
        response = self.client.get(url(self.meeting, "registrations_csv"))
        self.assertIn("attachment;", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        by_name = {row["name"]: row for row in rows}
        self.assertEqual(by_name["Rosa"]["email"], "rosa@example.org")
        self.assertEqual(by_name["Rosa"]["state"], RegistrationState.CONFIRMED)
        self.assertTrue(by_name["Rosa"]["checked_in_at"])
        self.assertEqual(by_name["Bob"]["checked_in_at"], "")
        self.assertEqual(by_name["Zoe"]["place_on_waiting_list"], "2")

    def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(self):
        register(self.meeting, "=HYPERLINK(1)")
        response = self.client.get(url(self.meeting, "registrations_csv"))
        self.assertIn("'=HYPERLINK(1)", response.content.decode("utf-8-sig"))
