"""Registering for a meeting: with an account or a confirmed address, the waiting list,
one's own registration with its QR code, and cancelling."""

import time
from datetime import timedelta
from typing import Any
from unittest import mock

from django.core import mail
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.accounts.models import ParticipantEmail
from sammen.accounts.participants import COOKIE_NAME
from sammen.accounts.tests.test_emails_to_unverified import BAIT, GREETING, Sent
from sammen.activities.actions import do_close_activity, do_reopen_activity
from sammen.meetings.actions import do_register, do_update_meeting
from sammen.meetings.attendees import ticket_token, waiting_place
from sammen.meetings.forms import RegistrationForm
from sammen.meetings.models import Meeting, Registration, RegistrationState
from sammen.meetings.views import registration as registration_views
from sammen.testing import BaseTestCase, in_parallel, make_space, make_user, participant_of
from sammen.testing.meetings import make_meeting, register


def url(meeting: Meeting, name: str, *args: object) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


def ticket(registration: Registration) -> str:
    return url(registration.meeting, "ticket", ticket_token(registration))


def link_in(message: mail.EmailMessage, marker: str = "/registration/confirm/") -> str:
    """Return the path of the link in an email (the site's address cut off)."""
    line = next(line for line in message.body.splitlines() if marker in line)
    return "/" + line.strip().split("://", 1)[1].split("/", 1)[1]


def settings_of(meeting: Meeting, **changes: Any) -> dict[str, Any]:
    current = {
        "description": meeting.description,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "capacity": meeting.capacity,
        "audience": meeting.audience,
        "registration_open": meeting.registration_open,
        "follow_up_days": meeting.follow_up_days,
    }
    return {**current, **changes}


class RegisterTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=2)

    def register_as_visitor(self, name: str = "Rosa", email: str = "rosa@example.org"):
        return self.client.post(url(self.meeting, "register"), {"name": name, "email": email})

    def test_the_activity_page_invites_visitors_to_register(self):
        response = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertContains(response, url(self.meeting, "register"))
        self.assertContains(response, "2 places left")

    def test_a_member_registers_with_their_account_at_once(self):
        self.login(self.bob)
        form = self.client.get(url(self.meeting, "register"))
        self.assertContains(form, 'value="Bob"')
        self.assertNotContains(form, 'name="email"')
        response = self.client.post(url(self.meeting, "register"), {"name": "Bob B."}, follow=True)
        registration = Registration.objects.get()
        self.assertEqual(registration.state, RegistrationState.CONFIRMED)
        self.assertEqual((registration.name, registration.email), ("Bob B.", "bob@example.org"))
        self.assertEqual(registration.participant, participant_of(self.bob))
        self.assertContains(response, "You&#x27;re registered.")
        self.assertContains(response, 'role="img"')
        self.assertContains(response, 'aria-label="QR code of your registration')
        self.assertEqual(mail.outbox, [])

    def test_a_visitor_registers_with_a_name_and_confirms_by_the_emailed_link(self):
        response = self.register_as_visitor()
        self.assertIn(COOKIE_NAME, response.cookies)
        registration = Registration.objects.get()
        self.assertEqual(registration.state, RegistrationState.UNCONFIRMED)
        self.assertRedirects(response, ticket(registration))
        page = self.client.get(ticket(registration))
        self.assertContains(page, "One step left")
        self.assertNotContains(page, "ticket__qr")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["rosa@example.org"])
        self.assertNotIn("Rosa", mail.outbox[0].body)  # a stranger's words stay out
        link = link_in(mail.outbox[0])
        # On the phone, where the cookie is not: the visit confirms nothing, the click does.
        phone = Client()
        self.assertContains(phone.get(link), "rosa@example.org")
        self.assertEqual(Registration.objects.get().state, RegistrationState.UNCONFIRMED)
        response = phone.post(link, follow=True)
        self.assertContains(response, "You&#x27;re registered.")
        self.assertContains(response, "ticket__qr")
        registration.refresh_from_db()
        self.assertEqual(registration.state, RegistrationState.CONFIRMED)
        self.assertEqual(ParticipantEmail.objects.get().participant_id, registration.participant_id)
        # The phone now comes back as the same participant.
        self.assertRedirects(
            phone.get(url(self.meeting, "your_registration")), ticket(registration)
        )

    def test_the_confirmation_email_carries_no_title_or_name_anyone_wrote(self):
        self.museum.name = BAIT  # anyone signed in may create a space and name it
        self.museum.save(update_fields=["name"])
        meeting = make_meeting(self.museum, self.alice, "Free tickets at evil.example")
        for number, language in enumerate(GREETING, start=1):
            mail.outbox.clear()
            self.client.cookies.clear()
            self.client.post(  # from other people, past the limits on emails
                url(meeting, "register"),
                {"name": "Win at evil.example", "email": f"victim{number}@example.org"},
                headers={"accept-language": language},
                REMOTE_ADDR=f"192.0.2.{number}",
            )
            with self.subTest(language=language):
                message = Sent()
                self.assertNotIn("evil.example", message.subject + message.body)
                self.assertIn("Sammen", message.body)
                self.assertRegex(message.body, r"http://testserver/\S+/registration/confirm/")

    def test_a_used_link_says_so_and_changes_nothing(self):
        self.register_as_visitor()
        link = link_in(mail.outbox[0])
        self.client.post(link)
        confirmed_at = Registration.objects.get().confirmed_at
        response = self.client.post(link, follow=True)
        self.assertContains(response, "This link was used already")
        self.assertEqual(Registration.objects.get().confirmed_at, confirmed_at)

    def test_an_expired_link_is_refused(self):
        four_days_ago = time.time() - 4 * 24 * 3600
        with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
            self.register_as_visitor()
        response = self.client.post(link_in(mail.outbox[0]), follow=True)
        self.assertContains(response, "This link is not valid or has expired")
        self.assertEqual(Registration.objects.get().state, RegistrationState.UNCONFIRMED)

    def test_a_forged_link_is_refused(self):
        response = self.client.post(
            url(self.meeting, "confirm_registration", "forged"), follow=True
        )
        self.assertContains(response, "This link is not valid or has expired")

    def test_a_link_of_another_meetings_registration_is_refused(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        self.client.post(url(other, "register"), {"name": "Rosa", "email": "rosa@example.org"})
        token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
        response = self.client.post(url(self.meeting, "confirm_registration", token), follow=True)
        self.assertContains(response, "This link is not valid or has expired")
        self.assertEqual(Registration.objects.get().state, RegistrationState.UNCONFIRMED)

    def test_a_cancelled_registrations_link_says_so(self):
        self.register_as_visitor()
        registration = Registration.objects.get()
        self.client.post(url(self.meeting, "cancel_registration", ticket_token(registration)))
        response = self.client.post(link_in(mail.outbox[0]), follow=True)
        self.assertContains(response, "This registration was cancelled")
        self.assertEqual(Registration.objects.get().state, RegistrationState.CANCELLED)

    def test_registering_twice_is_refused_with_a_clear_message(self):
        self.login(self.bob)
        self.client.post(url(self.meeting, "register"), {"name": "Bob"})
        response = self.client.post(url(self.meeting, "register"), {"name": "Bob"}, follow=True)
        self.assertContains(response, "You have registered for this meeting already.")
        self.assertEqual(Registration.objects.count(), 1)

    def test_the_same_address_from_two_browsers_holds_one_place(self):
        self.register_as_visitor()
        self.client.post(link_in(mail.outbox[0]))
        other_browser = Client()
        other_browser.post(
            url(self.meeting, "register"), {"name": "Rosa", "email": "rosa@example.org"}
        )
        response = other_browser.post(link_in(mail.outbox[1]), follow=True)
        self.assertContains(response, "This address is registered for this meeting already.")
        self.assertEqual(Registration.objects.count(), 1)
        self.assertEqual(Registration.objects.get().state, RegistrationState.CONFIRMED)

    def test_an_address_proved_before_registers_at_once(self):
        self.register_as_visitor()
        self.client.post(link_in(mail.outbox[0]))
        other = make_meeting(self.museum, self.alice, "Winter day")
        self.client.post(url(other, "register"), {"name": "Rosa", "email": "ROSA@example.org"})
        self.assertEqual(Registration.objects.get(meeting=other).state, "confirmed")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_registration_from_a_new_browser_joins_the_address_proved_before(self):
        self.register_as_visitor()
        self.client.post(link_in(mail.outbox[0]))
        first_browser = Registration.objects.get().participant
        other = make_meeting(self.museum, self.alice, "Winter day")
        new_browser = Client()
        new_browser.post(url(other, "register"), {"name": "Rosa", "email": "rosa@example.org"})
        self.assertNotEqual(Registration.objects.get(meeting=other).participant, first_browser)
        response = new_browser.post(link_in(mail.outbox[1]), follow=True)
        self.assertContains(response, "You&#x27;re registered.")
        moved = Registration.objects.get(meeting=other)
        self.assertEqual((moved.participant, moved.state), (first_browser, "confirmed"))
        # The new browser is that participant now, and finds both registrations.
        self.assertRedirects(new_browser.get(url(other, "your_registration")), ticket(moved))
        self.assertEqual(new_browser.get(url(self.meeting, "your_registration")).status_code, 302)
        self.assertEqual(Registration.objects.filter(participant=first_browser).count(), 2)

    def test_past_the_places_people_join_the_waiting_list_and_hear_their_number(self):
        register(self.meeting, "Ana")
        register(self.meeting, "Ben")
        activity_page = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertContains(activity_page, "Join the waiting list")
        self.login(self.bob)
        response = self.client.post(url(self.meeting, "register"), {"name": "Bob"}, follow=True)
        self.assertContains(response, "You&#x27;re on the waiting list (number 1).")
        self.assertNotContains(response, "ticket__qr")

    def test_a_confirmed_link_past_the_places_gives_a_waiting_number(self):
        self.register_as_visitor()
        register(self.meeting, "Ana")
        register(self.meeting, "Ben")
        response = self.client.post(link_in(mail.outbox[0]), follow=True)
        self.assertContains(response, "You&#x27;re on the waiting list (number 1).")

    def test_closed_registration_is_refused_and_changes_nothing(self):
        do_update_meeting(
            self.alice, self.meeting, **settings_of(self.meeting, registration_open=False)
        )
        self.assertContains(self.client.get(url(self.meeting, "register")), "is closed")
        response = self.register_as_visitor()
        self.assertContains(response, "Registration for this meeting is closed.", status_code=403)
        self.assertFalse(Registration.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_closed_activity_takes_no_registrations(self):
        do_close_activity(self.alice, self.meeting.activity)
        self.login(self.bob)
        response = self.client.post(url(self.meeting, "register"), {"name": "Bob"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Registration.objects.exists())

    def test_places_left_are_not_counted_once_registration_is_closed(self):
        do_close_activity(self.alice, self.meeting.activity)
        response = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertNotContains(response, "places left")
        do_reopen_activity(self.alice, self.meeting.activity)
        do_update_meeting(
            self.alice, self.meeting, **settings_of(self.meeting, registration_open=False)
        )
        response = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertNotContains(response, "places left")

    def test_a_members_meeting_asks_visitors_to_sign_in(self):
        meeting = make_meeting(self.museum, self.alice, "Members day", audience="members")
        response = self.client.post(url(meeting, "register"), {"name": "Rosa", "email": "r@x.org"})
        self.assertContains(response, "Sign in to register", status_code=403)
        self.login(self.charlie)
        response = self.client.post(url(meeting, "register"), {"name": "Charlie"})
        self.assertContains(response, "Join the space to register", status_code=403)
        self.login(self.bob)
        self.client.post(url(meeting, "register"), {"name": "Bob"})
        self.assertEqual(Registration.objects.get().state, "confirmed")

    def test_a_private_spaces_meeting_is_not_found_by_strangers(self):
        meeting = make_meeting(self.quiet_room, self.alice, "Quiet day")
        self.assertEqual(self.client.get(url(meeting, "register")).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.get(url(meeting, "register")).status_code, 404)

    def test_oversized_or_odd_names_and_addresses_are_form_errors(self):
        cases = [
            ({"name": "x" * 121, "email": "rosa@example.org"}, "at most 120 characters"),
            ({"name": "   ", "email": "rosa@example.org"}, "This field is required"),
            ({"name": "Ro\x00sa", "email": "rosa@example.org"}, "Null characters"),
            ({"name": "Ro\x1bsa", "email": "rosa@example.org"}, "invisible control characters"),
            ({"name": "Rosa", "email": "a" * 250 + "@example.org"}, "at most 254 characters"),
            ({"name": "Rosa", "email": "not an address"}, "valid email address"),
            ({"name": "Rosa"}, "This field is required"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:40]):
                response = self.client.post(url(self.meeting, "register"), data)
                self.assertContains(response, message)
        self.assertFalse(Registration.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_many_registrations_from_one_network_are_slowed_down(self):
        with mock.patch.object(registration_views, "REGISTRATIONS_PER_IP_PER_HOUR", 2):
            for number in range(3):
                response = Client().post(
                    url(self.meeting, "register"),
                    {"name": f"P{number}", "email": f"p{number}@example.org"},
                )
        self.assertContains(response, "Many people registered from your network")
        self.assertEqual(Registration.objects.count(), 2)
        # People with an account hold one place each: an office registers from one address.
        with mock.patch.object(registration_views, "REGISTRATIONS_PER_IP_PER_HOUR", 2):
            for person in (self.alice, self.maja, self.bob):
                self.login(person)
                self.client.post(url(self.meeting, "register"), {"name": "Colleague"})
        self.assertEqual(Registration.objects.count(), 5)

    def test_the_link_is_sent_again_on_request(self):
        self.register_as_visitor()
        registration = Registration.objects.get()
        response = self.client.post(
            url(self.meeting, "resend_confirmation", ticket_token(registration)), follow=True
        )
        self.assertContains(response, "We sent the link again to rosa@example.org.")
        self.assertEqual(len(mail.outbox), 2)

    def test_your_registration_without_one_goes_back_to_the_meeting(self):
        response = self.client.get(url(self.meeting, "your_registration"), follow=True)
        self.assertContains(response, "You have not registered for this meeting.")


class TicketTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=1)
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))

    def test_the_registration_page_shows_the_state_qr_code_and_the_way_to_cancel(self):
        response = self.client.get(ticket(self.bobs))
        self.assertContains(response, "You're registered, Bob.")
        self.assertContains(response, self.bobs.code)
        self.assertContains(
            response, url(self.meeting, "cancel_registration", ticket_token(self.bobs))
        )
        self.assertEqual(response.headers["Cache-Control"].count("no-store"), 1)

    def test_the_member_finds_their_own_registration(self):
        self.login(self.bob)
        self.assertRedirects(
            self.client.get(url(self.meeting, "your_registration")), ticket(self.bobs)
        )
        page = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertContains(page, "You're registered.")

    def test_forged_tickets_and_other_meetings_tickets_are_not_found(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        others = register(other, "Ana")
        forged = f"{self.bobs.pk}:forged"
        for path in (
            url(self.meeting, "ticket", forged),
            url(self.meeting, "ticket", "nonsense"),
            url(self.meeting, "ticket", ticket_token(others)),
            url(self.meeting, "cancel_registration", ticket_token(others)),
            url(self.meeting, "resend_confirmation", ticket_token(others)),
        ):
            with self.subTest(path=path):
                statuses = {self.client.get(path).status_code, self.client.post(path).status_code}
                self.assertIn(404, statuses)  # the other is 405 where the URL takes only one
                self.assertLessEqual(statuses, {404, 405})
        others.refresh_from_db()
        self.assertEqual(others.state, RegistrationState.CONFIRMED)

    def test_cancelling_asks_first_then_gives_the_place_to_the_first_waiting(self):
        waiting = register(self.meeting, "Ana")
        later = register(self.meeting, "Ben")
        cancel = url(self.meeting, "cancel_registration", ticket_token(self.bobs))
        self.assertContains(self.client.get(cancel), "Cancel your registration?")
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, RegistrationState.CONFIRMED)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(cancel, follow=True)
        self.assertContains(response, "Your registration is cancelled.")
        self.bobs.refresh_from_db()
        waiting.refresh_from_db()
        later.refresh_from_db()
        self.assertEqual(
            [self.bobs.state, waiting.state, later.state], ["cancelled", "confirmed", "waiting"]
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["ana@example.org"])
        self.assertIn("A place is free for you", mail.outbox[0].subject)
        self.assertIn(ticket(waiting), mail.outbox[0].body)
        self.assertContains(self.client.get(ticket(later)), "waiting list (number 1)")

    def test_cancelling_twice_changes_nothing(self):
        cancel = url(self.meeting, "cancel_registration", ticket_token(self.bobs))
        self.client.post(cancel)
        response = self.client.post(cancel, follow=True)
        self.assertContains(response, "This registration is cancelled already.")

    def test_a_registration_stays_once_the_meeting_has_begun(self):
        assert self.meeting.starts_at is not None
        later = self.meeting.starts_at + timedelta(minutes=5)
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = self.client.post(
                url(self.meeting, "cancel_registration", ticket_token(self.bobs)), follow=True
            )
        self.assertContains(response, "The meeting has begun")
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, RegistrationState.CONFIRMED)

    def test_more_places_go_to_the_waiting_list_who_hear_of_it(self):
        waiting = register(self.meeting, "Ana")
        with self.captureOnCommitCallbacks(execute=True):
            do_update_meeting(self.alice, self.meeting, **settings_of(self.meeting, capacity=3))
        waiting.refresh_from_db()
        self.assertEqual(waiting.state, RegistrationState.CONFIRMED)
        self.assertEqual([message.to for message in mail.outbox], [["ana@example.org"]])


