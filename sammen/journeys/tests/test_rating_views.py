"""The participant's side of a journey: the start, the card of each touchpoint, the closing
questions, the thank-you, proposals and the email link; each persona, htmx and bad input."""

import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.core.signing import get_cookie_signer
from django.db import close_old_connections, connection
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.activities.actions import do_close_activity
from sammen.core.validators import no_control_characters
from sammen.notifications.models import Notification
from sammen.spaces.actions import do_block_member
from sammen.testing import PASSWORD, BaseTestCase, make_space, participant_of
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

from ..actions import do_rate, do_start_wave
from ..actions.proposals import PROPOSALS_PER_PARTICIPANT_PER_DAY, do_propose_touchpoint
from ..emotions import WORD_KEYS
from ..models import Journey, Rating, Respondent, Touchpoint, TouchpointState, Wave

HTMX = {"HX-Request": "true"}


def url(journey: Journey, name: str, *args: object) -> str:
    activity = journey.activity
    return reverse(f"journeys:{name}", args=[activity.space.slug, activity.slug, *args])


def rate_url(journey: Journey, touchpoint: Touchpoint) -> str:
    return url(journey, "rate", touchpoint.pk)


def anonymous_cookie(participant: Participant) -> str:
    return get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(str(participant.public_id))


class RatingTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.journey = make_journey(self.museum, self.alice)
        self.touchpoints = touchpoints_of(self.journey)
        self.first, self.second = self.touchpoints[:2]
        self.last = self.touchpoints[-1]
        self.page = self.journey.activity.get_absolute_url()

    def rate(
        self,
        touchpoint: Touchpoint,
        journey: Journey | None = None,
        headers: dict[str, str] | None = None,
        **data: Any,
    ) -> Any:
        return self.client.post(
            rate_url(journey or self.journey, touchpoint), data, headers=headers or {}
        )

    def assert_nothing_rated(self) -> None:
        self.assertFalse(Rating.objects.exists())
        self.assertFalse(Respondent.objects.exists())


class StartTests(RatingTestCase):
    def test_an_anonymous_visitor_is_invited_to_rate_and_lands_on_the_first_touchpoint(self):
        response = self.client.get(self.page)
        self.assertContains(response, "Rate the journey")
        self.assertContains(response, "Tell us how you felt at the 5 moments")
        start = url(self.journey, "rate_next")
        self.assertContains(response, f'href="{start}"')
        self.assertRedirects(self.client.get(start), rate_url(self.journey, self.first))

    def test_a_participant_half_way_goes_on_where_they_left_off(self):
        self.login(self.bob)
        rate_all(self.journey, [3, None], participant_of(self.bob))
        response = self.client.get(self.page)
        self.assertContains(response, "Go on")
        self.assertContains(response, "You rated 2 of 5 touchpoints")
        self.assertContains(response, "Rather negative")  # their answer, in the map
        self.assertContains(response, "didn't go through it")
        self.assertRedirects(
            self.client.get(url(self.journey, "rate_next")),
            rate_url(self.journey, self.touchpoints[2]),
        )

    def test_one_who_rated_everything_is_thanked_and_may_change_their_answers(self):
        self.login(self.bob)
        rate_all(self.journey, [3, 4, 5, 6, 7], participant_of(self.bob))
        response = self.client.get(self.page)
        self.assertContains(response, "you rated every touchpoint")
        self.assertContains(response, f'href="{rate_url(self.journey, self.first)}"')
        self.assertRedirects(
            self.client.get(url(self.journey, "rate_next")), url(self.journey, "thanks")
        )

    def test_the_refusals_say_what_to_do(self):
        members_only = make_journey(self.museum, self.alice, "Members' tour", audience="members")
        response = self.client.get(members_only.activity.get_absolute_url())
        self.assertContains(response, "Sign in to rate this journey")
        self.assertContains(response, "Sign in to take part")
        self.assertNotContains(response, "Rate the journey</a>")
        self.login(self.charlie)
        response = self.client.get(members_only.activity.get_absolute_url())
        self.assertContains(response, "Join the space to rate it")
        self.assertContains(response, reverse("spaces:join", args=[self.museum.slug]))
        self.client.logout()
        verified = make_journey(self.museum, self.alice, "Verified tour", audience="verified_email")
        response = self.client.get(verified.activity.get_absolute_url())
        self.assertContains(response, url(verified, "verify_email"))
        do_close_activity(self.alice, self.journey.activity)
        self.assertContains(self.client.get(self.page), "This journey is closed")

    def test_the_organiser_of_a_draft_is_told_when_customers_rate(self):
        draft = make_journey(self.museum, self.alice, "Draft tour", open_it=False)
        self.login(self.alice)
        response = self.client.get(draft.activity.get_absolute_url())
        self.assertContains(response, "Customers rate the journey here once it opens")
        self.assertNotContains(response, "Rate the journey</a>")


