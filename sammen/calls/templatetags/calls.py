from typing import Any

from django import template

from sammen.accounts.models import Participant

from ..models import Idea
from ..profile import reward_for

register = template.Library()


@register.inclusion_tag("calls/_reward.html")
def selected_reward(idea: Idea, participant: Participant | None) -> dict[str, Any]:
    """Tell an author of a selected idea what the call promised them."""
    return {
        "reward": reward_for(idea, participant),
        "language": idea.call.activity.space.default_language,
    }