class PersonaTests(BaseTestCase):
    """Each page of registration, for each persona: anonymous, member, attendee, owner,
    moderator, and a signed-in person with no role in the space."""

    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice)
        self.attendee = make_user("Ada")
        self.adas = register(self.meeting, "Ada", participant_of(self.attendee))

    def test_the_register_page_and_the_activity_page(self):
        personas = {
            "anonymous": (None, "Register"),
            "member": (self.bob, "Register"),
            "no role": (self.charlie, "Register"),
            "owner": (self.alice, "Registrations"),
            "moderator": (self.maja, "Check-in"),
            "attendee": (self.attendee, "You're registered."),
        }
        for name, (person, on_activity_page) in personas.items():
            with self.subTest(persona=name):
                self.login(person)
                page = self.client.get(self.meeting.activity.get_absolute_url())
                self.assertContains(page, on_activity_page)
                form = self.client.get(url(self.meeting, "register"))
                if person is self.attendee:
                    self.assertRedirects(form, ticket(self.adas))
                else:
                    self.assertContains(form, 'name="name"')
                    self.assertEqual('name="email"' in form.text, person is None)

    def test_your_registration_and_the_ticket(self):
        for person in (None, self.bob, self.charlie, self.alice, self.maja, self.attendee):
            with self.subTest(persona=str(person)):
                self.login(person)
                yours = self.client.get(url(self.meeting, "your_registration"))
                expected = ticket(self.adas) if person is self.attendee else None
                self.assertRedirects(
                    yours,
                    expected or self.meeting.activity.get_absolute_url(),
                    fetch_redirect_response=False,
                )
                # The ticket's address is the key: whoever holds it sees the registration.
                self.assertContains(self.client.get(ticket(self.adas)), "You're registered, Ada.")

    def test_planners_registering_themselves_register_like_anyone(self):
        self.login(self.maja)
        self.client.post(url(self.meeting, "register"), {"name": "Maja"})
        self.assertEqual(
            Registration.objects.get(participant=participant_of(self.maja)).state, "confirmed"
        )


