"""Touchpoints participants propose as missing: they wait for the organisers' approval."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant
from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow
from sammen.notifications.actions import do_notify
from sammen.spaces.queries import organisers_of

from ..models import Channel, Journey, Touchpoint, TouchpointState
from .mapping import TouchpointInput, do_add_touchpoint, lock_journey

PROPOSALS_PER_PARTICIPANT_PER_DAY = 5
# Proposals waiting at once in one journey: enough for real gaps, too few to crowd out
# the organisers' own touchpoints (a journey holds at most MAX_TOUCHPOINTS).
MAX_WAITING_PROPOSALS = 20


def same_name(first: str, second: str) -> bool:
    """Compare names as people read them: "Parking" and "PARKING" are one touchpoint.

    In Python rather than with `iexact`, which SQLite applies to ASCII letters only.
    """
    return first.casefold() == second.casefold()


def do_propose_touchpoint(
    journey: Journey,
    participant: Participant,
    after_touchpoint: Touchpoint,
    name: str,
    description: str = "",
    channel: str = "",
) -> Touchpoint:
    """Propose a touchpoint missing right after `after_touchpoint`, in its stage.

    It waits for approval (state "proposed"): its proposer and the organisers see it,
    others do not. Refuse when the journey takes no proposals, a touchpoint of that
    name is in the journey already (whatever its state), too many wait already, or the
    participant proposed five today. The organisers are told after the commit.
    """
    if not journey.proposals_allowed or not journey.activity.is_open:
        raise ActionRefused(_("This journey takes no proposals at the moment."))
    if after_touchpoint.journey_id != journey.pk or after_touchpoint.state != TouchpointState.SHOWN:
        raise ActionRefused(_("This touchpoint is not part of the journey."))
    data = TouchpointInput(
        name=name, description=description, channel=channel or Channel.IN_PERSON
    ).cleaned()
    with transaction.atomic():
        lock_journey(journey)
        rows = list(Touchpoint.objects.filter(journey=journey).values_list("name", "state"))
        if any(same_name(existing, data.name) for existing, _state in rows):
            raise ActionRefused(
                _(
                    "The journey has a touchpoint called “%(name)s” already, or someone "
                    "proposed it before you. Thank you all the same!"
                )
                % {"name": data.name},
                field="name",
            )
        if sum(1 for _name, state in rows if state == TouchpointState.PROPOSED) >= (
            MAX_WAITING_PROPOSALS
        ):
            raise ActionRefused(
                _("Many proposals wait for the organisers already. Try again in a few days.")
            )
        # Counted last, so a refused duplicate does not use up the day's proposals.
        if not allow(
            f"journey-proposals:{participant.pk}", PROPOSALS_PER_PARTICIPANT_PER_DAY, 24 * 3600
        ):
            raise ActionRefused(
                _("You proposed %(count)s touchpoints today. Thank you! Come back tomorrow.")
                % {"count": PROPOSALS_PER_PARTICIPANT_PER_DAY}
            )
        touchpoint = do_add_touchpoint(
            None,
            after_touchpoint.stage,
            data,
            state=TouchpointState.PROPOSED,
            after=after_touchpoint,
            proposed_by=participant,
        )
        notify_organisers_of_proposal(journey, touchpoint)
    return touchpoint


def notify_organisers_of_proposal(journey: Journey, touchpoint: Touchpoint) -> None:
    activity = journey.activity
    people = list(organisers_of(activity.space_id))
    params = {"journey": activity.title, "touchpoint": touchpoint.name}
    # The map editor lists the proposal in place, with Approve and Hide.
    url = reverse("journeys:map", args=[activity.space.slug, activity.slug])
    url = f"{url}#touchpoint-{touchpoint.pk}"
    transaction.on_commit(lambda: do_notify(people, "touchpoint_proposed", params, url))
