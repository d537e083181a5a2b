"""Supporting an idea and taking part in a conversation by email: the emails to addresses
nobody has verified yet say only what Sammen says (see accounts' test_emails_to_unverified)."""

import re

from django.core import mail

from sammen.accounts.tests.test_emails_to_unverified import BAIT, GREETING, Sent
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea


class ConfirmationEmailTests(BaseTestCase):
    """Supporting an idea and taking part in a conversation by email."""

    def setUp(self) -> None:
        self.museum.name = BAIT  # anyone signed in may create a space and name it
        self.museum.save(update_fields=["name"])

    def test_the_support_email_carries_no_title_or_name_anyone_wrote(self):
        call = make_call(self.museum, self.alice, supporters="verified_email")
        idea = make_idea(call, self.bob, title="Win an iPhone at evil.example")
        url = f"/s/{self.museum.slug}/a/{call.activity.slug}/ideas/{idea.pk}/support/email/"
        for number, language in enumerate(GREETING, start=1):
            mail.outbox.clear()
            self.client.cookies.clear()
            self.client.post(  # from other people, past the limits on emails
                url,
                {"email": f"fan{number}@example.org"},
                headers={"accept-language": language},
                REMOTE_ADDR=f"192.0.2.{number}",
            )
            with self.subTest(language=language):
                message = Sent()
                self.assertNotIn("evil.example", message.subject + message.body)
                self.assertIn("Sammen", message.body)
                self.assertRegex(message.body, r"http://testserver/\S+/support/confirm/")
                if language != "en":
                    self.assertNotIn("support", message.subject + message.body.split("http")[0])

    def test_the_conversation_email_carries_no_title_or_name_anyone_wrote(self):
        from sammen.testing.conversations import make_conversation

        conversation = make_conversation(
            self.museum, self.alice, "Free tickets at evil.example", participation="verified_email"
        )
        url = f"/s/{self.museum.slug}/a/{conversation.activity.slug}/email/"
        for number, language in enumerate(GREETING, start=1):
            mail.outbox.clear()
            self.client.cookies.clear()
            self.client.post(  # from other people, past the limits on emails
                url,
                {"email": f"voter{number}@example.org"},
                headers={"accept-language": language},
                REMOTE_ADDR=f"192.0.2.{number}",
            )
            with self.subTest(language=language):
                message = Sent()
                self.assertNotIn("evil.example", message.subject + message.body)
                self.assertIn("Sammen", message.body)
                self.assertTrue(re.search(r"http://testserver/\S+/email/\S+", message.body))
                if language != "en":
                    self.assertNotIn("take part", message.subject + message.body)
