"""Dates on the pages of the audit log, an idea's comments and the notifications."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from sammen.audit.models import AuditEntry
from sammen.calls.actions import do_answer_idea
from sammen.comments.actions import do_add_comment
from sammen.comments.models import Comment
from sammen.core.dates import time_element
from sammen.core.tests.test_dates import MOMENT, SHORT_STYLE, THREE_HOURS_AGO, WRITTEN
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea


class DatesOnPagesTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)

    def get(self, url: str, language: str) -> str:
        return self.client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    def test_the_audit_log_writes_moments_as_every_other_page_does(self):
        AuditEntry.objects.filter(space=self.museum).update(created_at=MOMENT)
        self.login(self.alice)
        url = reverse("audit:log", args=[self.museum.slug])
        for language, (moment, _day) in WRITTEN.items():
            with self.subTest(language=language):
                html = self.get(url, language)
                self.assertIn(f'<time datetime="2026-12-02T14:10:00+01:00">{moment}</time>', html)
                self.assertNotIn(SHORT_STYLE[language], html)

    def test_comments_say_how_long_ago_with_the_full_moment_in_the_title(self):
        do_add_comment(participant_of(self.maja), self.idea.thread, "Lovely")
        Comment.objects.update(created_at=timezone.now() - timedelta(hours=3, minutes=5))
        for language, ago in THREE_HOURS_AGO.items():
            with self.subTest(language=language):
                html = self.get(self.idea.get_absolute_url(), language)
                found = re.search(
                    r'comment__header.*?<time datetime="[^"]+" title="([^"]+)">([^<]+)</time>',
                    html,
                    re.S,
                )
                assert found is not None, html
                self.assertEqual(found.group(2), ago)
                with translation.override(language):
                    full = time_element(Comment.objects.get().created_at)
                self.assertIn(found.group(1), full)

    def test_notifications_say_how_long_ago_and_old_ones_their_date(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_idea(self.alice, self.idea, status="selected", text="Into the exhibition.")
        self.login(self.bob)
        notification = Notification.objects.get(user=self.bob)
        Notification.objects.update(created_at=timezone.now() - timedelta(hours=3, minutes=1))
        for language, ago in THREE_HOURS_AGO.items():
            with self.subTest(language=language):
                self.assertIn(f">{ago}</time>", self.get(reverse("notifications:list"), language))
        a_year_before = MOMENT.replace(year=2025)
        Notification.objects.filter(pk=notification.pk).update(created_at=a_year_before)
        for language, (moment, day) in WRITTEN.items():
            with self.subTest(language=language):
                html = self.get(reverse("notifications:list"), language)
                moment, day = moment.replace("2026", "2025"), day.replace("2026", "2025")
                self.assertIn(f'title="{moment}">{day}</time>', html)
                self.assertNotIn(SHORT_STYLE[language].replace("2026", "2025"), html)
