"""The order of a session's polls: moved by organisers, followed by the presenter and results."""

import re

from django.core.cache import cache
from django.utils import translation

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction
from sammen.testing import BaseTestCase, make_member, make_user
from sammen.testing.live import make_poll, make_session

from ..actions import do_close_poll, do_delete_poll, do_move_poll, do_open_poll, do_set_crew_role
from ..models import Poll
from .test_views import organiser_url


class PollOrderTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.first = make_poll(self.session, self.alice, title="First question")
        self.second = make_poll(self.session, self.alice, title="Second question")
        self.third = make_poll(self.session, self.alice, title="Third question")

    def titles(self) -> list[str]:
        return list(self.session.polls.values_list("title", flat=True))

    def places(self) -> list[int]:
        return list(self.session.polls.values_list("position", flat=True))


class MovePollActionTests(PollOrderTestCase):
    def test_a_poll_moves_to_its_new_place_and_the_others_make_room(self):
        do_move_poll(self.alice, self.third, 1)
        self.assertEqual(self.titles(), ["Third question", "First question", "Second question"])
        self.assertEqual(self.places(), [1, 2, 3])
        do_move_poll(self.alice, self.third, 3)
        self.assertEqual(self.titles(), ["First question", "Second question", "Third question"])

    def test_gaps_left_by_deleted_polls_are_closed_when_a_poll_moves(self):
        do_delete_poll(self.alice, self.second)
        fourth = make_poll(self.session, self.alice, title="Fourth question")
        do_move_poll(self.alice, fourth, 2)
        self.assertEqual(self.titles(), ["First question", "Fourth question", "Third question"])
        self.assertEqual(self.places(), [1, 2, 3])

    def test_a_move_is_logged_and_staying_in_place_is_not(self):
        do_move_poll(self.alice, self.first, 1)
        do_move_poll(self.alice, self.first, 2)
        moves = AuditEntry.objects.filter(
            action=AuditAction.LIVE_POLL_CHANGED, details__act="moved"
        )
        self.assertEqual(
            list(moves.values_list("target_id", "details__position")), [(str(self.first.pk), 2)]
        )

    def test_places_outside_the_list_are_refused_in_the_readers_language(self):
        for place in [0, -1, 4, 40]:
            with (
                self.subTest(place=place),
                self.assertRaisesMessage(ActionRefused, "Choose a place from 1 to 3."),
            ):
                do_move_poll(self.alice, self.second, place)
        with translation.override("nl"), self.assertRaises(ActionRefused) as refused:
            do_move_poll(self.alice, self.second, 9)
        self.assertNotIn("Choose a place", refused.exception.message)
        self.assertEqual(self.places(), [1, 2, 3])
        self.assertFalse(AuditEntry.objects.filter(details__act="moved").exists())

    def test_a_poll_deleted_meanwhile_cannot_be_moved(self):
        stale = Poll.objects.get(pk=self.second.pk)
        do_delete_poll(self.alice, self.second)
        with self.assertRaisesMessage(ActionRefused, "This poll is no longer there."):
            do_move_poll(self.alice, stale, 1)


class PollOrderOnOtherPagesTests(PollOrderTestCase):
    def test_the_presenters_next_and_back_follow_the_order(self):
        do_move_poll(self.alice, self.third, 1)
        self.login(self.alice)
        page = self.client.get(organiser_url(self.session, "present/")).content.decode()
        steps = re.findall(r'<option value="poll\|(\d+)"', page)
        self.assertEqual(steps, [str(p.pk) for p in [self.third, self.first, self.second]])
        self.assertIn(f'name="screen" value="poll|{self.third.pk}"', page)  # "Next" from the join

    def test_the_results_page_follows_the_order(self):
        for poll in [self.first, self.second, self.third]:
            do_open_poll(self.alice, poll)
            do_close_poll(self.alice, poll)
        do_move_poll(self.alice, self.first, 3)
        self.login(self.alice)
        page = self.client.get(organiser_url(self.session, "results/")).content.decode()
        found = [page.index(title) for title in ["Second", "Third", "First"]]
        self.assertEqual(found, sorted(found))


