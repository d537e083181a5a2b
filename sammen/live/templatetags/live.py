from django import template

from ..models import ReactionKind

register = template.Library()


@register.filter
def scale(maximum: int) -> range:
    """Return 1 to `maximum`, for a rating scale or the places of a ranking."""
    return range(1, int(maximum) + 1)


@register.filter
def chosen_ids(response: object) -> set[int]:
    """Return the ids of the options picked in a poll answer."""
    if hasattr(response, "chosen"):  # just stored: no need to read it back
        return {option for option, _rank in response.chosen}
    choices = getattr(response, "choices", None)
    return {choice.option_id for choice in choices.all()} if choices is not None else set()


@register.filter
def rank_of(response: object, option_id: int) -> int | None:
    if hasattr(response, "chosen"):
        return dict(response.chosen).get(option_id)
    choices = getattr(response, "choices", None)
    if choices is None:
        return None
    for choice in choices.all():
        if choice.option_id == option_id:
            return int(choice.rank) if choice.rank else None
    return None


@register.simple_tag
def reaction_kinds() -> list[str]:
    """Return the reactions a session offers, for pages that show their images."""
    return list(ReactionKind.values)
