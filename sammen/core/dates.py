"""Dates and times as people read them: one format per language, relative where it helps.

A date is written with the language's DATE_FORMAT ("Dec. 2, 2026", "2 december 2026"),
a moment with its DATETIME_FORMAT ("Dec. 2, 2026, 2:10 p.m.", "2. december 2026 14:10"),
from Django's format localisation, in the site's time zone. Fresh moments (comments,
notifications) read as "3 hours ago", with the full moment in the title. Exports and
APIs keep ISO 8601. Templates use the `when` and `ago` filters of the sammen library.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# After a week, "12 days ago" says less than the date itself.
RELATIVE_FOR = timedelta(days=7)


def local(value: date) -> date:
    """Return a moment in the site's time zone; a day stays as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: date | datetime) -> str:
    """Return the day of `value` as the active language writes a date."""
    return date_format(local(value), "DATE_FORMAT")


def format_moment(value: date | datetime) -> str:
    """Return `value` as the active language writes a date and time (a day: its date)."""
    if not isinstance(value, datetime):
        return format_date(value)
    return date_format(local(value), "DATETIME_FORMAT")


def relative_time(value: datetime, now: datetime) -> str:
    """Return how long ago `value` was ("3 hours ago"), or its date once it is a week old."""
    seconds = (now - value).total_seconds()
    if seconds < -60 or seconds >= RELATIVE_FOR.total_seconds():
        return format_date(value)
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
    if seconds < 86400:
        hours = int(seconds // 3600)
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    days = int(seconds // 86400)
    if days == 1:
        return _("yesterday")
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


def machine_readable(value: date | datetime) -> str:
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.isoformat(timespec="seconds")
    return value.isoformat()


def time_element(value: date | datetime | None, style: str = "moment") -> SafeString:
    """Return `value` in a <time> element, written as `style` asks: "moment", "date" or "ago".

    A date alone, or how long ago, carries the full moment in its title.
    """
    if not isinstance(value, date):  # None, or "" for a missing variable
        return SafeString("")
    full = format_moment(value)
    if style == "ago" and isinstance(value, datetime):
        shown = relative_time(value, timezone.now())
    elif style in {"date", "ago"}:
        shown = format_date(value)
    else:
        shown = full
    if shown == full:
        return format_html('<time datetime="{}">{}</time>', machine_readable(value), shown)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', machine_readable(value), full, shown
    )
