"""Showing and hiding a poll's results on the big screen and on the phones."""

import asyncio
from typing import Any
from unittest.mock import patch

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.core.signing import get_cookie_signer
from django.test import AsyncClient, TransactionTestCase
from django.urls import reverse

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.audit.models import AuditEntry
from sammen.live.audit_actions import AuditAction
from sammen.testing import BaseTestCase, make_member, make_space, make_user
from sammen.testing.live import join_anonymously, make_poll, make_session

from ..actions import (
    LiveSettings,
    do_answer_poll,
    do_close_poll,
    do_open_poll,
    do_reset_poll,
    do_set_crew_role,
    do_set_poll_results_shown,
    do_update_live_settings,
)
from ..events import Event
from ..models import Attendee, Poll
from .test_stream import parse_events, stream_of
from .test_views import organiser_url


def results_log(poll: Poll) -> list[object]:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.LIVE_POLL_CHANGED,
            target_id=str(poll.pk),
            details__act__startswith="results",
        )
        .order_by("id")
        .values_list("details__act", flat=True)
    )


class ResultsShownActionTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)

    def test_without_a_choice_results_show_as_the_session_says_and_always_once_closed(self):
        quiz = make_poll(self.session, self.alice, correct=0, title="Which year?")
        do_open_poll(self.alice, self.poll)
        do_open_poll(self.alice, quiz)
        self.assertTrue(self.poll.results_revealed(self.session))
        self.assertFalse(quiz.results_revealed(self.session))  # it would give the answer away
        do_update_live_settings(
            self.alice, self.session, LiveSettings(results_to_participants=False)
        )
        self.assertFalse(self.poll.results_revealed(self.session))
        do_close_poll(self.alice, self.poll)
        do_close_poll(self.alice, quiz)
        self.assertTrue(self.poll.results_revealed(self.session))
        self.assertTrue(quiz.results_revealed(self.session))

    def test_the_presenters_choice_wins_in_every_state_and_is_stored_and_logged(self):
        do_open_poll(self.alice, self.poll)
        do_set_poll_results_shown(self.alice, self.poll, shown=False)
        self.poll.refresh_from_db()
        self.assertIs(self.poll.results_shown, False)
        self.assertFalse(self.poll.results_revealed(self.session))
        do_close_poll(self.alice, self.poll)
        self.assertFalse(self.poll.results_revealed(self.session))  # closing does not reveal
        do_set_poll_results_shown(self.alice, self.poll, shown=True)
        self.poll.refresh_from_db()
        self.assertTrue(self.poll.results_revealed(self.session))
        self.assertEqual(results_log(self.poll), ["results hidden", "results shown"])

    def test_choosing_what_is_already_chosen_changes_and_logs_nothing(self):
        do_set_poll_results_shown(self.alice, self.poll, shown=False)
        with patch("sammen.live.actions.polls.publish") as publish:
            do_set_poll_results_shown(self.alice, self.poll, shown=False)
        publish.assert_not_called()
        self.assertEqual(results_log(self.poll), ["results hidden"])

    def test_every_screen_hears_of_the_change_after_it_is_stored(self):
        with (
            patch("sammen.live.actions.polls.publish") as publish,
            self.captureOnCommitCallbacks(execute=True),
        ):
            do_set_poll_results_shown(self.alice, self.poll, shown=True)
        publish.assert_called_once_with(self.session.pk, Event.results(self.poll.pk))

    def test_resetting_a_poll_gives_its_results_back_to_the_default(self):
        do_open_poll(self.alice, self.poll)
        do_set_poll_results_shown(self.alice, self.poll, shown=False)
        do_reset_poll(self.alice, self.poll)
        self.poll.refresh_from_db()
        self.assertIsNone(self.poll.results_shown)


