from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from sammen.testing import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    url = reverse("account_login")

    def attempt(self, password: str, email: str = "bob@example.org"):
        return self.client.post(self.url, {"login": email, "password": password})

    def test_it_signs_in_and_rotates_the_session_key(self):
        self.client.get(self.url)
        before = self.client.session.session_key
        response = self.attempt(PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertNotEqual(self.client.session.session_key, before)
        self.assertEqual(str(self.client.session["_auth_user_id"]), str(self.bob.pk))

    def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(self):
        wrong = self.attempt("not the password")
        unknown = self.attempt("not the password", email="nobody@example.org")
        self.assertEqual(wrong.status_code, 200)
        self.assertEqual(unknown.status_code, 200)
        self.assertEqual(wrong.context["form"].errors, unknown.context["form"].errors)

    def test_it_throttles_after_repeated_failures_even_with_the_right_password(self):
        for _attempt in range(5):
            self.attempt("not the password")
        response = self.attempt(PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Too many failed login attempts")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_password_reset_does_not_reveal_whether_an_account_exists(self):
        known = self.client.post(reverse("account_reset_password"), {"email": "bob@example.org"})
        unknown = self.client.post(
            reverse("account_reset_password"), {"email": "nobody@example.org"}
        )
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known.headers.get("Location"), unknown.headers.get("Location"))
        self.assertEqual(next(message.to for message in mail.outbox), ["bob@example.org"])

    def test_signing_out_needs_a_post(self):
        self.login(self.bob)
        self.client.get(reverse("account_logout"))
        self.assertIn("_auth_user_id", self.client.session)
        self.client.post(reverse("account_logout"))
        self.assertNotIn("_auth_user_id", self.client.session)


class OwnerTwoFactorTests(BaseTestCase):
    def test_owners_may_manage_without_two_factor_unless_the_operator_requires_it(self):
        self.login(self.alice)
        url = reverse("spaces:edit", args=[self.museum.slug])
        self.assertEqual(self.client.get(url).status_code, 200)

    @override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=True)
    def test_owners_are_sent_to_set_up_two_factor_when_required(self):
        self.login(self.alice)
        response = self.client.get(reverse("spaces:edit", args=[self.museum.slug]))
        self.assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)

    @override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=True)
    def test_owners_with_two_factor_pass(self):
        Authenticator.objects.create(
            user=self.alice, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        self.login(self.alice)
        response = self.client.get(reverse("spaces:edit", args=[self.museum.slug]))
        self.assertEqual(response.status_code, 200)

    @override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=True)
    def test_members_are_not_asked_for_two_factor(self):
        self.login(self.bob)
        response = self.client.get(reverse("spaces:home", args=[self.museum.slug]))
        self.assertEqual(response.status_code, 200)
