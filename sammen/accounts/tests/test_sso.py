import json

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.accounts.sso import Provider, signed_in_with, sso_providers, user_of
from sammen.settings import oidc_apps_from_env
from sammen.testing import BaseTestCase
from sammen.testing.oidc import Person, running_provider, sign_in_with, unused_address

CALLBACK = reverse("openid_connect_callback", kwargs={"provider_id": "acme"})
LOGIN = reverse("openid_connect_login", kwargs={"provider_id": "acme"})


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


class SignInPageTests(BaseTestCase):
    def test_it_shows_a_button_for_each_configured_provider(self):
        with running_provider():
            response = self.client.get(reverse("account_login"))
        self.assertContains(response, "Sign in with Acme Login")
        self.assertContains(response, f'action="{LOGIN}"')

    def test_its_policy_lets_the_button_go_on_to_the_provider_and_no_other_page_does(self):
        with running_provider() as provider:
            login_page = self.client.get(reverse("account_login"))
            other_page = self.client.get(reverse("spaces:directory"))
        form_action = next(
            part
            for part in login_page["Content-Security-Policy"].split(";")
            if "form-action" in part
        )
        self.assertIn(provider.base_url, form_action)
        self.assertNotIn(provider.base_url, other_page["Content-Security-Policy"])

    def test_it_shows_no_button_without_providers(self):
        response = self.client.get(reverse("account_login"))
        self.assertNotContains(response, "Sign in with")
        self.assertNotContains(response, "through your organisation")

    def test_the_button_is_translated(self):
        with running_provider():
            response = self.client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="nl")
        self.assertContains(response, "Inloggen met Acme Login")

    def test_a_provider_added_in_the_admin_gets_a_button_too(self):
        SocialApp.objects.create(
            provider="openid_connect",
            provider_id="staff-login",
            name="Staff Login",
            client_id="x",
            secret="y",
            settings={"server_url": "https://login.example.org"},
        )
        self.assertIn(Provider("staff-login", "Staff Login"), sso_providers())
        response = self.client.get(reverse("account_login"))
        self.assertContains(response, "Sign in with Staff Login")

    def test_the_provider_page_asks_before_leaving_on_a_get(self):
        with running_provider() as provider:
            response = self.client.get(LOGIN)
        self.assertContains(response, "Sign in with Acme Login")
        self.assertEqual(provider.authorizations, 0)


