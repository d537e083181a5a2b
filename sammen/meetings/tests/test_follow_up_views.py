"""The follow-up page an attendee opens from the email's one-time link, with no account:
answered once, and the reused, expired, forged and misplaced links."""

import time
from datetime import timedelta
from unittest import mock

from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.actions import do_create_account
from sammen.meetings.actions import ObjectiveInput, do_add_objective, do_plan_action
from sammen.meetings.follow_up_mail import FOLLOW_UP_LINK, follow_up_path
from sammen.meetings.follow_ups import follow_up_attendees
from sammen.meetings.forms import FollowUpForm
from sammen.meetings.models import FollowUp, ImpactEstimate, Level, Meeting, Objective
from sammen.testing import BaseTestCase, make_space, participant_of
from sammen.testing.meetings import begin_meeting, make_meeting, register


def send_round(meeting: Meeting, days: int = 30) -> None:
    assert meeting.ends_at is not None
    follow_up_attendees(meeting.ends_at + timedelta(days=days))


def link_in(message: mail.EmailMessage) -> str:
    """Return the path of the follow-up link in an email."""
    line = next(line for line in message.body.splitlines() if "/follow-up/" in line)
    return "/" + line.strip().split("://", 1)[1].split("/", 1)[1]


def answers(objective: Objective | None = None, **changes: str) -> dict[str, str]:
    data = {"applied": "partly", "frequency": "sometimes", "helped": "My team", "hindered": ""}
    if objective is not None:
        data |= {f"contribution_{objective.pk}": "40", f"confidence_{objective.pk}": "80"}
    return data | changes


class FollowUpPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice)
        self.impact = do_add_objective(
            self.alice,
            self.meeting,
            ObjectiveInput(level=Level.IMPACT, text="More partner tickets", measure="Tickets sold"),
        )
        begin_meeting(self.meeting, self.alice)
        self.rosa = register(self.meeting, "Rosa")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        do_plan_action(self.rosa, text="Ask partners before we plan", confidence=70)
        send_round(self.meeting)
        self.link = link_in(next(m for m in mail.outbox if m.to == ["rosa@example.org"]))
        self.follow_up = FollowUp.objects.get(registration=self.rosa)
        self.phone = Client()  # no account, no cookie

    def test_the_link_shows_their_own_planned_action_and_the_questions(self):
        response = self.phone.get(self.link)
        self.assertContains(response, "Ask partners before we plan")
        self.assertContains(response, "At the meeting you were 70% confident")
        self.assertContains(response, "More partner tickets")
        self.assertContains(response, "Tickets sold")
        self.assertContains(response, f'name="contribution_{self.impact.pk}"')
        self.assertContains(response, 'name="share_name"')
        self.assertNotContains(response, 'name="share_name" checked')

    def test_bobs_link_shows_that_he_wrote_no_plan(self):
        link = link_in(next(m for m in mail.outbox if m.to == ["bob@example.org"]))
        self.assertContains(self.phone.get(link), "You did not write down a planned action")

    def test_an_answer_is_saved_once_and_anonymous_unless_they_agree(self):
        response = self.phone.post(self.link, answers(self.impact), follow=True)
        self.assertRedirects(response, self.link)
        self.assertContains(response, "Thank you!")
        self.assertContains(response, "They read your answers without your name.")
        self.follow_up.refresh_from_db()
        self.assertEqual(
            (self.follow_up.applied, self.follow_up.frequency), ("partly", "sometimes")
        )
        self.assertFalse(self.follow_up.share_name)
        estimate = ImpactEstimate.objects.get()
        self.assertEqual(
            (estimate.registration, estimate.contribution, estimate.confidence), (self.rosa, 40, 80)
        )

    def test_sharing_the_name_is_their_choice(self):
        self.phone.post(self.link, answers(share_name="on"))
        self.follow_up.refresh_from_db()
        self.assertTrue(self.follow_up.share_name)
        self.assertFalse(ImpactEstimate.objects.exists())  # a figure left out is not estimated

    def test_a_reused_link_says_it_was_answered_and_changes_nothing(self):
        self.phone.post(self.link, answers())
        answered_at = FollowUp.objects.get(pk=self.follow_up.pk).answered_at
        for client in [self.phone, Client()]:
            self.assertContains(client.get(self.link), "You answered these questions on")
            response = client.post(self.link, answers(applied="yes", frequency="often"))
            self.assertContains(response, "Thank you!")
        self.follow_up.refresh_from_db()
        self.assertEqual(
            (self.follow_up.applied, self.follow_up.answered_at), ("partly", answered_at)
        )

    def test_an_expired_link_says_so(self):
        sixty_one_days_ago = time.time() - 61 * 24 * 3600
        with mock.patch("django.core.signing.time.time", return_value=sixty_one_days_ago):
            old = follow_up_path(self.follow_up)
        response = self.phone.get(old)
        self.assertContains(response, "This link has expired", status_code=410)
        response = self.phone.post(old, answers())
        self.assertEqual(response.status_code, 410)
        self.assertIsNone(FollowUp.objects.get(pk=self.follow_up.pk).answered_at)

    def test_forged_and_misplaced_links_open_nothing(self):
        args = [self.museum.slug, self.meeting.activity.slug]
        bobs = FollowUp.objects.get(registration=self.bobs)
        signed = signing.dumps({"e": "rosa@example.org", "f": bobs.pk}, salt=FOLLOW_UP_LINK.salt)
        registration_salt = signing.dumps(
            {"e": "rosa@example.org", "f": self.follow_up.pk}, salt="sammen.meetings.registration"
        )
        other = make_meeting(self.museum, self.alice, "Winter day")
        tokens = ["forged", "x" * 600, signed, registration_salt]
        for token in tokens:
            with self.subTest(token=token[:20]):
                response = self.phone.post(
                    reverse("meetings:follow_up", args=[*args, token]), answers()
                )
                self.assertContains(response, "This link is not valid", status_code=404)
        token = self.link.rstrip("/").rsplit("/", 1)[1]
        elsewhere = reverse(
            "meetings:follow_up", args=[self.museum.slug, other.activity.slug, token]
        )
        self.assertEqual(self.phone.post(elsewhere, answers()).status_code, 404)
        self.assertFalse(FollowUp.objects.filter(answered_at__isnull=False).exists())

    def test_a_follow_up_not_sent_yet_does_not_open(self):
        later = FollowUp.objects.create(registration=self.rosa, days=90)
        response = self.phone.get(follow_up_path(later))
        self.assertEqual(response.status_code, 404)

    def test_odd_answers_are_refused_in_words_and_change_nothing(self):
        cases = [
            (answers(applied="maybe"), "Say whether you applied it"),
            (answers(applied=""), "Say whether you applied it"),
            (answers(frequency=""), "Say how often"),
            (answers(frequency="daily"), "Say how often"),
            (answers(helped="x" * 1001), "at most 1000 characters"),
            (
                answers(self.impact, **{f"contribution_{self.impact.pk}": "101"}),
                "Choose a percentage",
            ),
            (
                answers(self.impact, **{f"contribution_{self.impact.pk}": "-1"}),
                "Choose a percentage",
            ),
            (
                answers(self.impact, **{f"confidence_{self.impact.pk}": "50.5"}),
                "Choose a percentage",
            ),
            (answers(self.impact, **{f"confidence_{self.impact.pk}": ""}), "Give both"),
        ]
        for data, message in cases:
            with self.subTest(message=message, data=data):
                response = self.phone.post(self.link, data)
                self.assertContains(response, message)
        self.follow_up.refresh_from_db()
        self.assertIsNone(self.follow_up.answered_at)
        self.assertFalse(ImpactEstimate.objects.exists())

    def test_not_yet_needs_no_frequency(self):
        response = self.phone.post(self.link, answers(applied="no", frequency=""))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FollowUp.objects.get(pk=self.follow_up.pk).applied, "no")

    def test_a_later_round_shows_their_earlier_estimate_and_that_a_new_one_replaces_it(self):
        sales = do_add_objective(
            self.alice,
            self.meeting,
            ObjectiveInput(level=Level.IMPACT, text="More shop sales", measure="Sales"),
        )
        self.assertNotContains(self.phone.get(self.link), "you estimated")
        self.phone.post(self.link, answers(self.impact))
        bobs_link = link_in(next(m for m in mail.outbox if m.to == ["bob@example.org"]))
        self.phone.post(bobs_link, answers())  # Bob estimates nothing
        mail.outbox.clear()
        send_round(self.meeting, 90)
        later = link_in(next(m for m in mail.outbox if m.to == ["rosa@example.org"]))
        self.assertNotEqual(later, self.link)
        earlier = (
            "In the follow-up after 30 days you estimated that 40% of the change came from "
            "the meeting, and you were 80% sure. A new estimate replaces that one; leave both "
            "empty to keep it."
        )
        response = self.phone.get(later)
        self.assertContains(response, earlier, count=1)
        # It describes the question it belongs to; the other measure was not estimated.
        self.assertContains(response, f'aria-describedby="id_contribution_{self.impact.pk}_')
        self.assertNotContains(response, f'aria-describedby="id_contribution_{sales.pk}_')
        bobs_later = link_in(next(m for m in mail.outbox if m.to == ["bob@example.org"]))
        self.assertNotContains(self.phone.get(bobs_later), "you estimated")
        # Leaving the figure out keeps her earlier estimate; a new one remembers its round.
        self.phone.post(later, answers(sales))
        estimates = ImpactEstimate.objects.filter(registration=self.rosa).order_by("days")
        self.assertEqual(
            [(one.objective, one.contribution, one.confidence, one.days) for one in estimates],
            [(self.impact, 40, 80, 30), (sales, 40, 80, 90)],
        )

    def test_every_persona_with_the_link_answers_as_the_attendee(self):
        """The link is the key: the signed-in owner who opens it sees Rosa's questions."""
        self.login(self.alice)
        self.assertContains(self.client.get(self.link), "Ask partners before we plan")


