"""Reads about who registered and who came: places on the waiting list, the door's
search, the counts, the planners' list, and the signed link to one's own registration.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sammen.core.http import parse_id

from .models import Meeting, Registration, RegistrationState

SEARCH_MAX_LENGTH = 100
SEARCH_RESULTS = 20
# The address of one's registration (the ticket) is its id, signed: no guessing, no
# expiry, and it names no one. It goes out in emails, so it opens without the cookie.
TICKET_SALT = "sammen.meetings.ticket"


def ticket_token(registration: Registration) -> str:
    return signing.Signer(salt=TICKET_SALT).sign(str(registration.pk))


def registration_from_ticket(meeting: Meeting, token: str) -> Registration:
    """Return the registration a ticket's token names, in this meeting; 404 otherwise."""
    try:
        pk = parse_id(signing.Signer(salt=TICKET_SALT).unsign(token[:200]))
    except signing.BadSignature:
        raise Http404 from None
    if pk is None:
        raise Http404
    registration = Registration.objects.filter(meeting=meeting, pk=pk).first()
    if registration is None:
        raise Http404
    registration.meeting = meeting
    return registration


def places_taken(meeting: Meeting) -> int:
    """Return how many of the meeting's places are taken: its confirmed registrations."""
    return Registration.objects.filter(meeting=meeting, state=RegistrationState.CONFIRMED).count()


def places_left(meeting: Meeting) -> int | None:
    """Return how many places are free; None when the meeting has no limit."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - places_taken(meeting))


def waiting_place(registration: Registration) -> int | None:
    """Return the registration's place on the waiting list (1 is next), or None."""
    if registration.state != RegistrationState.WAITING:
        return None
    ahead = Registration.objects.filter(
        meeting_id=registration.meeting_id, state=RegistrationState.WAITING
    ).filter(
        Q(confirmed_at__lt=registration.confirmed_at)
        | Q(confirmed_at=registration.confirmed_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def matching(registrations: QuerySet[Registration], query: str) -> QuerySet[Registration]:
    """Keep the registrations whose name or email holds each word of the query."""
    for word in query.split()[:5]:
        registrations = registrations.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return registrations


def door_search(meeting: Meeting, query: str) -> list[Registration]:
    """Return the first registered attendees whose name or email matches, by name."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return []
    registrations = Registration.objects.filter(meeting=meeting, state=RegistrationState.CONFIRMED)
    return list(matching(registrations, query).order_by("name", "pk")[:SEARCH_RESULTS])


@dataclass(frozen=True)
class Attendance:
    registered: int
    checked_in: int
    waiting: int
    unconfirmed: int
    # Counted once the meeting has ended (or started, when it has no end): None before.
    no_shows: int | None


def meeting_is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    end = meeting.ends_at or meeting.starts_at
    return end is not None and end <= (now or timezone.now())


def attendance(meeting: Meeting, now: datetime | None = None) -> Attendance:
    """Count registered, checked in, waiting and unconfirmed in one query."""
    confirmed = Q(state=RegistrationState.CONFIRMED)
    counts = Registration.objects.filter(meeting=meeting).aggregate(
        registered=Count("pk", filter=confirmed),
        checked_in=Count("pk", filter=confirmed & Q(checked_in_at__isnull=False)),
        waiting=Count("pk", filter=Q(state=RegistrationState.WAITING)),
        unconfirmed=Count("pk", filter=Q(state=RegistrationState.UNCONFIRMED)),
    )
    over = meeting_is_over(meeting, now)
    return Attendance(
        **counts, no_shows=counts["registered"] - counts["checked_in"] if over else None
    )


# The planners' list: registered first, then the waiting list in its order, then the rest.
STATE_RANK = Case(
    When(state=RegistrationState.CONFIRMED, then=Value(0)),
    When(state=RegistrationState.WAITING, then=Value(1)),
    When(state=RegistrationState.UNCONFIRMED, then=Value(2)),
    default=Value(3),
)


def planners_list(meeting: Meeting, *, state: str = "", query: str = "") -> QuerySet[Registration]:
    """Return a meeting's registrations for its planners, registered first by name, then
    the waiting list in the order places go, each waiting one with its `place`."""
    registrations = Registration.objects.filter(meeting=meeting)
    if state in RegistrationState.values:
        registrations = registrations.filter(state=state)
    if query.strip():
        registrations = matching(registrations, query[:SEARCH_MAX_LENGTH])
    ahead = (
        Registration.objects.filter(meeting=OuterRef("meeting"), state=RegistrationState.WAITING)
        .filter(
            Q(confirmed_at__lt=OuterRef("confirmed_at"))
            | Q(confirmed_at=OuterRef("confirmed_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    place = Case(
        When(state=RegistrationState.WAITING, then=Coalesce(Subquery(ahead), 0) + 1),
        default=None,
        output_field=IntegerField(),
    )
    return (
        registrations.annotate(state_rank=STATE_RANK, place=place)
        .select_related("checked_in_by")
        .order_by("state_rank", "place", "name", "pk")
    )