class SignInFlowTests(BaseTestCase):
    def test_a_new_person_gets_an_account_named_as_the_provider_says(self):
        with running_provider() as provider:
            provider.person = Person("u-42", "new@example.org", name="Nora  Newcomer\n")
            response = sign_in_with(self.client, provider, next_url="/spaces/")
        self.assertRedirects(response, "/spaces/", fetch_redirect_response=False)
        user = User.objects.get(email="new@example.org")
        self.assertEqual(signed_in_user_id(self.client), str(user.pk))
        self.assertEqual(user.display_name, "Nora Newcomer")
        self.assertFalse(user.has_usable_password())
        self.assertTrue(EmailAddress.objects.get(user=user).verified)
        self.assertTrue(SocialAccount.objects.filter(user=user, provider="acme", uid="u-42"))

    def test_an_existing_account_with_that_verified_address_is_signed_in_and_connected(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org", name="Robert")
            response = sign_in_with(self.client, provider)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(signed_in_user_id(self.client), str(self.bob.pk))
        self.assertTrue(SocialAccount.objects.filter(user=self.bob, uid="u-bob").exists())
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.display_name, "Bob")  # theirs, not the provider's
        self.assertEqual(User.objects.filter(email="bob@example.org").count(), 1)

    def test_an_address_the_provider_has_not_verified_is_not_trusted(self):
        with running_provider() as provider:
            provider.person = Person("u-evil", "bob@example.org", email_verified=False)
            response = sign_in_with(self.client, provider)
        self.assertNotEqual(signed_in_user_id(self.client), str(self.bob.pk))
        self.assertFalse(SocialAccount.objects.filter(user=self.bob).exists())
        self.assertEqual(User.objects.filter(email__iexact="bob@example.org").count(), 1)
        # As with a sign-up by form: it looks as if a verification email went out, and
        # the address's owner is told someone tried (allauth's enumeration prevention).
        self.assertEqual(response.status_code, 302)
        self.assertEqual([message.to for message in mail.outbox], [["bob@example.org"]])
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.check_password("correct horse battery staple"))

    def test_a_provider_without_an_address_leads_to_a_translated_form_asking_for_one(self):
        self.client.cookies["sammen_language"] = "nl"
        with running_provider() as provider:
            provider.person = Person("u-anon", "", name="Zoë")
            response = sign_in_with(self.client, provider)
            page = self.client.get(response["Location"])
        self.assertContains(page, 'lang="nl"')
        self.assertContains(page, 'name="display_name"')
        self.assertContains(page, 'value="Zoë"')
        self.assertIsNone(signed_in_user_id(self.client))

    def test_connected_accounts_lists_the_provider_for_a_signed_in_person(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org")
            sign_in_with(self.client, provider)
            page = self.client.get(reverse("socialaccount_connections"))
            profile = self.client.get(reverse("accounts:profile"))
        self.assertContains(page, "Acme Login")
        self.assertContains(profile, "Connected accounts")

    def test_download_my_data_holds_the_linked_accounts(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org", name="Robert")
            sign_in_with(self.client, provider)
        data = json.loads(b"".join(self.client.get(reverse("accounts:download_data"))))
        [account] = data["connected_accounts"]
        self.assertEqual((account["provider"], account["id_there"]), ("acme", "u-bob"))
        self.assertEqual(account["what_it_said"]["userinfo"]["name"], "Robert")

    def test_a_second_sign_in_finds_the_connected_account(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org")
            sign_in_with(self.client, provider)
            self.client.post(reverse("account_logout"))
            provider.person = Person("u-bob", "robert@elsewhere.example", email_verified=False)
            sign_in_with(self.client, provider)
        self.assertEqual(signed_in_user_id(self.client), str(self.bob.pk))

    def test_it_records_which_provider_signed_this_session_in(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org")
            sign_in_with(self.client, provider)
            records = self.client.session["account_authentication_methods"]
        methods = [(record["method"], record.get("provider")) for record in records]
        self.assertIn(("socialaccount", "acme"), methods)

    def test_a_signed_in_person_is_not_switched_to_another_account(self):
        self.client.post(
            reverse("account_login"),
            {"login": "bob@example.org", "password": "correct horse battery staple"},
        )
        with running_provider() as provider:
            provider.person = Person("u-other", "someone.else@example.org")
            response = sign_in_with(self.client, provider)
        self.assertContains(response, "A different account", status_code=409)
        self.assertEqual(signed_in_user_id(self.client), str(self.bob.pk))
        self.assertFalse(User.objects.filter(email="someone.else@example.org").exists())

    def test_closed_sign_up_creates_no_account(self):
        with override_settings(SAMMEN_SIGNUP_OPEN=False), running_provider() as provider:
            provider.person = Person("u-new", "new@example.org")
            response = sign_in_with(self.client, provider)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.filter(email="new@example.org").exists())
        self.assertIsNone(signed_in_user_id(self.client))


class FailureTests(BaseTestCase):
    def test_a_callback_with_a_state_nobody_started_is_refused_calmly(self):
        with running_provider():
            response = self.client.get(CALLBACK, {"code": "stolen", "state": "made-up"})
        self.assertContains(response, "Signing in did not work", status_code=401)
        self.assertIsNone(signed_in_user_id(self.client))

    def test_a_callback_whose_state_was_swapped_is_refused(self):
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org")
            start = self.client.post(LOGIN, {"process": "login"})
            back = provider.approve(start["Location"])
            code = back.split("code=")[1].split("&")[0]
            response = self.client.get(CALLBACK, {"code": code, "state": "x" * 12})
        self.assertContains(response, "Signing in did not work", status_code=401)
        self.assertIsNone(signed_in_user_id(self.client))

    def test_a_provider_that_is_down_gets_a_friendly_page_not_a_500(self):
        app = {
            "provider_id": "acme",
            "name": "Acme Login",
            "client_id": "x",
            "secret": "y",
            "settings": {"server_url": unused_address()},
        }
        with override_settings(SOCIALACCOUNT_PROVIDERS={"openid_connect": {"APPS": [app]}}):
            response = self.client.post(LOGIN, {"process": "login"})
        self.assertContains(response, "Signing in did not work", status_code=502)
        self.assertContains(response, "Please try again", status_code=502)

    def test_a_provider_that_goes_down_during_the_sign_in_gets_the_same_page(self):
        with running_provider() as provider:
            start = self.client.post(LOGIN, {"process": "login"})
            back = provider.approve(start["Location"])
            provider.stop()  # the code can no longer be exchanged
            response = self.client.get(f"{CALLBACK}?{back.split('?', 1)[1]}")
        self.assertContains(response, "Signing in did not work", status_code=502)
        self.assertIsNone(signed_in_user_id(self.client))

    def test_a_provider_that_refuses_the_sign_in_is_a_cancelled_or_failed_sign_in(self):
        with running_provider() as provider:
            start = self.client.post(LOGIN, {"process": "login"})
            state = start["Location"].split("state=")[1].split("&")[0]
            response = self.client.get(CALLBACK, {"error": "access_denied", "state": state})
            self.assertEqual(provider.authorizations, 0)
        self.assertRedirects(
            response, reverse("socialaccount_login_cancelled"), fetch_redirect_response=False
        )
        self.assertContains(self.client.get(response["Location"]), "Sign-in cancelled")

    def test_an_unknown_provider_is_a_404(self):
        with running_provider():
            response = self.client.post(
                reverse("openid_connect_login", kwargs={"provider_id": "nobody"})
            )
        self.assertEqual(response.status_code, 404)


class CallbackFuzzTests(HypothesisTestCase):
    @settings(max_examples=25, deadline=None)
    @given(
        code=st.text(max_size=300),
        state=st.text(max_size=300),
        error=st.one_of(st.none(), st.text(max_size=50)),
    )
    def test_no_callback_input_is_a_500(self, code, state, error):
        params = {"code": code, "state": state}
        if error is not None:
            params["error"] = error
        with running_provider():
            response = self.client.get(CALLBACK, params)
        self.assertIn(response.status_code, {302, 400, 401})
        self.assertIsNone(self.client.session.get("_auth_user_id"))


class EnvironmentTests(BaseTestCase):
    def test_it_reads_providers_from_json(self):
        apps = oidc_apps_from_env(
            '[{"id": "acme", "name": "Acme", "server_url": "https://id.acme.example",'
            ' "client_id": "c", "secret": "s"}]'
        )
        self.assertEqual(apps[0]["provider_id"], "acme")
        self.assertEqual(apps[0]["settings"], {"server_url": "https://id.acme.example"})
        self.assertEqual(oidc_apps_from_env(""), [])

    def test_it_refuses_a_broken_configuration_by_name(self):
        broken = [
            "not json",
            '{"id": "acme"}',
            '[{"id": "acme", "name": "Acme"}]',
            '[{"id": "a/b", "name": "A", "server_url": "https://x", "client_id": "c"}]',
            '[{"id": "a", "name": "A", "server_url": "https://x", "client_id": "c"},'
            ' {"id": "a", "name": "B", "server_url": "https://y", "client_id": "d"}]',
        ]
        for value in broken:
            with self.subTest(value=value), self.assertRaises(ImproperlyConfigured) as refusal:
                oidc_apps_from_env(value)
            self.assertIn("SAMMEN_OIDC_PROVIDERS", str(refusal.exception))


class SessionTests(BaseTestCase):
    def test_a_request_without_middleware_learns_how_its_session_signed_in(self):
        """What the live sessions' lean path uses, since it skips the middleware."""
        with running_provider() as provider:
            provider.person = Person("u-bob", "bob@example.org")
            sign_in_with(self.client, provider)
        request = RequestFactory().get("/")
        request.session = self.client.session
        user = user_of(request)
        self.assertEqual(user.pk, self.bob.pk)
        self.assertEqual(signed_in_with(user), frozenset({"acme"}))

    def test_a_password_session_signed_in_with_no_provider(self):
        self.client.post(
            reverse("account_login"),
            {"login": "bob@example.org", "password": "correct horse battery staple"},
        )
        request = RequestFactory().get("/")
        request.session = self.client.session
        self.assertEqual(signed_in_with(user_of(request)), frozenset())
        self.assertEqual(signed_in_with(self.bob), frozenset())
