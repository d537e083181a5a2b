"""No page sends a visitor to another site: every `next` and Referer is checked."""

from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from sammen.core.http import safe_next_url
from sammen.testing import BaseTestCase

FOREIGN = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
]


class SafeNextUrlTests(SimpleTestCase):
    def test_it_keeps_paths_and_addresses_on_this_site(self):
        request = RequestFactory().get("/")
        for url in ["/s/museum/", "/s/museum/?tab=ideas#top", "http://testserver/spaces/"]:
            self.assertEqual(safe_next_url(request, url, "/"), url)

    def test_it_refuses_other_sites_and_schemes(self):
        request = RequestFactory().get("/")
        for url in [*FOREIGN, "", None, "http://testserver.evil.example/"]:
            with self.subTest(url=url):
                self.assertEqual(safe_next_url(request, url, "/fallback/"), "/fallback/")

    def test_it_refuses_plain_http_on_a_secure_site(self):
        request = RequestFactory().get("/", secure=True)
        self.assertEqual(safe_next_url(request, "http://testserver/", "/"), "/")


class LanguageSwitcherRedirectTests(BaseTestCase):
    def test_a_foreign_referer_is_not_followed(self):
        for url in FOREIGN:
            response = self.client.post(
                reverse("core:set_language"), {"language": "nl"}, headers={"referer": url}
            )
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_a_foreign_next_is_not_followed(self):
        for url in FOREIGN:
            response = self.client.post(
                reverse("core:set_language"), {"language": "nl", "next": url}
            )
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)


class LiveOrganiserRedirectTests(BaseTestCase):
    """Locking questions, controlling a poll and opening one after editing it."""

    def setUp(self) -> None:
        from sammen.live.tests.helpers import make_poll, make_session

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
        from sammen.live.models import Poll

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


class SignInRedirectTests(BaseTestCase):
    def test_signing_in_with_a_foreign_next_stays_on_the_site(self):
        from sammen.testing import PASSWORD

        for url in FOREIGN:
            self.client.logout()
            response = self.client.post(
                f"{reverse('account_login')}?next={url}",
                {"login": "bob@example.org", "password": PASSWORD, "next": url},
            )
            self.assertEqual(response.status_code, 302)
            self.assertFalse(response["Location"].lstrip().lstrip("/\\").startswith("evil"))
            self.assertNotIn("evil.example", response["Location"])


def test_every_redirect_target_from_a_request_goes_through_safe_next_url():
    """A `next` or Referer read anywhere in the code is an argument of safe_next_url()."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    unchecked = []
    for path in package.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        checked: set[int] = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "safe_next_url"
            ):
                checked.update(id(inner) for inner in ast.walk(node))
        for node in ast.walk(tree):
            reads_target = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).lower() in {"next", "referer", "http_referer"}
            )
            if reads_target and id(node) not in checked:
                unchecked.append(f"{path.relative_to(package)}:{getattr(node, 'lineno', 0)}")
    assert unchecked == []
