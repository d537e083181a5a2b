from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.spaces.models import Membership, Role, Space, Visibility
from sammen.spaces.permissions import AnyUser

from .models import Badge, Recognition, Reward, RewardGrant, ThankYou
from .permissions import has_public_profile
from .registry import (
    ProfileSection,
    ProfileViewing,
    profile_sections,
    registered_deed,
    space_parts,
)

THANKED_LATELY_COUNT = 3


def visible_spaces(viewer: AnyUser) -> QuerySet[Space]:
    """Return the spaces whose contributions a viewer may see: listed ones and their own."""
    visible = ~Q(visibility=Visibility.PRIVATE)
    if viewer.is_authenticated:
        visible |= Q(pk__in=Membership.objects.filter(user=viewer).values("space_id"))
    return Space.objects.filter(visible)


def points_by_space(participant: Participant, spaces: QuerySet[Space]) -> list[dict[str, Any]]:
    """Return the participant's points in each of `spaces`, highest first."""
    return list(
        Recognition.objects.filter(participant=participant, space__in=spaces.values("pk"))
        .values("space__name", "space__slug")
        .annotate(points=Sum("points"))
        .order_by("-points", "space__name")
    )


def points_by_deed(participant: Participant, spaces: QuerySet[Space]) -> list[dict[str, Any]]:
    """Return how often the participant did each deed in `spaces`, outcomes first."""
    rows = (
        Recognition.objects.filter(participant=participant, space__in=spaces.values("pk"))
        .values("deed")
        .annotate(count=Count("id"), points=Sum("points"))
        .order_by()
    )
    deeds = []
    for row in rows:
        deed = registered_deed(row["deed"])
        # A deed whose app is gone still counts, under its key, at the points it earned.
        label = deed.label if deed is not None else row["deed"]
        weight = deed.points if deed is not None else row["points"] / row["count"]
        deeds.append({**row, "label": label, "weight": weight})
    return sorted(deeds, key=lambda row: -row["weight"])


def owned_space_ids(viewer: AnyUser) -> set[int]:
    if not viewer.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=viewer, role=Role.OWNER).values_list("space_id", flat=True)
    )


def spaces_taken_part_in(participant: Participant) -> QuerySet[Space]:
    """Return the spaces where the participant earned points or is a member."""
    taken_part = Q(pk__in=Recognition.objects.filter(participant=participant).values("space_id"))
    if participant.user_id is not None:
        taken_part |= Q(
            pk__in=Membership.objects.filter(user_id=participant.user_id).values("space_id")
        )
    return Space.objects.filter(taken_part)


def has_taken_part(participant: Participant, space: Space) -> bool:
    return spaces_taken_part_in(participant).filter(pk=space.pk).exists()


def spaces_to_thank_in(owned: set[int], person: Participant) -> list[Space]:
    """Return the spaces, among those the viewer owns, where the person took part."""
    if not owned:
        return []
    return list(spaces_taken_part_in(person).filter(pk__in=owned).order_by("name"))


def badges_on_profile(person: Participant, spaces: QuerySet[Space]) -> list[Badge]:
    return list(
        Badge.objects.filter(participant=person, space__in=spaces.values("pk")).select_related(
            "space"
        )
    )


def thanked_lately(space: Space) -> list[Badge]:
    """Return the space's newest badges, with the people they thank."""
    return list(
        Badge.objects.filter(space=space).select_related("participant__user")[:THANKED_LATELY_COUNT]
    )


@dataclass
class Profile:
    person: Participant
    is_self: bool
    total_points: int
    points_by_space: list[dict[str, Any]]
    points_by_deed: list[dict[str, Any]]
    badges: list[Badge]
    grants: list[RewardGrant]
    # What the person contributed, in the sections the installed kinds add.
    sections: list[ProfileSection]
    owned_space_ids: set[int]
    spaces_to_thank_in: list[Space]


