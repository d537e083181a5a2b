"""Signing in keeps the language a person reads in, unless they chose one in their profile."""

from django.conf import settings
from django.core import mail
from django.urls import reverse

from sammen.accounts.actions import do_create_account, do_update_profile
from sammen.accounts.models import User
from sammen.notifications.actions import do_notify
from sammen.testing import PASSWORD, BaseTestCase

SIGNED_IN = {
    "en": "Successfully signed in as Bob.",
    "nl": "Je bent nu ingelogd als Bob.",
    "da": "Du er nu logget ind som Bob.",
    "sv": "Du är nu inloggad som Bob.",
}
SIGNED_OUT = {
    "en": "You have signed out.",
    "nl": "Je bent uitgelogd.",
    "da": "Du er nu logget ud.",
    "sv": "Du är nu utloggad.",
}


class SignInLanguageTests(BaseTestCase):
    def sign_in(self, reading: str):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = reading
        return self.client.post(
            reverse("account_login"),
            {"login": "bob@example.org", "password": PASSWORD},
            follow=True,
        )

    def choose(self, language: str) -> None:
        do_update_profile(self.bob, display_name="Bob", preferred_language=language)

    def test_signing_in_keeps_the_language_being_read_and_says_so_in_it(self):
        for language, message in SIGNED_IN.items():
            with self.subTest(language=language):
                self.client.logout()
                response = self.sign_in(language)
                self.assertContains(response, f'<html lang="{language}">')
                self.assertContains(response, message)

    def test_a_language_chosen_in_the_profile_wins_and_its_message_matches_the_page(self):
        self.choose("sv")
        response = self.sign_in("nl")
        self.assertContains(response, '<html lang="sv">')
        self.assertContains(response, SIGNED_IN["sv"])
        self.assertNotContains(response, SIGNED_IN["nl"])
        # The choice stays with the browser after signing out, and so does the message.
        response = self.client.post(reverse("account_logout"), follow=True)
        self.assertContains(response, '<html lang="sv">')
        self.assertContains(response, SIGNED_OUT["sv"])

    def test_signing_up_records_the_language_being_read_but_chooses_nothing(self):
        self.client.post(
            reverse("account_signup"),
            {
                "email": "new.person@example.org",
                "display_name": "New Person",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            HTTP_ACCEPT_LANGUAGE="da",
        )
        user = User.objects.get(email="new.person@example.org")
        self.assertEqual(user.preferred_language, "")
        self.assertEqual(user.reading_language, "da")

    def test_signing_in_in_another_language_moves_the_emails_along_until_one_is_chosen(self):
        self.sign_in("nl")
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.preferred_language, self.bob.reading_language), ("", "nl"))
        do_update_profile(
            self.bob, display_name="Bob", preferred_language="", email_notifications="immediate"
        )
        self.bob.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            do_notify([self.bob], "idea_submitted", {"call": "Havens", "idea": "Vuurtoren"}, "/")
        self.assertIn("Hoi Bob", mail.outbox[-1].body)

    def test_demo_accounts_read_in_whatever_language_the_visitor_reads(self):
        user = do_create_account("demo@example.org", PASSWORD, "Demo", reading_language="da")
        self.assertEqual((user.preferred_language, user.reading_language), ("", "da"))
