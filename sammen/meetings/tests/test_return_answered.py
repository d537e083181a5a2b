"""Closing the loop: once the meeting's answer is published, attendees with an account are
notified, and attendees without one who confirmed their address get an email with only
Sammen's words and the link."""

from django.conf import settings
from django.core import mail
from django.urls import reverse

from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.notifications.kinds import render_notification
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase

from .return_world import hand_meeting

BAIT = "Win a prize at evil.example"


class AnsweredTests(BaseTestCase):
    def setUp(self):
        self.world = hand_meeting(self.museum, self.alice, self.bob, self.charlie)
        self.activity = self.world.meeting.activity
        self.activity.title = BAIT  # anyone who runs a space may title a meeting so
        self.activity.save(update_fields=["title"])
        do_close_activity(self.alice, self.activity)
        mail.outbox.clear()

    def answer(self, text: str = "We learned a lot; next time more time to talk.") -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_activity(self.alice, self.activity, text)

    def answered_emails(self) -> list:
        return [message for message in mail.outbox if "published its answer" in message.subject]

    def test_attendees_with_an_account_are_notified(self):
        self.answer()
        notified = Notification.objects.filter(kind="meeting_answered")
        self.assertEqual({n.user for n in notified}, {self.bob, self.charlie})
        notification = notified.get(user=self.bob)
        self.assertEqual(notification.url, self.activity.get_absolute_url())
        self.assertIn("has its answer", render_notification(notification.kind, notification.params))

    def test_attendees_without_an_account_who_confirmed_their_address_get_one_email(self):
        self.answer()
        sent = self.answered_emails()
        # Guest3 to Guest12 took part; Guest13 and Guest14 did not come, Gone cancelled.
        self.assertEqual(
            sorted(message.to[0] for message in sent),
            sorted(f"guest{number}@example.org" for number in range(3, 13)),
        )
        link = f"{settings.SAMMEN_BASE_URL}{self.activity.get_absolute_url()}"
        for message in sent:
            self.assertIn(link, message.body)
            self.assertIn("Sammen", message.body)
            self.assertNotIn("evil.example", message.subject + message.body.replace(link, ""))
            self.assertNotIn("Guest", message.body)

    def test_a_correction_of_the_answer_tells_nobody_again(self):
        self.answer()
        mail.outbox.clear()
        self.answer("A correction.")
        self.assertEqual(Notification.objects.filter(kind="meeting_answered").count(), 2)
        self.assertEqual(self.answered_emails(), [])

    def test_the_answer_page_starts_from_the_draft_of_the_return_page(self):
        self.login(self.alice)
        page = reverse("meetings:return", args=[self.museum.slug, self.activity.slug])
        draft = self.client.get(page).context["draft"]
        self.assertIn("- 12 people took part, of 14 who registered.", draft)
        self.assertIn("What changes next time:", draft)
        self.assertIn("We did not reach our target for learning", draft)
        answer = reverse("activities:answer", args=[self.museum.slug, self.activity.slug])
        response = self.client.get(answer, {"draft": draft})
        self.assertContains(response, "12 people took part")
