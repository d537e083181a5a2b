import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sammen import settings as production_settings
from sammen.testing import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]


class SecurityHeaderTests(BaseTestCase):
    def test_every_page_sends_the_security_headers(self):
        for url in [reverse("home"), reverse("account_login"), self.museum.get_absolute_url()]:
            response = self.client.get(url)
            with self.subTest(url=url):
                csp = response.headers["Content-Security-Policy"]
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response.headers["Referrer-Policy"], "same-origin")
                self.assertEqual(response.headers["X-Frame-Options"], "DENY")
                self.assertIn("camera=()", response.headers["Permissions-Policy"])

    def test_pages_have_no_inline_scripts(self):
        self.login(self.alice)
        for url in [reverse("home"), self.museum.get_absolute_url(), reverse("accounts:profile")]:
            body = self.client.get(url).content.decode()
            self.assertNotIn("<script>", body)
            self.assertNotIn(" onclick=", body)

    def test_session_and_csrf_cookies_are_http_only_and_same_site(self):
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_COOKIE_SAMESITE, "Lax")
        self.assertEqual(settings.CSRF_COOKIE_SAMESITE, "Lax")

    def test_forms_need_a_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.charlie)
        response = client.post(reverse("spaces:join", args=[self.museum.slug]))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Please try again", status_code=403)
        self.assertFalse(self.museum.memberships.filter(user=self.charlie).exists())

    def test_passwords_are_hashed_with_argon2_in_production(self):
        self.assertEqual(
            production_settings.PASSWORD_HASHERS[0],
            "django.contrib.auth.hashers.Argon2PasswordHasher",
        )


def run_sammen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sammen", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# What the test run sets for itself and a real deployment never has.
TEST_ONLY_VARIABLES = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "SAMMEN_TESTING",
    "TASKS_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_env(tmp: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    env.update({"SAMMEN_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "sammen.settings", **extra})
    return env


@pytest.mark.own_sqlite
def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = clean_env(
        str(tmp_path),
        SAMMEN_HTTPS="1",
        SECRET_KEY="a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="sammen.example.org",
    )
    result = run_sammen("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.own_sqlite
def test_without_a_configured_secret_key_one_is_generated_once_and_kept(tmp_path):
    env = clean_env(str(tmp_path))
    env.pop("SECRET_KEY", None)
    first = run_sammen(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env=env,
    )
    second = run_sammen(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env=env,
    )
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key == second.stdout.strip()
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.own_sqlite
def test_debug_is_off_unless_asked(tmp_path):
    result = run_sammen(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=clean_env(str(tmp_path)),
    )
    assert result.stdout.strip() == "False"
