"""The journey as an activity kind: its registration and the hooks it plugs into."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.accounts.models import Participant, User
from sammen.activities.kinds import ActivityKind
from sammen.activities.models import Activity
from sammen.activities.permissions import ActivityAccess
from sammen.activities.selfcheck import Format, Question

from .actions import do_merge_journey_participants, do_setup_journey
from .models import Journey, Rating, Touchpoint, TouchpointState

MIN_TOUCHPOINTS_TO_OPEN = 2


def opening_blockers(activity: Activity) -> list[str]:
    journey = Journey.objects.filter(activity=activity).first()
    if journey is None:
        return [_("The journey has not been set up yet.")]
    shown = Touchpoint.objects.filter(journey=journey, state=TouchpointState.SHOWN).count()
    if shown < MIN_TOUCHPOINTS_TO_OPEN:
        return [
            _("Map at least %(count)s touchpoints, so customers have a journey to rate.")
            % {"count": MIN_TOUCHPOINTS_TO_OPEN}
        ]
    return []


def activity_context(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> dict[str, Any]:
    """Return what the activity page needs: the map, and where the viewer is in it."""
    from .permissions import journey_access_for
    from .queries.participate import rating_overview

    journey_access = journey_access_for(request, access)
    return {
        "journey": journey_access.journey,
        "journey_access": journey_access,
        **rating_overview(journey_access),
    }


def journey_answered(activity: Activity) -> None:
    from .notices_figures import answered

    answered(activity)


def journey_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    from .queries import journey_figures

    journey = Journey.objects.filter(activity=activity).first()
    if journey is None:
        return {}
    return journey_figures(journey).metrics()


JOURNEY = ActivityKind(
    key="journey",
    label=gettext_lazy("Journey"),
    description=gettext_lazy(
        "Customers rate how they felt at each touchpoint of a journey; Sammen draws the "
        "curve, finds the moments that matter and advises where to keep a person."
    ),
    template="journeys/_activity_body.html",
    intro_template="journeys/_activity_intro.html",
    context=activity_context,
    opening_blockers=opening_blockers,
    setup=do_setup_journey,
    settings_url_name="journeys:settings",
    metrics=journey_metrics,
    answered=journey_answered,
    stylesheet="journeys/journeys.css",
    selfcheck=Format(
        Question(
            "lived_experience",
            gettext_lazy("Do you need to learn how people feel along an experience you offer?"),
        ),
        gettext_lazy("a journey"),
        gettext_lazy(
            "A journey fits: customers rate each touchpoint, and you see the moments that "
            "matter and where a person makes the difference."
        ),
    ),
)


def personal_journey_data(user: User) -> dict[str, Any]:
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {"journey_ratings": []}
    return {
        "journey_ratings": [
            {
                "journey": rating.journey.activity.title,
                "touchpoint": rating.touchpoint.name,
                "wave": rating.wave.number,
                "score": rating.score,
                "preference": rating.preference,
                "comment": rating.comment,
                "at": rating.updated_at.isoformat(),
            }
            for rating in Rating.objects.filter(participant=participant).select_related(
                "journey__activity", "touchpoint", "wave"
            )
        ]
    }


def connect() -> None:
    from sammen.accounts import hooks as account_hooks
    from sammen.activities.kinds import register_kind
    from sammen.demo.parts import register_demo_part

    from .demo import build_demo

    register_kind(JOURNEY)
    register_demo_part("journey", build_demo)
    account_hooks.participant_mergers.append(do_merge_journey_participants)
    account_hooks.personal_data_sections.append(personal_journey_data)