def profile_of(
    person: Participant,
    viewer: AnyUser,
    viewer_participant: Participant | None,
    *,
    page_number: str | int | None = 1,
) -> Profile:
    """Return what `viewer` may see of a person: nothing from private spaces they are not in."""
    is_self = viewer_participant is not None and viewer_participant.pk == person.pk
    spaces = visible_spaces(viewer)
    by_space = points_by_space(person, spaces)
    owned = owned_space_ids(viewer)
    return Profile(
        person=person,
        is_self=is_self,
        total_points=sum(row["points"] for row in by_space),
        points_by_space=by_space,
        points_by_deed=points_by_deed(person, spaces),
        badges=badges_on_profile(person, spaces),
        grants=grants_on_profile(person, spaces),
        sections=profile_sections(
            ProfileViewing(
                person=person,
                viewer=viewer,
                spaces=spaces,
                is_self=is_self,
                page_number=page_number,
            )
        ),
        owned_space_ids=owned,
        spaces_to_thank_in=[] if is_self else spaces_to_thank_in(owned, person),
    )


def personal_recognition_data(user: User) -> dict[str, Any]:
    return {
        "recognition": [
            {"deed": entry.deed, "points": entry.points, "at": entry.created_at.isoformat()}
            for entry in Recognition.objects.filter(participant__user=user)
        ],
        "badges": [
            {"badge": badge.name, "note": badge.note, "space": badge.space.name}
            for badge in Badge.objects.filter(participant__user=user).select_related("space")
        ],
        "rewards": [
            {"reward": grant.reward.title, "reason": grant.reason, "space": grant.reward.space.name}
            for grant in RewardGrant.objects.filter(participant__user=user).select_related(
                "reward__space"
            )
        ],
        "thank_you_notes": [
            {"text": note.text, "space": note.space.name, "at": note.sent_at.isoformat()}
            for note in thank_yous_to(user)
        ],
    }


# The people shown on the rewards page: those whose outcomes weigh most.
CARRIERS_SHOWN = 20


def people_who_carry(space: Space, limit: int = CARRIERS_SHOWN) -> list[dict[str, Any]]:
    """Return the space's participants by points, which weigh outcomes far above activity."""
    rows = list(
        Recognition.objects.filter(space=space)
        .values("participant_id")
        .annotate(points=Sum("points"), deeds=Count("id"))
        .order_by("-points", "participant_id")[:limit]
    )
    people = Participant.objects.select_related("user").in_bulk([r["participant_id"] for r in rows])
    return [
        {**row, "person": people[row["participant_id"]]}
        for row in rows
        if row["participant_id"] in people and has_public_profile(people[row["participant_id"]])
    ]


@dataclass
class PersonInSpace:
    person: Participant
    points: int
    # The deeds in the space, heaviest first: what came of their part before how much they did.
    deeds: list[dict[str, Any]]
    deed_count: int
    badges: list[Badge]
    grants: list[RewardGrant]
    notes: list[ThankYou]
    # What other apps add (an ambassador's figures): outcomes, shown before the deeds.
    sections: list[ProfileSection]


def person_in_space(person: Participant, space: Space) -> PersonInSpace:
    only_here = Space.objects.filter(pk=space.pk)
    deeds = points_by_deed(person, only_here)
    return PersonInSpace(
        person=person,
        points=sum(row["points"] for row in deeds),
        deeds=deeds,
        deed_count=sum(row["count"] for row in deeds),
        badges=list(Badge.objects.filter(participant=person, space=space)),
        grants=list(
            RewardGrant.objects.filter(participant=person, reward__space=space).select_related(
                "reward", "granted_by"
            )
        ),
        notes=list(ThankYou.objects.filter(recipient=person, space=space).select_related("sender")),
        sections=space_parts(person, space),
    )


def rewards_of(space: Space) -> QuerySet[Reward]:
    return (
        Reward.objects.filter(space=space)
        .select_related("activity")
        .annotate(grant_count=Count("grants"))
    )


def rewards_offered_for(activity: Activity) -> list[Reward]:
    """Return the rewards stated for this activity, then those for its whole space."""
    rewards = Reward.objects.filter(space_id=activity.space_id).filter(
        Q(activity=activity) | Q(activity__isnull=True)
    )
    return sorted(rewards, key=lambda reward: reward.activity_id is None)


def grants_on_profile(person: Participant, spaces: QuerySet[Space]) -> list[RewardGrant]:
    return list(
        RewardGrant.objects.filter(
            participant=person, reward__space__in=spaces.values("pk")
        ).select_related("reward__space")
    )


def thank_yous_to(user: User) -> QuerySet[ThankYou]:
    return ThankYou.objects.filter(recipient__user=user).select_related("space", "sender")
