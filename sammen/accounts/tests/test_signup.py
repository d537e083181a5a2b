import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.signing import get_cookie_signer
from django.test import TestCase
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import PASSWORD, make_user

SIGNUP = {
    "email": "new.person@example.org",
    "display_name": "New Person",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


class SignupTests(TestCase):
    def test_it_creates_an_unverified_account_with_a_participant_and_sends_a_mail(self):
        response = self.client.post(reverse("account_signup"), SIGNUP)
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        user = User.objects.get(email="new.person@example.org")
        self.assertEqual(user.display_name, "New Person")
        self.assertTrue(user.password.startswith("md5$") or user.has_usable_password())
        self.assertFalse(EmailAddress.objects.get(user=user).verified)
        self.assertTrue(Participant.objects.filter(user=user).exists())
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("new.person@example.org", mail.outbox[0].to)

    def test_the_link_in_the_mail_verifies_the_address_and_signs_in(self):
        self.client.post(reverse("account_signup"), SIGNUP)
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[0].body))
        assert link is not None
        path = link.group(0).split("://", 1)[1].split("/", 1)[1]
        response = self.client.post("/" + path)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(EmailAddress.objects.get(email="new.person@example.org").verified)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)

    def test_it_asks_for_a_display_name(self):
        response = self.client.post(reverse("account_signup"), {**SIGNUP, "display_name": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")
        self.assertFalse(User.objects.exists())

    def test_it_refuses_an_oversized_or_invisible_display_name(self):
        for name in ["x" * 61, "Bad\x00Name", "two\nlines"]:
            response = self.client.post(reverse("account_signup"), {**SIGNUP, "display_name": name})
            self.assertEqual(response.status_code, 200, name)
        self.assertFalse(User.objects.exists())

    def test_it_does_not_reveal_that_an_address_already_has_an_account(self):
        make_user("Existing")
        response = self.client.post(
            reverse("account_signup"), {**SIGNUP, "email": "existing@example.org"}
        )
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertEqual(User.objects.filter(email="existing@example.org").count(), 1)

    def test_a_new_account_claims_the_anonymous_participant_of_its_browser(self):
        anonymous = do_create_anonymous_participant("Curious visitor")
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.client.cookies[COOKIE_NAME] = signer.sign(str(anonymous.public_id))
        self.client.post(reverse("account_signup"), SIGNUP)
        anonymous.refresh_from_db()
        user = User.objects.get(email="new.person@example.org")
        self.assertEqual(anonymous.user, user)
        self.assertIsNotNone(anonymous.claimed_at)
        self.assertEqual(Participant.objects.filter(user=user).count(), 1)

    def test_the_signup_form_language_is_noted_for_emails_but_chooses_nothing(self):
        self.client.post(reverse("account_signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="da")
        user = User.objects.get()
        self.assertEqual((user.preferred_language, user.reading_language), ("", "da"))
