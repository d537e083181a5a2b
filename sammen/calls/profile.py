"""The open call's part of a person's public profile: their ideas, and what selection brought."""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from sammen.accounts.models import Participant
from sammen.activities.models import Phase
from sammen.recognition.registry import ProfileSection, ProfileViewing
from sammen.spaces.models import Space

from .models import FINAL_ANSWERS, CoAuthor, Idea, IdeaStatus

IDEAS_PER_PAGE = 20
# The answers that give an idea's authors what the call promised.
REWARDED_STATUSES = {IdeaStatus.SELECTED, IdeaStatus.IN_PROGRESS, IdeaStatus.DONE}


def ideas_of(person: Participant, spaces: QuerySet[Space]) -> QuerySet[Idea]:
    """Return the ideas the person wrote or co-wrote in `spaces`, newest first."""
    co_written = CoAuthor.objects.filter(participant=person, accepted_at__isnull=False)
    return (
        Idea.objects.filter(Q(author=person) | Q(pk__in=co_written.values("idea_id")))
        .filter(call__activity__space__in=spaces.values("pk"))
        .exclude(call__activity__phase=Phase.DRAFT)
        .select_related("call__activity__space")
        .order_by("-created_at", "-id")
    )


def ideas_on_profile(
    person: Participant, spaces: QuerySet[Space], *, is_self: bool
) -> QuerySet[Idea]:
    """Return the ideas a profile lists: to others, never one that would unmask a blind author."""
    ideas = ideas_of(person, spaces)
    if is_self:
        return ideas
    return ideas.filter(hidden_at__isnull=True).exclude(
        Q(status=IdeaStatus.WITHDRAWN) | (Q(call__blind=True) & ~Q(status__in=FINAL_ANSWERS))
    )


def rewarded_ideas(person: Participant, spaces: QuerySet[Space]) -> list[Idea]:
    """Return the person's selected ideas whose call states what its authors get."""
    return list(
        ideas_of(person, spaces).filter(status__in=REWARDED_STATUSES).exclude(call__reward="")
    )


def reward_for(idea: Idea, participant: Participant | None) -> str:
    """Return what the call promised, when `participant` is an author of the selected idea."""
    reward = idea.call.reward.strip()
    if participant is None or not reward or idea.status not in REWARDED_STATUSES:
        return ""
    if idea.author_id == participant.pk:
        return reward
    is_co_author = CoAuthor.objects.filter(
        idea=idea, participant=participant, accepted_at__isnull=False
    ).exists()
    return reward if is_co_author else ""


def rewards_section(viewing: ProfileViewing) -> ProfileSection | None:
    """Show the person, and only them, what their selected ideas bring."""
    if not viewing.is_self:
        return None
    ideas = rewarded_ideas(viewing.person, viewing.spaces)
    if not ideas:
        return None
    return ProfileSection("calls/_profile_rewards.html", {"rewarded_ideas": ideas})


def ideas_section(viewing: ProfileViewing) -> ProfileSection:
    """List the person's ideas and their answers, a page at a time."""
    ideas = ideas_on_profile(viewing.person, viewing.spaces, is_self=viewing.is_self)
    page = Paginator(ideas, IDEAS_PER_PAGE).get_page(viewing.page_number)
    return ProfileSection("calls/_profile_ideas.html", {"ideas": page})
