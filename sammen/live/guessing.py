"""Keep join codes from being guessed: an address that tries many wrong codes must wait.

A code is six characters out of twenty: 64 million codes, so a guesser needs millions
of tries for each live session it hopes to find. A room behind one address (a venue's
wifi) mistypes a code now and then, a few hundred times in an hour at most. So each
address may miss SAMMEN_LIVE_WRONG_CODES_PER_IP_PER_HOUR times an hour (600), and at
most a sixth of that in any one minute (100). Past either limit, the address is told
to wait, and while it waits every look-up of a code is refused in the same words,
whether the code exists or not, so a guesser learns nothing more; people already in
the session, and its crew, carry on.
"""

from typing import NoReturn

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from sammen.core.ratelimit import allow, client_ip

MINUTE_SHARE_OF_HOUR = 6


class UnknownCode(Http404):
    """No session that the viewer may know about has this code."""


class TooManyWrongCodes(PermissionDenied):
    """The viewer's address tried too many wrong codes lately."""


def waiting_key(request: HttpRequest) -> str:
    return f"live-wrong-codes-wait:{client_ip(request)}"


def must_wait(request: HttpRequest) -> bool:
    """Return whether the viewer's address is waiting after too many wrong codes."""
    return bool(cache.get(waiting_key(request)))


def refuse_wrong_code(request: HttpRequest) -> NoReturn:
    """Count a code that led nowhere; raise UnknownCode, or TooManyWrongCodes past the limit."""
    per_hour = settings.SAMMEN_LIVE_WRONG_CODES_PER_IP_PER_HOUR
    per_minute = max(1, per_hour // MINUTE_SHARE_OF_HOUR)
    address = client_ip(request)
    if must_wait(request):
        raise TooManyWrongCodes
    if not allow(f"live-wrong-codes-minute:{address}", per_minute, 60):
        cache.set(waiting_key(request), True, timeout=60)
        raise TooManyWrongCodes
    if not allow(f"live-wrong-codes-hour:{address}", per_hour, 3600):
        cache.set(waiting_key(request), True, timeout=3600)
        raise TooManyWrongCodes
    raise UnknownCode