class ResultsOnPhonesTests(BaseTestCase):
    """A phone follows the presenter's choice, and always shows its own answer."""

    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, self.poll)
        self.room = f"/live/{self.session.code}/"
        self.client.post(f"{self.room}join/", {"name": "Pia"})
        pia = Attendee.objects.get(name="Pia")
        self.harbour = self.poll.options.get(label="Harbour")
        do_answer_poll(pia, self.poll, option_ids=[self.harbour.pk])

    def test_hidden_results_leave_only_your_own_answer_on_your_phone(self):
        do_set_poll_results_shown(self.alice, self.poll, shown=False)
        page = self.client.get(self.room)
        self.assertContains(page, "The results are hidden for now.")
        self.assertNotContains(page, "live-chart")
        self.assertContains(page, f'value="{self.harbour.pk}" checked')
        do_set_poll_results_shown(self.alice, self.poll, shown=True)
        page = self.client.get(self.room)
        self.assertContains(page, 'data-total="1"')
        self.assertNotContains(page, "The results are hidden for now.")

    def test_a_quiz_answer_stays_yours_while_the_results_wait(self):
        quiz = make_poll(self.session, self.alice, correct=1, title="Which year?")
        do_open_poll(self.alice, quiz)
        pia = Attendee.objects.get(name="Pia")
        do_answer_poll(pia, quiz, option_ids=[quiz.options.get(position=1).pk])
        page = self.client.get(self.room)
        self.assertContains(page, "Your answer is in.")
        self.assertContains(page, '<span class="live-poll__own" lang="en">Station</span>')
        self.assertContains(page, "The right answer shows when the question closes.")

    def test_answering_a_quiz_says_once_that_the_answer_is_in(self):
        quiz = make_poll(self.session, self.alice, correct=1, title="Which year?")
        do_open_poll(self.alice, quiz)
        answer = reverse("live:answer", args=[self.session.code, quiz.pk])
        option = quiz.options.get(position=2)
        response = self.client.post(answer, {"option": option.pk}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "Your answer is in.", count=1)
        self.assertContains(response, option.label)
        page = self.client.post(answer, {"option": option.pk}, follow=True)
        self.assertContains(page, "Your answer is in.")


class ResultsShownViewTests(BaseTestCase):
    """Only the presenter and the organisers choose; everyone else changes nothing."""

    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, self.poll)
        self.presenter = make_user("Petra")
        make_member(self.museum, self.presenter)
        self.member = make_user("Mona")
        make_member(self.museum, self.member)
        do_set_crew_role(self.alice, self.session, self.bob, "moderator")
        do_set_crew_role(self.alice, self.session, self.presenter, "presenter")
        self.present = organiser_url(self.session, "present/")

    def url(self, step: str, poll: Poll | None = None) -> str:
        return organiser_url(self.session, f"polls/{(poll or self.poll).pk}/{step}/")

    def test_the_presenter_view_offers_the_switch_with_the_r_key(self):
        self.login(self.presenter)
        page = self.client.get(self.present)
        self.assertContains(page, 'data-key="r"')
        self.assertContains(page, "Hide the results")
        self.assertContains(page, "R shows or hides its results")

    def test_without_javascript_the_switch_posts_and_comes_back_to_the_presenter_view(self):
        for person in [self.alice, self.maja, self.presenter]:
            self.login(person)
            response = self.client.post(self.url("hide-results"), {"next": self.present})
            self.assertRedirects(response, self.present, fetch_redirect_response=False)
            self.poll.refresh_from_db()
            self.assertIs(self.poll.results_shown, False)
            response = self.client.post(self.url("show-results"), {"next": self.present})
            self.poll.refresh_from_db()
            self.assertIs(self.poll.results_shown, True)

    def test_with_htmx_the_controls_come_back_with_the_switch_turned(self):
        self.login(self.presenter)
        response = self.client.post(self.url("hide-results"), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="presenter-controls"')
        self.assertContains(response, "Show the results")
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])

    def test_the_big_screen_shows_how_many_answered_while_the_results_are_hidden(self):
        first = self.poll.options.get(position=0).pk
        do_answer_poll(join_anonymously(self.session), self.poll, option_ids=[first])
        self.login(self.alice)
        self.client.post(self.url("hide-results"))
        page = self.client.get(self.present)
        self.assertContains(page, "The results are hidden for now.")
        self.assertContains(page, "1 answer")
        self.assertNotContains(page, "live-bars")

    def test_the_organisers_page_shows_and_hides_results_too(self):
        self.login(self.alice)
        setup = self.client.get(organiser_url(self.session))
        self.assertContains(setup, "results shown")
        self.assertContains(setup, self.url("hide-results"))
        response = self.client.post(self.url("hide-results"))
        self.assertRedirects(response, organiser_url(self.session), fetch_redirect_response=False)
        self.assertContains(self.client.get(organiser_url(self.session)), "results hidden")

    def test_forged_requests_are_refused_and_change_nothing(self):
        outsiders = {
            "crew moderator": (self.bob, 403),
            "member": (self.member, 403),
            "outsider": (self.charlie, 403),
            "anonymous": (None, 302),  # to the sign-in page
        }
        for who, (person, status) in outsiders.items():
            self.login(person)
            for step in ["hide-results", "show-results"]:
                with self.subTest(who=who, step=step):
                    response = self.client.post(self.url(step), headers={"HX-Request": "true"})
                    self.assertEqual(response.status_code, status)
        # A participant on their phone, with the room's cookie and no account.
        self.login(None)
        self.client.post(f"/live/{self.session.code}/join/", {"name": "Pia"})
        self.assertEqual(self.client.post(self.url("hide-results")).status_code, 302)
        self.poll.refresh_from_db()
        self.assertIsNone(self.poll.results_shown)
        self.assertEqual(results_log(self.poll), [])

    def test_polls_of_other_sessions_and_private_spaces_are_not_found(self):
        other = make_session(self.museum, self.alice, "Other talk")
        foreign = make_poll(other, self.alice)
        self.login(self.presenter)
        self.assertEqual(self.client.post(self.url("hide-results", foreign)).status_code, 404)
        private = make_session(self.quiet_room, self.alice, "Private talk")
        hidden = make_poll(private, self.alice)
        self.login(self.charlie)
        url = organiser_url(private, f"polls/{hidden.pk}/hide-results/")
        self.assertEqual(self.client.post(url).status_code, 404)
        foreign.refresh_from_db()
        hidden.refresh_from_db()
        self.assertIsNone(foreign.results_shown)
        self.assertIsNone(hidden.results_shown)


