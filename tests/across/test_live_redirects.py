"""The live session's organiser pages send nobody to another site (see core's test_redirects)."""

from sammen.core.tests.test_redirects import FOREIGN
from sammen.live.models import Poll
from sammen.testing import BaseTestCase
from sammen.testing.live import make_poll, make_session


class LiveOrganiserRedirectTests(BaseTestCase):
    """Locking questions, controlling a poll and opening one after editing it."""

    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        activity = self.session.activity
        self.base = f"/s/{activity.space.slug}/a/{activity.slug}/live/"
        self.login(self.alice)

    def post(self, path: str, data: dict[str, str]):
        return self.client.post(self.base + path, data)

    def test_locking_questions_does_not_leave_the_site(self):
        for url in FOREIGN:
            response = self.post("questions/lock/", {"open": "0", "next": url})
            self.assertRedirects(response, self.base + "moderate/", fetch_redirect_response=False)
        response = self.post("questions/lock/", {"open": "1", "next": self.base + "present/"})
        self.assertRedirects(response, self.base + "present/", fetch_redirect_response=False)

    def test_controlling_a_poll_does_not_leave_the_site(self):
        for url in FOREIGN:
            response = self.post(f"polls/{self.poll.pk}/show-results/", {"next": url})
            self.assertRedirects(response, self.base, fetch_redirect_response=False)
        response = self.post(f"polls/{self.poll.pk}/open/", {"next": self.base + "present/"})
        self.assertRedirects(response, self.base + "present/", fetch_redirect_response=False)

    def test_opening_a_poll_from_its_form_does_not_leave_the_site(self):
        form = {
            "kind": "single",
            "title": "Which way home?",
            "option_1": "Bus",
            "option_2": "Bike",
            "open": "1",
        }
        for url in FOREIGN:
            response = self.post("polls/new/", {**form, "next": url})
            self.assertRedirects(response, self.base + "present/", fetch_redirect_response=False)
            for poll in Poll.objects.filter(session=self.session, state="open"):
                self.post(f"polls/{poll.pk}/close/", {})
