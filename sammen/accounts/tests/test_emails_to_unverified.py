"""Emails to addresses nobody has verified yet: the site's name, never a stranger's words.

Anyone can type someone else's address into the sign-up form, a support form or a
conversation's email check. What such an email says must come from Sammen alone, so
it cannot carry a message from whoever typed the address. Rendered with the real
templates, in each of the four languages. The emails of the open call's support form
and the conversation's email check are tested in tests/across/test_confirmation_emails.py.
"""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from sammen.testing import PASSWORD, BaseTestCase

BAIT = "Claim your prize at evil.example"
GREETING = {
    "en": "Hello from Sammen!",
    "nl": "Hallo van Sammen!",
    "da": "Hej fra Sammen!",
    "sv": "Hej från Sammen!",
}


class Sent:
    """The one email sent, its subject and body as plain strings."""

    def __init__(self) -> None:
        self.subject = str(mail.outbox[0].subject)
        self.body = str(mail.outbox[0].body)


def signup(client, language: str, display_name: str = BAIT) -> None:
    client.cookies.clear()
    client.post(
        reverse("account_signup"),
        {
            "email": f"victim-{language}@example.org",
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        headers={"accept-language": language},
    )


class SignupEmailTests(BaseTestCase):
    def test_the_sign_up_email_names_the_site_in_every_language(self):
        for language, greeting in GREETING.items():
            mail.outbox.clear()
            signup(self.client, language)
            with self.subTest(language=language):
                self.assertEqual(len(mail.outbox), 1)
                message = Sent()
                self.assertIn(greeting, message.body)
                self.assertNotIn(" !", message.body)
                self.assertTrue(message.subject.startswith("[Sammen] "), message.subject)
                self.assertRegex(message.body, r"https?://testserver/accounts/confirm-email/")
                if language != "en":  # every sentence in the reader's language
                    self.assertNotIn("You are receiving", message.body)
                    self.assertNotIn("To confirm", message.body)
                    self.assertNotIn("If you did not", message.body)

    def test_the_sign_up_email_does_not_repeat_the_display_name(self):
        for language in GREETING:
            mail.outbox.clear()
            signup(self.client, language)
            with self.subTest(language=language):
                message = Sent()
                self.assertNotIn(BAIT, message.body)
                self.assertNotIn("evil.example", message.body + message.subject)

    def test_other_account_emails_name_the_site_too(self):
        for language, greeting in GREETING.items():
            mail.outbox.clear()
            self.client.post(
                reverse("account_reset_password"),
                {"email": "bob@example.org"},
                headers={"accept-language": language},
            )
            with self.subTest(language=language):
                message = Sent()
                self.assertIn(greeting, message.body)
                self.assertTrue(message.subject.startswith("[Sammen] "), message.subject)

    @override_settings(SAMMEN_NAME="Harbour Voices")
    def test_the_operator_names_the_site(self):
        signup(self.client, "en")
        message = Sent()
        self.assertIn("Hello from Harbour Voices!", message.body)
        self.assertIn("Thank you for using Harbour Voices!", message.body)
        self.assertTrue(message.subject.startswith("[Harbour Voices] "), message.subject)