class ResultsShownStreamTests(TransactionTestCase):
    """The switch reaches open phones and the big screen over their event streams."""

    def setUp(self) -> None:
        self.owner = make_user("Olga")
        self.space = make_space(self.owner, "Concert Hall")
        self.session = make_session(self.space, self.owner)
        self.poll = make_poll(self.session, self.owner)
        do_open_poll(self.owner, self.poll)
        attendee = join_anonymously(self.session, "Pia")
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.async_client.cookies[COOKIE_NAME] = signer.sign(str(attendee.participant.public_id))

    async def swapped(self, content: Any, target: str, text: str) -> str:
        """Return the first HTML swapped into `target` that contains `text`."""
        while True:
            chunk = await asyncio.wait_for(content.__anext__(), 5)
            for event in parse_events(chunk):
                html = event.get("swap", {}).get(target, "")
                if text in html:
                    return str(html)

    async def test_hiding_and_showing_reach_phones_and_the_big_screen_without_a_reload(self):
        events = f"/live/{self.session.code}/events/"
        phone = stream_of(await self.async_client.get(events))
        projector_client = AsyncClient()
        await sync_to_async(projector_client.force_login)(self.owner)
        projector = stream_of(await projector_client.get(f"{events}?view=presenter"))
        await self.swapped(phone, "live-polls", "data-total")
        await self.swapped(projector, "stage", "data-total")
        await sync_to_async(do_set_poll_results_shown)(self.owner, self.poll, shown=False)
        hidden = "The results are hidden for now."
        await self.swapped(phone, f"poll-{self.poll.pk}-results", hidden)
        await self.swapped(projector, f"stage-poll-{self.poll.pk}-results", hidden)
        await sync_to_async(do_set_poll_results_shown)(self.owner, self.poll, shown=True)
        await self.swapped(phone, f"poll-{self.poll.pk}-results", 'data-total="0"')
        await self.swapped(projector, f"stage-poll-{self.poll.pk}-results", 'data-total="0"')
        await phone.aclose()
        await projector.aclose()
