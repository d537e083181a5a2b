"""Marking notifications read with an odd `up_to`: a message, nothing marked, never a 500."""

from django.urls import reverse

from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase


class MarkReadWithOddNumbersTests(BaseTestCase):
    def test_an_up_to_that_is_no_id_marks_nothing_read(self):
        do_notify([self.bob], "idea_commented", {"title": "Boats"}, "/")
        self.login(self.bob)
        for value in ["²", "٣", str(2**64), "9" * 10_000, "-1"]:
            with self.subTest(value=value[:20]):
                response = self.client.post(
                    reverse("notifications:mark_all_read"), {"up_to": value}, follow=True
                )
                self.assertContains(response, "Reload the page and try again.")
        self.assertTrue(Notification.objects.filter(user=self.bob, read_at__isnull=True).exists())

    def test_without_up_to_everything_is_marked_read(self):
        do_notify([self.bob], "idea_commented", {"title": "Boats"}, "/")
        self.login(self.bob)
        self.client.post(reverse("notifications:mark_all_read"))
        self.assertFalse(Notification.objects.filter(user=self.bob, read_at__isnull=True).exists())
