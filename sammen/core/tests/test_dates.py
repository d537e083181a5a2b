"""Dates read the same way on every page of a language; fresh moments read as "… ago"."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

from sammen.core.dates import relative_time, time_element

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
