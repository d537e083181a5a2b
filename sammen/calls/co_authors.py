"""Reads for the co-author picker: members of the space found by name (queries.py is full)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from sammen.accounts.models import Participant

from .actions import MAX_CO_AUTHORS
from .models import Call

# A search shows this many members at most: enough to pick from, too few to list everyone.
MATCHES_SHOWN = 8
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class CoAuthorChoices:
    """What the picker shows: who is chosen, and who else matches what was typed."""

    query: str
    chosen: list[Participant]
    matches: list[Participant]
    more: bool  # more members match than are shown

    @property
    def searched(self) -> bool:
        return bool(self.query)


def co_author_candidates(call: Call, author: Participant) -> QuerySet[Participant]:
    """Return who may co-author an author's idea in the call: the space's other members."""
    return (
        Participant.objects.filter(user__memberships__space=call.activity.space)
        .exclude(pk=author.pk)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def clean_query(text: str) -> str:
    """Return a typed name as the search uses it: printable, single spaces, not too long."""
    printable = "".join(character for character in text if character.isprintable())
    return " ".join(printable.split())[:QUERY_MAX_LENGTH]


def co_author_choices(
    call: Call, author: Participant, query: str, chosen_ids: list[int]
) -> CoAuthorChoices:
    """Return the chosen co-authors and the members whose name holds `query`.

    Names only: an email address typed here finds nobody.
    """
    candidates = co_author_candidates(call, author)
    chosen = list(candidates.filter(pk__in=chosen_ids[: MAX_CO_AUTHORS * 2]))
    query = clean_query(query)
    matches: list[Participant] = []
    if query:
        matches = list(
            candidates.filter(user__display_name__icontains=query).exclude(
                pk__in=[person.pk for person in chosen]
            )[: MATCHES_SHOWN + 1]
        )
    return CoAuthorChoices(query, chosen, matches[:MATCHES_SHOWN], len(matches) > MATCHES_SHOWN)
