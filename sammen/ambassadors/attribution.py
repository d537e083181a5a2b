"""The first-party cookie that remembers which ambassador's link brought a browser.

It holds a random key for this browser (never a person's id), signed, HttpOnly,
SameSite=Lax, for the 30 days a visit counts. Once the visitor takes part (an account,
or an anonymous participant of a kind), the middleware below writes who they are on
their arrivals and marks the cookie, so later requests cost nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import COOKIE_NAME as PARTICIPANT_COOKIE
from sammen.accounts.participants import anonymous_participant_from

from .actions import do_link_visitor
from .models import ATTRIBUTION_WINDOW, VISITOR_KEY_LENGTH, new_visitor_key

COOKIE_NAME = "sammen_came_by"
COOKIE_SALT = "sammen.ambassadors"
LINKED = "linked"


@dataclass(frozen=True)
class Visitor:
    key: str
    # When this browser first came through a link (seconds since the epoch): the cookie
    # ends 30 days later, however often it is written again.
    since: int
    # True once the visitor's arrivals name the participant they are.
    linked: bool

    def seconds_left(self) -> int:
        return max(0, self.since + int(ATTRIBUTION_WINDOW.total_seconds()) - int(time.time()))


def visitor_from(request: HttpRequest) -> Visitor | None:
    value = request.get_signed_cookie(
        COOKIE_NAME,
        default=None,
        salt=COOKIE_SALT,
        max_age=int(ATTRIBUTION_WINDOW.total_seconds()),
    )
    if not value:
        return None
    key, since, mark = [*value.split(":"), "", ""][:3]
    if len(key) != VISITOR_KEY_LENGTH or not since.isdigit():
        return None
    visitor = Visitor(key=key, since=int(since), linked=mark == LINKED)
    return visitor if visitor.seconds_left() > 0 else None


def new_visitor() -> Visitor:
    return Visitor(key=new_visitor_key(), since=int(time.time()), linked=False)


def remember_visitor(response: HttpResponse, visitor: Visitor) -> None:
    """Set the cookie until 30 days after the first visit; writing it again never extends it."""
    value = f"{visitor.key}:{visitor.since}:{LINKED if visitor.linked else ''}"
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=visitor.seconds_left(),
        httponly=True,
        samesite="Lax",
        secure=settings.HTTPS,
    )


def participant_after(request: HttpRequest, response: HttpResponse) -> Participant | None:
    """Return the participant behind this request, including one it just created."""
    user = getattr(request, "user", None)
    if isinstance(user, User):
        return Participant.objects.filter(user=user).first()
    known = anonymous_participant_from(request)
    if known is not None:
        return known
    morsel = response.cookies.get(PARTICIPANT_COOKIE)
    if morsel is None or not morsel.value:
        return None
    # Read the cookie this response sets as the next request will send it.
    next_request = HttpRequest()
    next_request.COOKIES[PARTICIPANT_COOKIE] = morsel.value
    return anonymous_participant_from(next_request)


class ArrivalMiddleware:
    """Write who a visitor brought by an ambassador turned out to be, once they take part."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        visitor = visitor_from(request)
        if visitor is None or visitor.linked or COOKIE_NAME in response.cookies:
            return response
        participant = participant_after(request, response)
        if participant is not None:
            do_link_visitor(visitor.key, participant)
            remember_visitor(response, Visitor(visitor.key, visitor.since, linked=True))
        return response