class RatingCardTests(RatingTestCase):
    def test_the_card_shows_the_stage_the_place_the_faces_with_words_and_the_choices(self):
        response = self.client.get(rate_url(self.journey, self.second))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Arrival")
        self.assertContains(response, "2 of 5")
        self.assertContains(response, "Finding the entrance")
        self.assertContains(response, "<legend", count=3)
        self.assertContains(response, 'type="radio" name="score"', count=7)
        for word in ["Very negative", "Neutral", "Very positive"]:
            self.assertContains(response, f'<span class="face__word">{word}</span>')
        self.assertContains(response, 'class="face__drawing"', count=7)
        self.assertContains(response, '<path d="M15 35 Q24 19 33 35"/>')  # a frown
        self.assertContains(response, '<path d="M15 32 Q24 48 33 32"/>')  # a smile
        self.assertContains(response, 'type="checkbox" name="words"', count=len(WORD_KEYS))
        self.assertContains(response, "a machine")
        self.assertContains(response, "I didn't go through this")
        self.assertContains(response, f'href="{rate_url(self.journey, self.first)}" rel="prev"')
        self.assertContains(
            response, f'href="{rate_url(self.journey, self.touchpoints[2])}" rel="next"'
        )
        self.assertContains(response, url(self.journey, "propose", self.second.pk))

    def test_a_five_point_journey_shows_five_faces(self):
        journey = make_journey(self.museum, self.alice, "Short tour", scale=5)
        response = self.client.get(rate_url(journey, touchpoints_of(journey)[0]))
        self.assertContains(response, 'type="radio" name="score"', count=5)

    def test_saving_remembers_the_visitor_and_moves_to_the_next_touchpoint(self):
        response = self.rate(
            self.first,
            score="2",
            words=["annoyed", "rushed"],
            preference="person",
            comment=" Slow ",
        )
        self.assertRedirects(
            response, rate_url(self.journey, self.second), fetch_redirect_response=False
        )
        self.assertIn(COOKIE_NAME, response.cookies)
        rating = Rating.objects.get()
        self.assertEqual((rating.score, rating.preference, rating.comment), (2, "person", "Slow"))
        self.assertIsNone(rating.participant.user_id)
        following = self.client.get(response["Location"])
        self.assertContains(following, "Saved: “Buying a ticket online”.")

    def test_with_htmx_the_next_card_swaps_in_place_and_the_address_follows(self):
        response = self.rate(self.first, score="6", headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="rating-card"')
        self.assertContains(response, "Finding the entrance")
        self.assertContains(response, "autofocus")
        self.assertContains(response, "Saved: “Buying a ticket online”.")
        self.assertEqual(response["HX-Push-Url"], rate_url(self.journey, self.second))
        self.assertIn(COOKIE_NAME, response.cookies)
        self.assertEqual(Rating.objects.get().score, 6)

    def test_htmx_asks_for_the_card_alone_but_restoring_history_gets_the_page(self):
        card = self.client.get(rate_url(self.journey, self.first), headers=HTMX)
        self.assertNotContains(card, "<html")
        page = self.client.get(
            rate_url(self.journey, self.first),
            headers={**HTMX, "HX-History-Restore-Request": "true"},
        )
        self.assertContains(page, "<html")

    def test_after_the_last_touchpoint_comes_the_thank_you(self):
        self.assertRedirects(
            self.rate(self.last, score="5"),
            url(self.journey, "thanks"),
            fetch_redirect_response=False,
        )
        response = self.rate(self.last, score="5", headers=HTMX)
        self.assertEqual(response["HX-Redirect"], url(self.journey, "thanks"))
        self.assertContains(self.client.get(rate_url(self.journey, self.last)), "Save and finish")

    def test_i_didnt_go_through_this_saves_a_skip_without_words(self):
        response = self.rate(self.first, skip="1", score="abc", comment="not kept")
        self.assertRedirects(response, rate_url(self.journey, self.second))
        rating = Rating.objects.get()
        self.assertIsNone(rating.score)
        self.assertEqual(rating.comment, "")
        revisit = self.client.get(rate_url(self.journey, self.first))
        self.assertContains(revisit, "You said you didn't go through this")

    def test_revisiting_shows_the_saved_answer_to_change(self):
        self.rate(self.first, score="3", words=["confused"], preference="machine", comment="Slow")
        response = self.client.get(rate_url(self.journey, self.first))
        self.assertContains(response, "Your answer is saved. Change it if you like.")
        self.assertRegex(response.text, r'value="3"[^>]*checked')
        self.assertRegex(response.text, r'value="confused"[^>]*checked')
        self.assertRegex(response.text, r'value="machine"[^>]*checked')
        self.assertContains(response, ">\nSlow</textarea>")
        self.rate(self.first, score="5")
        rating = Rating.objects.get()
        self.assertEqual((rating.score, rating.words, rating.comment), (5, 0, ""))

    def test_a_member_and_the_owner_rate_as_themselves(self):
        for person in (self.bob, self.alice):
            self.login(person)
            response = self.rate(self.first, score="4")
            self.assertNotIn(COOKIE_NAME, response.cookies)
            self.assertTrue(
                Rating.objects.filter(participant=participant_of(person), score=4).exists()
            )

    def test_bad_answers_get_a_message_and_change_nothing(self):
        bad_answers: list[tuple[dict[str, Any], str]] = [
            ({"score": "0"}, "Choose one of the 7 faces."),
            ({"score": "99"}, "Choose one of the 7 faces."),
            ({"score": "abc"}, "Choose one of the 7 faces."),
            ({"score": "٣"}, "Choose one of the 7 faces."),
            ({}, "Choose the face that fits"),
            ({"comment": "Only words"}, "Choose the face that fits"),
            ({"score": "3", "words": ["hungry"]}, "Choose words from the list."),
            ({"score": "3", "words": WORD_KEYS[:5]}, "Choose at most 4 words."),
            ({"score": "3", "preference": "robot"}, "Choose a person, a machine or no preference."),
            ({"score": "3", "comment": "x" * 1001}, "Keep your comment under 1000 characters."),
            ({"score": "3", "comment": "Bad\x1bcode"}, "invisible control characters"),
        ]
        for data, message in bad_answers:
            for headers in ({}, HTMX):
                with self.subTest(data=data, htmx=bool(headers)):
                    response = self.rate(self.first, headers=headers, **data)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, message)
        self.assert_nothing_rated()
        self.assertFalse(Participant.objects.filter(user__isnull=True).exists())

    def test_a_touchpoint_of_another_journey_or_hidden_or_proposed_is_not_found(self):
        other = make_journey(self.museum, self.alice, "Another tour")
        elsewhere = touchpoints_of(other)[0]
        self.assertEqual(self.rate(elsewhere, self.journey, score="3").status_code, 404)
        self.assertEqual(self.client.get(rate_url(self.journey, elsewhere)).status_code, 404)
        Touchpoint.objects.filter(pk=self.second.pk).update(state=TouchpointState.HIDDEN)
        self.assertEqual(self.rate(self.second, score="3").status_code, 404)
        proposer = do_create_anonymous_participant()
        proposal = do_propose_touchpoint(self.journey, proposer, self.first, "Parking")
        self.assertEqual(self.rate(proposal, score="3").status_code, 404)
        self.client.cookies[COOKIE_NAME] = anonymous_cookie(proposer)
        self.assertEqual(self.rate(proposal, score="3").status_code, 404)  # theirs, still waiting
        self.assert_nothing_rated()

    def test_a_closed_journey_takes_no_answer_but_shows_the_saved_one(self):
        self.login(self.bob)
        self.rate(self.first, score="2")
        do_close_activity(self.alice, self.journey.activity)
        for headers in ({}, HTMX):
            response = self.rate(self.first, score="6", headers=headers)
            self.assertContains(response, "This journey is closed")
        self.assertEqual(Rating.objects.get().score, 2)
        response = self.client.get(rate_url(self.journey, self.first))
        self.assertContains(response, "Your answer: Negative.")
        self.assertNotContains(response, 'name="score"')

    def test_a_new_wave_starts_afresh_and_a_closed_wave_takes_nothing(self):
        self.login(self.bob)
        self.rate(self.first, score="2")
        do_start_wave(self.alice, self.journey, label="After the new desk")
        response = self.client.get(rate_url(self.journey, self.first))
        self.assertNotContains(response, "Your answer is saved")
        Wave.objects.filter(journey=self.journey).update(closed_at=timezone.now())
        response = self.rate(self.first, score="6")
        self.assertContains(response, "This journey takes no ratings at the moment.")
        self.assertEqual(list(Rating.objects.values_list("score", flat=True)), [2])

    def test_members_only_journeys_refuse_others_and_blocked_members(self):
        journey = make_journey(self.museum, self.alice, "Members' tour", audience="members")
        first = touchpoints_of(journey)[0]
        self.assertContains(self.rate(first, journey, score="3"), "Sign in to rate this journey")
        self.login(self.charlie)
        self.assertContains(self.rate(first, journey, score="3"), "Join the space to rate it")
        self.assert_nothing_rated()
        self.login(self.bob)
        self.rate(first, journey, score="3")
        self.assertEqual(Rating.objects.get().participant, participant_of(self.bob))
        do_block_member(self.alice, self.museum, self.bob)
        response = self.rate(first, journey, score="6")
        self.assertContains(response, "blocked you")
        self.assertEqual(Rating.objects.get().score, 3)

    def test_too_many_answers_in_a_minute_are_slowed_down(self):
        self.login(self.bob)
        # All in one minute's window, however slow the machine.
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7200.0):
            for _n in range(60):
                self.rate(self.first, score="4")
            response = self.rate(self.first, score="1")
        self.assertContains(response, "a lot of answers in a short time")
        self.assertEqual(Rating.objects.get().score, 4)


