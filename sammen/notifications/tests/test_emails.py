from unittest import mock

from django.core import mail
from django.utils import translation

from sammen.accounts.actions import do_update_profile
from sammen.accounts.models import User
from sammen.notifications import kinds
from sammen.notifications.actions import do_mark_read, do_notify
from sammen.notifications.models import Notification
from sammen.notifications.tasks import send_daily_digests, send_notification_emails
from sammen.testing import BaseTestCase

IDEA_URL = "/s/harbour-museum/a/storylines/ideas/1/"


def choose_emails(user: User, how_often: str, language: str = "") -> None:
    do_update_profile(
        user,
        display_name=user.display_name,
        preferred_language=language,
        email_notifications=how_often,
    )


def language_of_rendering(params: object) -> str:
    """Render a notification as the language active while rendering: no catalogue needed."""
    return f"rendered in {translation.get_language()}"


class EmailTests(BaseTestCase):
    def notify(self, users: list[User], idea: str = "A lighthouse museum") -> list[Notification]:
        return do_notify(
            users, "idea_submitted", {"call": "Harbour stories", "idea": idea}, IDEA_URL
        )

    def test_immediate_sends_one_email_per_person_for_each_event(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.notify([self.bob, self.maja])
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox), [self.bob.email, self.maja.email]
        )
        [to_bob] = [message for message in mail.outbox if message.to == [self.bob.email]]
        self.assertEqual(to_bob.subject, "New idea in “Harbour stories”: “A lighthouse museum”")
        self.assertIn(f"http://127.0.0.1:8000{IDEA_URL}", to_bob.body)
        self.assertFalse(Notification.objects.filter(emailed_at__isnull=True).exists())

    def test_a_burst_of_notifications_goes_out_as_one_email(self):
        burst = [
            notification.pk
            for idea in ["First idea", "Second idea", "Third idea"]
            for notification in self.notify([self.bob], idea)
        ]
        send_notification_emails.enqueue(burst)
        [message] = mail.outbox
        self.assertEqual(message.subject, "3 new notifications")
        for idea in ["First idea", "Second idea", "Third idea"]:
            self.assertIn(idea, message.body)

    def test_plain_text_emails_show_what_people_wrote_unescaped(self):
        idea = 'Bob\'s <b>boats</b> & "ferries"'
        with self.captureOnCommitCallbacks(execute=True):
            self.notify([self.bob], idea)
        [single] = mail.outbox
        self.assertIn(idea, single.subject)
        self.assertIn(idea, single.body)
        self.assertNotIn("&#x27;", f"{single.subject} {single.body}")
        choose_emails(self.bob, "daily")
        self.notify([self.bob], idea)
        send_daily_digests.enqueue()
        digest = mail.outbox[-1]
        self.assertIn(idea, digest.body)
        self.assertNotIn("&amp;", digest.body)

    def test_each_reader_gets_the_email_in_their_own_language(self):
        choose_emails(self.bob, "immediate", language="nl")
        choose_emails(self.maja, "immediate", language="da")
        with (
            mock.patch.dict(kinds._kinds, {"idea_submitted": language_of_rendering}),
            translation.override("sv"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.notify([self.bob, self.maja, self.charlie])
        by_reader = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(by_reader[self.bob.email].subject, "rendered in nl")
        self.assertIn("rendered in nl", by_reader[self.bob.email].body)
        self.assertEqual(by_reader[self.maja.email].subject, "rendered in da")
        self.assertEqual(by_reader[self.charlie.email].subject, "rendered in en")

    def test_the_templates_are_rendered_with_the_readers_language_active(self):
        choose_emails(self.bob, "immediate", language="nl")
        seen: list[str | None] = []

        def render_to_string(template_name: str, context: dict[str, object]) -> str:
            seen.append(translation.get_language())
            return template_name

        with (
            mock.patch("sammen.notifications.tasks.render_to_string", render_to_string),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.notify([self.bob])
        self.assertEqual(seen, ["nl", "nl"])

    def test_daily_sends_nothing_until_the_digest_runs(self):
        choose_emails(self.bob, "daily")
        with self.captureOnCommitCallbacks(execute=True):
            self.notify([self.bob])
            self.notify([self.bob], "Harbour choir")
        self.assertEqual(mail.outbox, [])
        send_daily_digests.enqueue()
        [digest] = mail.outbox
        self.assertEqual(digest.to, [self.bob.email])
        self.assertEqual(digest.subject, "Your daily summary: 2 notifications")
        self.assertIn("A lighthouse museum", digest.body)
        self.assertIn("Harbour choir", digest.body)
        send_daily_digests.enqueue()
        self.assertEqual(len(mail.outbox), 1)

    def test_the_digest_leaves_out_what_the_person_already_read(self):
        choose_emails(self.bob, "daily")
        [read] = self.notify([self.bob], "Already read")
        self.notify([self.bob], "Still unread")
        do_mark_read(self.bob, [read.pk])
        send_daily_digests.enqueue()
        [digest] = mail.outbox
        self.assertIn("Still unread", digest.body)
        self.assertNotIn("Already read", digest.body)

    def test_the_digest_groups_notifications_per_person(self):
        choose_emails(self.bob, "daily")
        choose_emails(self.maja, "daily", language="nl")
        with mock.patch.dict(kinds._kinds, {"idea_submitted": language_of_rendering}):
            self.notify([self.bob, self.maja])
            self.notify([self.bob])
            send_daily_digests.enqueue()
        self.assertEqual(len(mail.outbox), 2)
        by_reader = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(by_reader[self.bob.email].subject, "Your daily summary: 2 notifications")
        self.assertEqual(by_reader[self.bob.email].body.count("rendered in en"), 2)
        self.assertEqual(by_reader[self.maja.email].body.count("rendered in nl"), 1)

    def test_off_never_emails(self):
        choose_emails(self.bob, "off")
        with self.captureOnCommitCallbacks(execute=True):
            self.notify([self.bob])
        send_daily_digests.enqueue()
        self.assertEqual(mail.outbox, [])
        self.assertTrue(Notification.objects.filter(user=self.bob, read_at__isnull=True).exists())
