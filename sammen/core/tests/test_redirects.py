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