class ClosingQuestionTests(RatingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.asking = make_journey(
            self.museum,
            self.alice,
            "Asking tour",
            ask_recommendation=True,
            segment_question="Is this your first visit?",
            segments=["First visit", "Regular"],
        )
        self.first_visit = self.asking.segments.get(label="First visit")

    def test_the_last_touchpoint_leads_to_the_closing_questions(self):
        last = touchpoints_of(self.asking)[-1]
        self.assertRedirects(self.rate(last, self.asking, score="6"), url(self.asking, "closing"))
        response = self.client.get(url(self.asking, "closing"))
        self.assertContains(response, "Is this your first visit?")
        self.assertContains(response, "Regular")
        self.assertContains(response, 'type="radio" name="recommendation"', count=11)
        for number in (0, 10):
            self.assertContains(response, f'value="{number}"')

    def test_the_answers_are_saved_and_the_thank_you_follows(self):
        self.rate(touchpoints_of(self.asking)[0], self.asking, score="6")
        response = self.client.post(
            url(self.asking, "closing"), {"segment": self.first_visit.pk, "recommendation": "9"}
        )
        self.assertRedirects(response, url(self.asking, "thanks"))
        respondent = Respondent.objects.get()
        self.assertEqual((respondent.segment, respondent.recommendation), (self.first_visit, 9))
        self.assertRegex(
            self.client.get(url(self.asking, "closing")).text, r'value="9"[^>]*checked'
        )

    def test_bad_closing_answers_change_nothing(self):
        elsewhere = make_journey(
            self.museum, self.alice, "Other", segment_question="Why?", segments=["A", "B"]
        ).segments.get(label="A")
        for data in (
            {"recommendation": "11"},
            {"recommendation": "-1"},
            {"recommendation": "abc"},
            {"recommendation": "٣"},
            {"segment": elsewhere.pk},
            {"segment": "99999999999999999999999"},
        ):
            with self.subTest(data=data):
                response = self.client.post(url(self.asking, "closing"), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Choose")
        self.assert_nothing_rated()

    def test_a_journey_without_closing_questions_goes_straight_to_the_thank_you(self):
        self.assertRedirects(
            self.client.get(url(self.journey, "closing")), url(self.journey, "thanks")
        )

    def test_a_closed_journey_takes_no_closing_answer(self):
        do_close_activity(self.alice, self.asking.activity)
        response = self.client.post(url(self.asking, "closing"), {"recommendation": "9"})
        self.assertContains(response, "This journey is closed")
        self.assert_nothing_rated()


class ThanksTests(RatingTestCase):
    def test_an_anonymous_participant_is_offered_an_account_that_keeps_the_ratings(self):
        self.rate(self.first, score="6")
        response = self.client.get(url(self.journey, "thanks"))
        self.assertContains(response, "You answered 1 of 5 touchpoints.")
        self.assertContains(response, reverse("account_signup"))
        self.client.post(
            reverse("account_signup"),
            {
                "email": "new.person@example.org",
                "display_name": "New Person",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        user = User.objects.get(email="new.person@example.org")
        self.assertEqual(Rating.objects.get().participant, participant_of(user))

    def test_a_member_is_not_asked_to_sign_up(self):
        self.login(self.bob)
        self.rate(self.first, score="6")
        response = self.client.get(url(self.journey, "thanks"))
        self.assertContains(response, "Thank you!")
        self.assertNotContains(response, "Keep your ratings")


class ProposalTests(RatingTestCase):
    def propose(self, after: Touchpoint, **data: object):
        data = {"name": "Finding a place to park", "channel": "in_person", **data}
        return self.client.post(url(self.journey, "propose", after.pk), data)

    def test_the_form_names_the_touchpoints_around_the_gap(self):
        response = self.client.get(url(self.journey, "propose", self.second.pk))
        self.assertContains(
            response, "Between “Finding the entrance” and “The welcome at the desk”."
        )
        self.assertContains(response, 'name="channel"')

    def test_a_proposal_waits_after_its_touchpoint_and_only_its_proposer_sees_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.propose(self.second, description="There is no sign")
        self.assertRedirects(
            response, rate_url(self.journey, self.second), fetch_redirect_response=False
        )
        self.assertIn(COOKIE_NAME, response.cookies)
        proposal = Touchpoint.objects.get(state=TouchpointState.PROPOSED)
        self.assertEqual(proposal.stage, self.second.stage)
        names = list(
            Touchpoint.objects.filter(stage=self.second.stage)
            .order_by("position")
            .values_list("name", flat=True)
        )
        self.assertEqual(
            names, ["Finding the entrance", "Finding a place to park", "The welcome at the desk"]
        )
        card = self.client.get(rate_url(self.journey, self.second))
        self.assertContains(card, "waits for the organisers")
        self.assertContains(card, "Finding a place to park")
        self.assertContains(card, "Proposed, waiting for approval")
        self.assertContains(self.client.get(self.page), "Finding a place to park")
        self.assertEqual(
            set(Notification.objects.values_list("user", "kind")),
            {(self.alice.pk, "touchpoint_proposed"), (self.maja.pk, "touchpoint_proposed")},
        )
        self.login(self.bob)
        self.assertNotContains(
            self.client.get(rate_url(self.journey, self.second)), "place to park"
        )
        self.assertNotContains(self.client.get(self.page), "place to park")
        self.login(self.alice)
        self.assertContains(self.client.get(self.page), "Finding a place to park")

    def test_a_name_already_in_the_journey_is_refused_whatever_its_case(self):
        response = self.propose(self.first, name="the WELCOME at the desk")
        self.assertContains(response, "The journey has a touchpoint called")
        self.propose(self.first, name="Æblekage")
        response = self.propose(self.second, name="æBLEKAGE")
        self.assertContains(response, "someone proposed it before you")
        self.assertEqual(Touchpoint.objects.filter(state=TouchpointState.PROPOSED).count(), 1)

    def test_a_participant_proposes_at_most_five_a_day(self):
        for number in range(PROPOSALS_PER_PARTICIPANT_PER_DAY):
            self.propose(self.first, name=f"Gap {number}")
        response = self.propose(self.first, name="One more")
        self.assertContains(response, "Come back tomorrow")
        self.assertEqual(
            Touchpoint.objects.filter(state=TouchpointState.PROPOSED).count(),
            PROPOSALS_PER_PARTICIPANT_PER_DAY,
        )

    def test_bad_proposals_change_nothing(self):
        for data in (
            {"name": ""},
            {"name": "x" * 121},
            {"channel": "spaceship"},
            {"description": "x" * 501},
            {"name": "Bad\x00name"},
        ):
            with self.subTest(data=data):
                self.assertEqual(self.propose(self.first, **data).status_code, 200)
        self.assertFalse(Touchpoint.objects.filter(state=TouchpointState.PROPOSED).exists())
        self.assertFalse(Participant.objects.filter(user__isnull=True).exists())

    def test_no_proposals_where_the_journey_takes_none_or_it_is_closed(self):
        journey = make_journey(self.museum, self.alice, "Fixed tour", proposals_allowed=False)
        first = touchpoints_of(journey)[0]
        self.assertNotContains(self.client.get(rate_url(journey, first)), "Something missing")
        response = self.client.post(url(journey, "propose", first.pk), {"name": "Parking"})
        self.assertRedirects(response, rate_url(journey, first), fetch_redirect_response=False)
        do_close_activity(self.alice, self.journey.activity)
        self.propose(self.first)
        self.assertFalse(Touchpoint.objects.filter(state=TouchpointState.PROPOSED).exists())


class VerifiedEmailTests(RatingTestCase):
    def test_a_verified_email_journey_takes_answers_after_the_emailed_link(self):
        journey = make_journey(self.museum, self.alice, "Verified tour", audience="verified_email")
        first = touchpoints_of(journey)[0]
        self.assertContains(self.rate(first, journey, score="3"), "Confirm your email address")
        self.assert_nothing_rated()
        self.client.post(url(journey, "verify_email"), {"email": "Visitor@Example.org"})
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("rate a journey", mail.outbox[0].body)
        link = next(line for line in mail.outbox[0].body.splitlines() if "/email/" in line)
        path = link.split("testserver", 1)[1].strip()
        self.assertContains(self.client.get(path), "visitor@example.org")
        response = self.client.post(path)
        self.assertIn(COOKIE_NAME, response.cookies)
        self.assertRedirects(response, url(journey, "rate_next"), fetch_redirect_response=False)
        self.rate(first, journey, score="3")
        self.assertEqual(
            Rating.objects.get().participant.verified_emails.get().email, "visitor@example.org"
        )

    def test_a_forged_link_is_refused_and_other_journeys_need_no_address(self):
        journey = make_journey(self.museum, self.alice, "Verified tour", audience="verified_email")
        response = self.client.post(url(journey, "confirm_email", "forged"), follow=True)
        self.assertContains(response, "This link is not valid or has expired")
        self.assertRedirects(self.client.get(url(self.journey, "verify_email")), self.page)

    def test_a_bad_address_gets_a_message(self):
        journey = make_journey(self.museum, self.alice, "Verified tour", audience="verified_email")
        response = self.client.post(url(journey, "verify_email"), {"email": "not an address"})
        self.assertContains(response, "Enter a valid email address.")
        self.assertEqual(len(mail.outbox), 0)


def valid_score(score: str) -> bool:
    return score in {str(number) for number in range(1, 8)}


def valid_comment(comment: str) -> bool:
    try:
        no_control_characters(comment)
    except Exception:
        return False
    return len(comment.strip()) <= 1000


class RatingFormFuzzTests(HypothesisTestCase, BaseTestCase):
    journey: Journey
    touchpoint: Touchpoint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.journey = make_journey(cls.museum, cls.alice)
        cls.touchpoint = touchpoints_of(cls.journey)[0]

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(
        score=st.one_of(
            st.sampled_from([str(number) for number in range(1, 8)]),
            st.sampled_from(["0", "8", "99", "-1", "abc", "", " 3", "٣", "3.0", "²"]),
            st.text(max_size=8),
        ),
        words=st.one_of(
            st.lists(st.sampled_from(WORD_KEYS), max_size=5),
            st.lists(st.sampled_from([*WORD_KEYS, "hungry", "", "DELIGHTED"]), max_size=6),
        ),
        preference=st.sampled_from(["", "person", "machine", "none", "robot", "PERSON"]),
        comment=st.one_of(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
            st.integers(min_value=990, max_value=1010).map(lambda n: "é" * n),
        ),
    )
    def test_a_rating_is_saved_exactly_as_given_or_refused_with_nothing_changed(
        self, score, words, preference, comment
    ):
        cache.clear()
        self.client.force_login(self.bob)
        data = {"score": score, "words": words, "preference": preference, "comment": comment}
        response = self.client.post(rate_url(self.journey, self.touchpoint), data)
        valid = (
            valid_score(score)
            and all(word in WORD_KEYS for word in words)
            and len(set(words)) <= 4
            and preference in {"", "person", "machine", "none"}
            and valid_comment(comment)
        )
        rating = Rating.objects.filter(touchpoint=self.touchpoint).first()
        if valid:
            self.assertEqual(response.status_code, 302)
            assert rating is not None
            self.assertEqual(rating.score, int(score))
            self.assertEqual(rating.preference, preference)
            self.assertEqual(rating.comment, comment.strip())
        else:
            self.assertEqual(response.status_code, 200)
            self.assertIsNone(rating)


def at_once(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run the jobs in threads released together; return what went wrong in them."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # reported by the test, in its own thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


class ConcurrentRatingTests(TransactionTestCase):
    def setUp(self) -> None:
        cache.clear()
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        self.journey = make_journey(make_space(owner, "Busy Harbour"), owner)
        self.first = touchpoints_of(self.journey)[0]

    def test_two_first_ratings_from_two_tabs_at_once_make_one_row(self):
        participant = do_create_anonymous_participant()
        statuses: list[int] = []

        def post(score: str) -> Callable[[], None]:
            def job() -> None:
                from django.test import Client

                client = Client()
                client.cookies[COOKIE_NAME] = anonymous_cookie(participant)
                statuses.append(
                    client.post(rate_url(self.journey, self.first), {"score": score}).status_code
                )

            return job

        self.assertEqual(at_once([post("2"), post("6")]), [])
        self.assertEqual(statuses, [302, 302])
        self.assertEqual(Rating.objects.filter(participant=participant).count(), 1)
        self.assertEqual(Respondent.objects.filter(participant=participant).count(), 1)
        self.assertIn(Rating.objects.get().score, {2, 6})

    def test_ten_tabs_rating_one_touchpoint_at_once_keep_one_rating(self):
        participant = do_create_anonymous_participant()

        def rate(score: int) -> Callable[[], None]:
            def job() -> None:
                do_rate(self.journey, participant, self.first, score=score)

            return job

        self.assertEqual(at_once([rate(score) for score in range(1, 8)] + [rate(3)] * 3), [])
        self.assertEqual(Rating.objects.filter(participant=participant).count(), 1)
        self.assertEqual(Respondent.objects.filter(participant=participant).count(), 1)


class RatingNoticeTests(RatingTestCase):
    def test_organisers_read_which_touchpoint_waits_in_which_journey(self):
        from sammen.notifications.kinds import render_notification

        text = render_notification(
            "touchpoint_proposed", {"journey": "A museum visit", "touchpoint": "Parking"}
        )
        self.assertEqual(
            text, "A proposed touchpoint waits for your approval in “A museum visit”: “Parking”"
        )

    def test_the_card_costs_a_fixed_number_of_queries(self):
        participant = rate_all(self.journey, [3, 4])
        self.client.cookies[COOKIE_NAME] = anonymous_cookie(participant)
        self.client.get(rate_url(self.journey, self.second))  # the session settles
        with self.assertNumQueries(9):
            self.client.get(rate_url(self.journey, self.second))
