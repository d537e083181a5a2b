from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity, Phase
from sammen.recognition.models import Recognition
from sammen.recognition.registry import ProfileSection
from sammen.spaces.models import Membership, Space

from .models import ATTRIBUTION_WINDOW, Ambassador, AmbassadorState, Arrival, Visit


@dataclass
class Figures:
    """What an ambassador's links brought: visits, people, sign-ups and contributions."""

    visits: int = 0
    people: int = 0
    sign_ups: int = 0
    contributions: int = 0


def arrivals_with_figures(arrivals: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """Annotate each arrival with whether it signed up and how much it contributed.

    A sign-up is a participant or an account created within the 30 days after the first
    visit; a contribution is an entry of the space's recognition ledger (every kind
    records its deeds there) in those 30 days.
    """
    in_window = Recognition.objects.filter(
        participant=OuterRef("participant"),
        space=OuterRef("space"),
        created_at__gte=OuterRef("first_seen"),
        created_at__lt=OuterRef("first_seen") + Value(ATTRIBUTION_WINDOW),
    )
    contributions = in_window.order_by().values("participant").annotate(n=Count("pk")).values("n")
    end = F("first_seen") + Value(ATTRIBUTION_WINDOW)
    signed_up = Q(
        participant__created_at__gte=F("first_seen"), participant__created_at__lt=end
    ) | Q(
        participant__user__date_joined__gte=F("first_seen"), participant__user__date_joined__lt=end
    )
    return arrivals.annotate(
        contributions=Coalesce(Subquery(contributions, output_field=IntegerField()), 0),
        signed_up=ExpressionWrapper(signed_up, output_field=BooleanField()),
    )


def add_up(arrivals: QuerySet[Arrival], by: str) -> dict[Any, Figures]:
    """Return the figures of these arrivals grouped by one of their fields."""
    figures: dict[Any, Figures] = {}
    for row in arrivals_with_figures(arrivals).values(by, "signed_up", "contributions"):
        entry = figures.setdefault(row[by], Figures())
        entry.people += 1
        entry.sign_ups += int(bool(row["signed_up"]))
        entry.contributions += row["contributions"]
    return figures


def figures_by_ambassador(space: Space) -> dict[int, Figures]:
    """Return each ambassador's figures in the space, keyed by the ambassador's id."""
    figures = add_up(Arrival.objects.filter(space=space), "ambassador_id")
    visits = (
        Visit.objects.filter(ambassador__space=space)
        .values("ambassador_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in visits:
        figures.setdefault(row["ambassador_id"], Figures()).visits = row["n"]
    return figures


def figures_of_ambassador(ambassador: Ambassador) -> Figures:
    figures = add_up(Arrival.objects.filter(ambassador=ambassador), "ambassador_id").get(
        ambassador.pk, Figures()
    )
    figures.visits = Visit.objects.filter(ambassador=ambassador).count()
    return figures


def figures_of_activity(activity: Activity) -> Figures:
    """Return what ambassadors' links to this activity brought, all ambassadors together."""
    figures = add_up(Arrival.objects.filter(activity=activity), "activity_id").get(
        activity.pk, Figures()
    )
    figures.visits = Visit.objects.filter(activity=activity).count()
    return figures


STATE_ORDER = [
    AmbassadorState.ACTIVE,
    AmbassadorState.INVITED,
    AmbassadorState.DECLINED,
    AmbassadorState.WITHDRAWN,
]


@dataclass
class AmbassadorRow:
    ambassador: Ambassador
    figures: Figures


def ambassadors_of(space: Space) -> list[AmbassadorRow]:
    """Return the space's ambassadors, the active ones first, with their figures."""
    figures = figures_by_ambassador(space)
    ambassadors = Ambassador.objects.filter(space=space).select_related("user__participant")
    rows = [AmbassadorRow(a, figures.get(a.pk, Figures())) for a in ambassadors]
    rank: dict[str, int] = {state: number for number, state in enumerate(STATE_ORDER)}
    return sorted(rows, key=lambda row: rank[row.ambassador.state])


def members_to_invite(space: Space) -> QuerySet[User]:
    """Return the members who are neither invited nor ambassadors now."""
    current = Ambassador.objects.filter(
        space=space, withdrawn_at__isnull=True, declined_at__isnull=True
    ).values("user_id")
    members = Membership.objects.filter(space=space).values("user_id")
    return (
        User.objects.filter(pk__in=members, is_active=True)
        .exclude(pk__in=current)
        .order_by("display_name", "pk")
    )


def ambassador_of(user: User, space: Space) -> Ambassador | None:
    if not user.is_authenticated:
        return None
    return Ambassador.objects.filter(space=space, user=user).first()


@dataclass
class Link:
    activity: Activity
    url: str
    qr: str = field(default="", repr=False)


def open_activities(space: Space) -> QuerySet[Activity]:
    """Return the activities an ambassador can bring people to: those open now."""
    return Activity.objects.filter(space=space, phase=Phase.OPEN).select_related("space")


def personal_ambassador_data(user: User) -> dict[str, Any]:
    return {
        "ambassadors": [
            {
                "space": ambassador.space.name,
                "state": ambassador.state,
                "invited_at": ambassador.invited_at.isoformat(),
            }
            for ambassador in Ambassador.objects.filter(user=user).select_related("space")
        ]
    }


def ambassador_part(person: Participant, space: Space) -> ProfileSection | None:
    """Return what a person's ambassador links brought the space, for its organisers."""
    if person.user_id is None:
        return None
    ambassador = Ambassador.objects.filter(space=space, user_id=person.user_id).first()
    if ambassador is None:
        return None
    return ProfileSection(
        "ambassadors/_part.html",
        {"ambassador": ambassador, "ambassador_figures": figures_of_ambassador(ambassador)},
    )
