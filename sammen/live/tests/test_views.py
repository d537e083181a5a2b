"""Live session pages: joining, taking part with and without JavaScript, who may see what."""

from typing import Any

from django.core.cache import cache
from django.test import override_settings

from sammen.accounts.participants import COOKIE_NAME
from sammen.testing import BaseTestCase, make_user, one_rate_window
from sammen.testing.live import join_anonymously, make_poll, make_session

from ..actions import do_ask_question, do_open_poll, do_renew_join_code, do_set_crew_role
from ..models import Attendee, Question, Response


def organiser_url(session: Any, name: str = "") -> str:
    activity = session.activity
    return f"/s/{activity.space.slug}/a/{activity.slug}/live/{name}"


class JoiningViewTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)

    def test_a_code_typed_in_any_case_with_spaces_leads_to_the_session(self):
        code = self.session.code
        response = self.client.post("/join/", {"code": f" {code[:3].lower()} {code[3:]} "})
        self.assertRedirects(response, f"/live/{code}/")
        self.assertRedirects(self.client.get(f"/j/{code.lower()}"), f"/live/{code}/")

    def test_an_unknown_code_gets_a_clear_message(self):
        response = self.client.post("/join/", {"code": "XXXXXX"})
        self.assertContains(response, "No session has this code")
        self.assertEqual(self.client.get("/live/XXXXXX/").status_code, 404)

    def test_a_wrong_or_old_short_link_lands_on_the_join_form_with_the_code_kept(self):
        old_code = self.session.code
        do_renew_join_code(self.alice, self.session)
        for url in [f"/j/{old_code.lower()}", f"/live/{old_code}/", "/j/abc-def"]:
            response = self.client.get(url)
            self.assertContains(response, "No session has this code", status_code=404)
            self.assertContains(response, 'action="/join/"', status_code=404)
        self.assertContains(response, 'value="ABCDEF"', status_code=404)
        response = self.client.get(f"/j/{old_code}", headers={"accept-language": "da"})
        self.assertContains(response, "Ingen session har denne kode", status_code=404)
        self.assertContains(response, f'value="{old_code}"', status_code=404)

    def test_every_page_offers_to_join_with_a_code(self):
        home = self.client.get("/")
        self.assertContains(home, '<form class="code-entry" method="get" action="/join/">')
        self.assertContains(home, 'name="code"')
        self.assertContains(self.client.get("/spaces/"), '<li><a href="/join/">Join</a></li>')
        self.login(self.bob)
        self.assertContains(self.client.get("/"), 'action="/join/"')
        response = self.client.get("/join/", {"code": self.session.code.lower()})
        self.assertRedirects(response, f"/live/{self.session.code}/")

    def test_one_tap_joins_without_an_account_and_the_browser_comes_back_as_the_same_person(self):
        response = self.client.post(f"/live/{self.session.code}/join/", {"name": ""})
        self.assertRedirects(response, f"/live/{self.session.code}/")
        self.assertIn(COOKIE_NAME, response.cookies)
        attendee = Attendee.objects.get()
        page = self.client.get(f"/live/{self.session.code}/")
        self.assertContains(page, f"You take part as <strong>{attendee.name}</strong>", html=False)
        self.client.post(f"/live/{self.session.code}/join/", {"name": ""})
        self.assertEqual(Attendee.objects.count(), 1)

    def test_a_session_that_is_not_open_cannot_be_joined(self):
        draft = make_session(self.museum, self.alice, "Draft", open_it=False)
        self.assertEqual(self.client.get(f"/live/{draft.code}/").status_code, 404)
        self.login(self.alice)
        self.assertContains(self.client.get(f"/live/{draft.code}/"), "has not started yet")


class TakingPartViewTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.client.post(f"/live/{self.session.code}/join/", {"name": "Pia"})
        self.attendee = Attendee.objects.get(name="Pia")
        self.room = f"/live/{self.session.code}/"

    def test_asking_without_javascript_redirects_and_with_htmx_swaps_the_form(self):
        response = self.client.post(f"{self.room}questions/", {"text": "When does it end?"})
        self.assertRedirects(response, f"{self.room}#questions", fetch_redirect_response=False)
        response = self.client.post(
            f"{self.room}questions/",
            {"text": "And who speaks next?"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Others can vote for it now")
        self.assertEqual(Question.objects.count(), 2)

    def test_bad_input_is_refused_with_a_message_and_changes_nothing(self):
        response = self.client.post(f"{self.room}questions/", {"text": "x" * 400}, follow=True)
        self.assertContains(response, "300 characters")
        response = self.client.post(
            f"{self.room}questions/", {"text": " "}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "flash--error")
        self.assertEqual(response["HX-Retarget"], "#live-alert")
        self.assertFalse(Question.objects.exists())

    def test_a_vote_on_a_closed_poll_and_a_forged_option_are_refused(self):
        poll = make_poll(self.session, self.alice)
        other = make_poll(self.session, self.alice)
        first = poll.options.get(position=0).pk
        response = self.client.post(f"{self.room}polls/{poll.pk}/answer/", {"option": first})
        self.assertEqual(response.status_code, 404)  # not opened yet: unknown to participants
        do_open_poll(self.alice, poll)
        foreign = other.options.get(position=0).pk
        response = self.client.post(
            f"{self.room}polls/{poll.pk}/answer/", {"option": foreign}, follow=True
        )
        self.assertContains(response, "Choose one of the answers")
        self.client.post(f"{self.room}polls/{poll.pk}/answer/", {"option": first})
        self.client.post(f"{self.room}polls/{poll.pk}/answer/", {"option": first})
        self.assertEqual(Response.objects.count(), 1)

    def test_floods_from_one_person_are_slowed_down(self):
        with one_rate_window():
            for number in range(3):
                self.client.post(f"{self.room}questions/", {"text": f"Question {number}"})
            response = self.client.post(f"{self.room}questions/", {"text": "One more"}, follow=True)
        self.assertContains(response, "Wait a minute")
        self.assertEqual(Question.objects.count(), 3)
        with one_rate_window():
            for _reaction in range(10):
                self.client.post(f"{self.room}react/", {"kind": "heart"})
            response = self.client.post(f"{self.room}react/", {"kind": "heart"}, follow=True)
        self.assertContains(response, "Wait a few seconds")
        self.assertEqual(self.session.reactions.count(), 10)

    @override_settings(SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR=2)
    def test_one_network_address_has_a_limit_too(self):
        for _visitor in range(2):
            self.client.cookies.clear()
            self.client.post(f"{self.room}join/", {"name": ""})
        self.client.cookies.clear()
        response = self.client.post(f"{self.room}join/", {"name": ""}, follow=True)
        self.assertContains(response, "So many people joined from your network")

    def test_forged_moderator_actions_are_refused(self):
        question = do_ask_question(join_anonymously(self.session), "Hide me?")
        response = self.client.post(
            organiser_url(self.session, "moderate/questions/"),
            {"question": question.pk, "act": "hide", "reason": "No"},
        )
        self.assertEqual(response.status_code, 302)  # to the sign-in page
        self.login(self.bob)
        response = self.client.post(
            organiser_url(self.session, "moderate/questions/"),
            {"question": question.pk, "act": "hide", "reason": "No"},
        )
        self.assertEqual(response.status_code, 403)
        question.refresh_from_db()
        self.assertEqual(question.status, "visible")


EVERYONE = {"organiser": 200, "moderator": 200, "presenter": 200, "member": 200, "outsider": 200}


class PermissionMatrixTests(BaseTestCase):
    """Every organiser page for organiser, crew moderator, crew presenter, member, outsider."""

    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        self.moderator = self.bob
        self.presenter = make_user("Petra")
        from sammen.testing import make_member

        make_member(self.museum, self.presenter)
        self.member = make_user("Mona")
        make_member(self.museum, self.member)
        do_set_crew_role(self.alice, self.session, self.moderator, "moderator")
        do_set_crew_role(self.alice, self.session, self.presenter, "presenter")

    def check(self, url: str, expected: dict[str, int]) -> None:
        people = {
            "organiser": self.alice,
            "moderator": self.moderator,
            "presenter": self.presenter,
            "member": self.member,
            "outsider": self.charlie,
        }
        for role, status in expected.items():
            self.login(people[role])
            with self.subTest(url=url, role=role):
                self.assertEqual(self.client.get(url).status_code, status)

    def test_organiser_pages(self):
        only = {
            "organiser": 200,
            "moderator": 403,
            "presenter": 403,
            "member": 403,
            "outsider": 403,
        }
        self.check(organiser_url(self.session), only)
        moderate = {
            "organiser": 200,
            "moderator": 200,
            "presenter": 403,
            "member": 403,
            "outsider": 403,
        }
        self.check(organiser_url(self.session, "moderate/"), moderate)
        present = {
            "organiser": 200,
            "moderator": 403,
            "presenter": 200,
            "member": 403,
            "outsider": 403,
        }
        self.check(organiser_url(self.session, "present/"), present)
        self.check(organiser_url(self.session, "polls/new/"), present)
        self.check(organiser_url(self.session, f"polls/{self.poll.pk}/"), present)
        crew = {
            "organiser": 200,
            "moderator": 200,
            "presenter": 200,
            "member": 403,
            "outsider": 403,
        }
        self.check(organiser_url(self.session, "results/"), crew)
        self.check(organiser_url(self.session, "results/polls.csv"), crew)

    def test_the_room_is_for_everyone_who_may_see_the_space(self):
        self.check(f"/live/{self.session.code}/", EVERYONE)
        private = make_session(self.quiet_room, self.alice, "Private talk")
        self.login(self.charlie)
        self.assertEqual(self.client.get(f"/live/{private.code}/").status_code, 404)
        self.login(None)
        self.assertEqual(self.client.get(f"/live/{private.code}/").status_code, 404)

    def test_results_are_public_once_the_session_closed(self):
        from sammen.activities.actions import do_close_activity

        do_close_activity(self.alice, self.session.activity)
        self.check(organiser_url(self.session, "results/"), EVERYONE)
        self.login(None)
        self.assertEqual(self.client.get(organiser_url(self.session, "results/")).status_code, 200)

    def test_exports_never_name_anonymous_askers(self):
        attendee = join_anonymously(self.session, "Secret Name")
        do_ask_question(attendee, "Quiet question", anonymous=True)
        self.login(self.alice)
        exported = self.client.get(organiser_url(self.session, "results/results.json")).json()
        self.assertEqual(exported["questions"][0]["asked_by"], "")
        self.assertNotIn("Secret Name", str(exported))
        self.assertNotIn("@", str(exported))


class ChartTests(BaseTestCase):
    def test_svg_coordinates_use_a_decimal_point_in_every_language(self):
        """SVG reads "300,5" as two numbers: Dutch, Danish and Swedish must not localise them."""
        import re

        from django.template.loader import render_to_string
        from django.utils import translation

        from ..actions import do_answer_poll
        from ..queries import poll_result

        session = make_session(self.museum, self.alice)
        poll = make_poll(session, self.alice, "text")
        do_open_poll(self.alice, poll)
        for number, text in enumerate(["harbour ships", "harbour lights", "old ships"]):
            do_answer_poll(join_anonymously(session, f"P{number}"), poll, text=text)
        for language in ["nl", "da", "sv"]:
            with translation.override(language):
                html = render_to_string(
                    "live/_results.html",
                    {
                        "poll": poll,
                        "result": poll_result(poll),
                        "size": "large",
                        "session": session,
                    },
                )
            self.assertIn("harbour</text>", html)
            self.assertIsNone(re.search(r'(x|y|font-size)="\d+,\d', html), language)
