"""Dates read the same way on every page of a language; fresh moments read as "… ago"."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from sammen.audit.models import AuditEntry
from sammen.calls.actions import do_answer_idea
from sammen.comments.actions import do_add_comment
from sammen.comments.models import Comment
from sammen.core.dates import relative_time, time_element
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, make_call, make_idea, participant_of

# 13:10 UTC is 14:10 in the site's time zone (Europe/Amsterdam) in December.
MOMENT = datetime(2026, 12, 2, 13, 10, tzinfo=UTC)
WRITTEN = {
    "en": ("Dec. 2, 2026, 2:10 p.m.", "Dec. 2, 2026"),
    "nl": ("2 december 2026 14:10", "2 december 2026"),
    "da": ("2. december 2026 14:10", "2. december 2026"),
    "sv": ("2 december 2026 14:10", "2 december 2026"),
}
# What the audit log, comments and notifications showed before: the short, numeric style.
SHORT_STYLE = {
    "en": "12/02/2026 2:10 p.m.",
    "nl": "2-12-2026 14:10",
    "da": "02.12.2026 14:10",
    "sv": "2026-12-02 14:10",
}
THREE_HOURS_AGO = {
    "en": "3 hours ago",
    "nl": "3 uur geleden",
    "da": "3 timer siden",
    "sv": "för 3 timmar sedan",
}


class FormatTests(SimpleTestCase):
    def test_each_language_writes_a_moment_and_a_date_its_own_way(self):
        for language, (moment, day) in WRITTEN.items():
            with self.subTest(language=language), translation.override(language):
                self.assertEqual(
                    time_element(MOMENT),
                    f'<time datetime="2026-12-02T14:10:00+01:00">{moment}</time>',
                )
                self.assertEqual(
                    time_element(MOMENT, "date"),
                    f'<time datetime="2026-12-02T14:10:00+01:00" title="{moment}">{day}</time>',
                )

    def test_fresh_moments_read_as_how_long_ago_and_older_ones_as_their_date(self):
        cases = [
            (timedelta(seconds=20), "just now"),
            (timedelta(minutes=1), "1 minute ago"),
            (timedelta(minutes=5), "5 minutes ago"),
            (timedelta(hours=3), "3 hours ago"),
            (timedelta(hours=30), "yesterday"),
            (timedelta(days=3), "3 days ago"),
            (timedelta(days=8), "Nov. 24, 2026"),
            (-timedelta(days=2), "Dec. 4, 2026"),
        ]
        with translation.override("en"):
            for before, expected in cases:
                with self.subTest(before=before):
                    self.assertEqual(relative_time(MOMENT - before, MOMENT), expected)
        for language, expected in THREE_HOURS_AGO.items():
            with self.subTest(language=language), translation.override(language):
                self.assertEqual(relative_time(MOMENT - timedelta(hours=3), MOMENT), expected)

    def test_a_day_stored_as_iso_text_reads_as_the_language_writes_it(self):
        from django.template import Context, Template

        template = Template('{% load sammen %}{{ day|isodate|when:"date" }}')
        for language, (_moment, day) in WRITTEN.items():
            with translation.override(language):
                shown = template.render(Context({"day": "2026-12-02"}))
            self.assertIn(f">{day}</time>", shown)
        self.assertEqual(template.render(Context({"day": "not a day"})), "")

    def test_no_template_writes_dates_in_the_short_style_or_with_humanize(self):
        root = Path(settings.BASE_DIR)
        offending = [
            str(path.relative_to(root))
            for path in root.rglob("templates/**/*.*")
            if re.search(r"SHORT_DATE(TIME)?_FORMAT|naturaltime|naturalday", path.read_text())
        ]
        self.assertEqual(offending, [])


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
