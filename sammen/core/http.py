"""What views read from requests: the htmx request type, numbers that cannot crash them,
and redirect targets that stay on the site."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

# The largest id a request may name. 18 digits stay below 2**63, the top of the 64-bit
# integer columns of every database Sammen runs on, so a lookup never overflows.
MAX_ID = 10**18 - 1


class HtmxHttpRequest(HttpRequest):
    """A request as views see it behind django-htmx's middleware."""

    htmx: HtmxDetails


def parse_int(value: object, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """Return `value` as an int from `low` to `high`, or None when it is anything else.

    Read every number a request brings with this, never with `int()` or `str.isdigit()`:
    those take "²" and "٣", fail on more than 4,300 digits, and pass numbers the database
    cannot hold. Only ASCII digits count, with a minus sign when `low` is negative; no
    spaces, signs, separators or fractions. Model instances' own ints pass through.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if low <= value <= high else None
    if not isinstance(value, str):
        return None
    digits = value[1:] if value.startswith("-") and low < 0 else value
    longest = len(str(max(abs(low), abs(high))))
    if not 0 < len(digits) <= longest or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def parse_id(value: object) -> int | None:
    """Return `value` as the id of a row (1 to MAX_ID), or None."""
    return parse_int(value, low=1)


def parse_ids(values: Iterable[object], *, limit: int) -> list[int] | None:
    """Return the ids a form sent (each once, in order), or None if one is not an id.

    More than `limit` values count as not ids either: no page offers that many.
    """
    ids: dict[int, None] = {}
    for count, value in enumerate(values, start=1):
        number = parse_id(value)
        if number is None or count > limit:
            return None
        ids[number] = None
    return list(ids)


class IdConverter:
    """A URL path's id: `<id:idea_id>` matches what `parse_id` takes, and nothing else 404s."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the resolver reads this as "no match": a 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def safe_next_url(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """Return `candidate` if it leads to a page of this site, else `fallback`.

    Use it for every redirect target a request brings (`next`, the Referer): Django's
    url_has_allowed_host_and_scheme refuses other hosts, "//host", "/\\host",
    "javascript:" and, on HTTPS, plain http, so no link can send people elsewhere.
    """
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
