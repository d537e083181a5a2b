"""Calendar files (iCalendar, RFC 5545) for a meeting and its sessions, written by hand:
a few VEVENTs need no library. No Django here, so it is tested alone.

Times are written in UTC (`20270501T070000Z`), so no time zone needs describing; text
is escaped (backslash, semicolon, comma, newline) and lines are folded at 75 octets.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

PRODUCT = "-//Sammen//Meetings//EN"
LINE_OCTETS = 75
# Control characters have no place in a calendar's text (RFC 5545, 3.3.11), newlines aside.
CONTROL = dict.fromkeys([*range(9), *range(11, 32), 127])


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545, 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc(moment: datetime) -> str:
    """Return an aware datetime as a UTC DATE-TIME, such as 20270501T070000Z."""
    if moment.tzinfo is None:
        raise ValueError("A calendar time must know its time zone.")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a character;
    each continuation starts with a space (RFC 5545, 3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += character
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def event_lines(event: Event, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        # A URI, not TEXT: it is not escaped, only kept on its line.
        lines.append(f"URL:{event.url.translate(CONTROL).replace(chr(10), '')}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, stamp: datetime, name: str = "") -> str:
    """Return a VCALENDAR holding `events`, with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