class FollowUpFormTests(HypothesisTestCase):
    @settings(max_examples=150, deadline=None)
    @given(
        applied=st.sampled_from(["yes", "partly", "no", "", "maybe"]) | st.text(max_size=8),
        frequency=st.sampled_from(["once", "sometimes", "often", ""]) | st.text(max_size=8),
        contribution=st.sampled_from(["0", "40", "100", "101", "-1", "50.5", ""])
        | st.text(max_size=6),
        confidence=st.sampled_from(["0", "80", "100", "101", ""]) | st.text(max_size=6),
        helped=st.text(max_size=1100),
    )
    def test_any_answer_is_read_or_refused_in_words(
        self, applied, frequency, contribution, confidence, helped
    ):
        objective = Objective(pk=7, level=Level.IMPACT, text="Tickets")
        form = FollowUpForm(
            {
                "applied": applied,
                "frequency": frequency,
                "helped": helped,
                "contribution_7": contribution,
                "confidence_7": confidence,
            },
            objectives=[objective],
        )
        if form.is_valid():
            data = form.to_input()
            self.assertIn(data.applied, {"yes", "partly", "no"})
            if data.applied != "no":
                self.assertIn(data.frequency, {"once", "sometimes", "often"})
            for estimate in (data.estimates or {}).values():
                self.assertIn(estimate.contribution, range(0, 101, 10))
                self.assertIn(estimate.confidence, range(0, 101, 10))
            self.assertLessEqual(len(data.helped), 1000)
        else:
            self.assertTrue(all(form.errors.values()))

    @settings(max_examples=25, deadline=None)
    @given(contribution=st.text(max_size=6), applied=st.text(max_size=7))
    def test_the_page_never_fails_whatever_is_sent(self, contribution, applied):
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        meeting = make_meeting(make_space(owner, "Hall"), owner)
        impact = do_add_objective(
            owner, meeting, ObjectiveInput(level=Level.IMPACT, text="Tickets")
        )
        register(meeting, "Rosa")
        send_round(meeting)
        response = Client().post(
            link_in(mail.outbox[-1]),
            {
                "applied": applied,
                "frequency": "once",
                f"contribution_{impact.pk}": contribution,
                f"confidence_{impact.pk}": "50",
            },
        )
        self.assertIn(response.status_code, {200, 302})
        answered = FollowUp.objects.filter(answered_at__isnull=False).exists()
        self.assertEqual(answered, response.status_code == 302)