class MovePollViewTests(PollOrderTestCase):
    def url(self, poll: Poll) -> str:
        return organiser_url(self.session, f"polls/{poll.pk}/move/")

    def test_the_buttons_work_without_javascript(self):
        self.login(self.alice)
        setup = self.client.get(organiser_url(self.session))
        self.assertContains(setup, f'id="move-up-{self.second.pk}"')
        self.assertNotContains(setup, f'id="move-up-{self.first.pk}"')
        self.assertNotContains(setup, f'id="move-down-{self.third.pk}"')
        response = self.client.post(self.url(self.second), {"position": "1"})
        self.assertRedirects(
            response, organiser_url(self.session) + "#polls-title", fetch_redirect_response=False
        )
        self.assertEqual(self.titles(), ["Second question", "First question", "Third question"])
        self.assertContains(self.client.get(organiser_url(self.session)), "is now number 1")

    def test_with_htmx_only_the_list_comes_back_with_what_happened(self):
        self.login(self.maja)
        response = self.client.post(
            self.url(self.first), {"position": "2"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="live-setup-polls"')
        self.assertContains(response, "is now number 2")
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])
        self.assertEqual(self.titles(), ["Second question", "First question", "Third question"])

    def test_bad_places_and_unknown_polls_get_a_clear_message_and_change_nothing(self):
        self.login(self.alice)
        for place in ["", "abc", "0", "4", "-1", "²", "1.5", "9" * 40]:
            with self.subTest(place=place):
                response = self.client.post(
                    self.url(self.second), {"position": place}, headers={"HX-Request": "true"}
                )
                self.assertContains(response, "Choose a place from 1 to 3.")
                self.assertContains(response, "flash--error")
        response = self.client.post(
            organiser_url(self.session, "polls/999999/move/"), {"position": "1"}, follow=True
        )
        self.assertContains(response, "This poll is no longer there.")
        self.assertEqual(self.places(), [1, 2, 3])
        self.assertEqual(self.titles(), ["First question", "Second question", "Third question"])

    def test_the_message_is_in_the_organisers_language(self):
        self.login(self.alice)
        response = self.client.post(
            self.url(self.second),
            {"position": "7"},
            headers={"HX-Request": "true", "Accept-Language": "da"},
        )
        self.assertNotContains(response, "Choose a place")
        self.assertContains(response, "flash--error")

    def test_only_organisers_reorder_and_forged_moves_change_nothing(self):
        presenter = make_user("Petra")
        make_member(self.museum, presenter)
        do_set_crew_role(self.alice, self.session, presenter, "presenter")
        do_set_crew_role(self.alice, self.session, self.bob, "moderator")
        member = make_user("Mona")
        make_member(self.museum, member)
        refused = {
            "crew presenter": (presenter, 403),
            "crew moderator": (self.bob, 403),
            "member": (member, 403),
            "outsider": (self.charlie, 403),
            "anonymous": (None, 302),  # to the sign-in page
        }
        for who, (person, status) in refused.items():
            self.login(person)
            with self.subTest(who=who):
                response = self.client.post(self.url(self.third), {"position": "1"})
                self.assertEqual(response.status_code, status)
        self.login(None)
        self.client.post(f"/live/{self.session.code}/join/", {"name": "Pia"})
        self.assertEqual(self.client.post(self.url(self.third), {"position": "1"}).status_code, 302)
        private = make_session(self.quiet_room, self.alice, "Private talk")
        hidden = make_poll(private, self.alice)
        self.login(self.charlie)
        url = organiser_url(private, f"polls/{hidden.pk}/move/")
        self.assertEqual(self.client.post(url, {"position": "1"}).status_code, 404)
        self.assertEqual(self.titles(), ["First question", "Second question", "Third question"])
        self.assertFalse(AuditEntry.objects.filter(details__act="moved").exists())
