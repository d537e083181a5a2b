"""Odd numbers in a live session's forms: refused on the screen, never a 500."""

from django.core.cache import cache
from django.urls import reverse

from sammen.live.actions import do_ask_question, do_open_poll, do_show_on_screen
from sammen.live.models import Question, Response, Screen
from sammen.testing import BaseTestCase
from sammen.testing.live import join_anonymously, make_poll, make_session

ODD = ["²", "٣", str(2**64), "9" * 10_000, "-1", " 1"]


class AnsweringWithOddNumbersTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.client.post(f"/live/{self.session.code}/join/", {"name": "Pia"})
        self.room = f"/live/{self.session.code}/"

    def answer(self, poll, data) -> None:
        cache.clear()  # the flood limit is not what these tests are about
        response = self.client.post(f"{self.room}polls/{poll.pk}/answer/", data, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "flash--error")

    def test_an_option_that_is_no_number_is_refused(self):
        poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, poll)
        for value in ODD:
            with self.subTest(value=value[:20]):
                self.answer(poll, {"option": value})
        self.assertFalse(Response.objects.exists())

    def test_a_rating_that_is_no_number_is_refused(self):
        poll = make_poll(self.session, self.alice, "rating")
        do_open_poll(self.alice, poll)
        for value in ODD:
            with self.subTest(value=value[:20]):
                self.answer(poll, {"value": value})
        self.assertFalse(Response.objects.exists())

    def test_a_place_in_a_ranking_that_is_no_number_is_refused(self):
        poll = make_poll(self.session, self.alice, "ranking")
        do_open_poll(self.alice, poll)
        first, second, third = poll.options.order_by("position").values_list("pk", flat=True)
        for value in ODD:
            with self.subTest(value=value[:20]):
                self.answer(poll, {f"rank_{first}": value, f"rank_{second}": 2, f"rank_{third}": 3})
        self.assertFalse(Response.objects.exists())


class OrganisingWithOddNumbersTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.question = do_ask_question(join_anonymously(self.session), "Hide me?")
        self.args = [self.museum.slug, self.session.activity.slug]
        self.login(self.alice)

    def test_moderating_questions_that_are_no_numbers_changes_nothing(self):
        url = reverse("live:moderate_questions", args=self.args)
        for value in ODD:
            with self.subTest(value=value[:20]):
                response = self.client.post(
                    url, {"act": "pin", "question": [self.question.pk, value]}, follow=True
                )
                self.assertContains(response, "Select at least one question.")
        self.assertFalse(Question.objects.get(pk=self.question.pk).pinned)

    def test_showing_a_poll_that_is_no_number_is_refused(self):
        poll = make_poll(self.session, self.alice)
        do_show_on_screen(self.session, Screen.QUESTIONS)
        url = reverse("live:show", args=self.args)
        for value in ODD:
            for data in [{"screen": f"poll|{value}"}, {"use_select": "1", "step": f"poll|{value}"}]:
                with self.subTest(value=value[:20], data=list(data)):
                    self.assertEqual(self.client.post(url, data).status_code, 302)
                    # The presenter view shows no messages; the setup page shows them.
                    response = self.client.get(reverse("live:setup", args=self.args))
                    self.assertContains(response, "Choose a poll of this session.")
        self.session.refresh_from_db()
        self.assertEqual(self.session.screen, Screen.QUESTIONS)
        self.assertIsNotNone(poll.pk)