class RegistrationFormTests(HypothesisTestCase):
    @settings(max_examples=150, deadline=None)
    @given(name=st.text(max_size=200), email=st.text(max_size=300))
    def test_any_name_and_address_is_read_or_refused_in_words(self, name, email):
        form = RegistrationForm({"name": name, "email": email})
        if form.is_valid():
            cleaned = form.cleaned_data
            self.assertTrue(0 < len(cleaned["name"]) <= 120)
            self.assertEqual(cleaned["name"], " ".join(cleaned["name"].split()))
            self.assertLessEqual(len(cleaned["email"]), 254)
            self.assertIn("@", cleaned["email"])
        else:
            self.assertTrue(all(form.errors.values()))

    @settings(max_examples=40, deadline=None)
    @given(name=st.text(max_size=160), email=st.emails() | st.text(max_size=60))
    def test_the_page_never_fails_whatever_is_typed(self, name, email):
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        meeting = make_meeting(make_space(owner, "Hall"), owner)
        response = Client().post(url(meeting, "register"), {"name": name, "email": email})
        self.assertIn(response.status_code, {200, 302})
        if response.status_code == 200:
            self.assertFalse(Registration.objects.exists())


class ConcurrentRegistrationTests(TransactionTestCase):
    def test_fifty_people_registering_at_once_never_exceed_the_places(self):
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        meeting = make_meeting(make_space(owner, "Busy Hall"), owner, capacity=10)
        browsers = []
        for number in range(50):
            person = do_create_account(f"p{number}@example.org", "x" * 12, f"P{number}")
            browser = Client(REMOTE_ADDR=f"10.0.{number}.1")
            browser.force_login(person)
            browsers.append(browser)

        def one(number: int) -> int:
            return (
                browsers[number].post(url(meeting, "register"), {"name": f"P{number}"}).status_code
            )

        statuses = in_parallel(50, one)
        self.assertEqual(set(statuses), {302})
        states = list(Registration.objects.filter(meeting=meeting).values_list("state", flat=True))
        self.assertEqual(len(states), 50)
        self.assertEqual(states.count("confirmed"), 10)
        self.assertEqual(states.count("waiting"), 40)
        connection.close()


def test_the_place_on_the_waiting_list_follows_confirmation_order(db):
    owner = do_create_account("olga@example.org", "x" * 12, "Olga")
    meeting = make_meeting(make_space(owner, "Small Hall"), owner, capacity=1)
    register(meeting, "Ana")
    second = register(meeting, "Ben")
    third = do_register(
        meeting, do_create_anonymous_participant(), name="Cas", email="c@x.org", confirmed=True
    )
    assert (waiting_place(second), waiting_place(third)) == (1, 2)
