"""The list of ideas: what a visitor may see, searching, sorting, shuffling and counting."""

import bisect
import hashlib
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import ExpressionWrapper, F, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant

from ..caching import IDEAS, versions
from ..idea_cards import add_card_details
from ..models import (
    SHUFFLE_MODULUS,
    SHUFFLE_MULTIPLIER,
    CoAuthor,
    Idea,
    IdeaStatus,
    Support,
    shuffle_key,
)
from ..permissions import CallAccess

PAGE_SIZE = 20
# Counts stay correct without a time limit (the ideas version keys them); the limit only
# lets entries of quiet calls go.
COUNT_CACHE_SECONDS = 3600

SORTS = {
    "random": _("Random"),
    "newest": _("Newest"),
    "supported": _("Most supported"),
    "discussed": _("Most discussed"),
    "trending": _("Trending"),
}
FILTERS = {
    "all": _("All"),
    "published": _("Open for support"),
    "under_review": _("Under review"),
    "answered": _("Answered"),
    "mine": _("Mine"),
}
# PostgreSQL's text search configurations for the spaces' languages. Each has a GIN index
# on the expression search() builds (migration 0002): add one with a new language.
SEARCH_CONFIG = {"en": "english", "nl": "dutch", "da": "danish", "sv": "swedish"}


def visible_ideas(access: CallAccess) -> QuerySet[Idea]:
    """Return the ideas a viewer may see in a list: not hidden, not deleted."""
    ideas = Idea.objects.filter(call=access.call, hidden_at__isnull=True)
    return ideas.exclude(status=IdeaStatus.ARCHIVED) if not access.can_manage else ideas


def ideas_for(
    access: CallAccess,
    *,
    sort: str = "random",
    status: str = "all",
    query: str = "",
    seed: int = 1,
    page_number: str | int | None = 1,
    mark_supports: bool = True,
) -> Page[Idea]:
    """Return one page of the call's ideas as the viewer asked for them.

    With `mark_supports` off, no idea is marked as the viewer's support: the page is
    rendered for everyone in the viewer's place, and each gets their own marks after.
    """
    ideas = visible_ideas(access)
    if status == "mine" and access.participant is None:
        ideas = ideas.none()
    elif status == "mine":
        co_authored = CoAuthor.objects.filter(
            participant=access.participant, accepted_at__isnull=False
        ).values("idea_id")
        ideas = ideas.filter(Q(author=access.participant) | Q(pk__in=co_authored))
    elif status == "answered":
        ideas = ideas.filter(answered_at__isnull=False)
    elif status in {IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW}:
        ideas = ideas.filter(status=status)
    if query.strip():
        ideas = search(ideas, query.strip(), access.call.activity.space.default_language)
    matches = search_matches(access, ideas, status, query.strip()) if query.strip() else None
    paginator = Paginator(ideas, PAGE_SIZE)
    paginator.count = (
        len(matches) if matches is not None else count_ideas(access, ideas, status, "")
    )
    page = paginator.get_page(page_number)
    first = (page.number - 1) * PAGE_SIZE
    in_index_order = not query.strip() and connection.features.supports_slicing_ordering_in_compound
    if sort == "random" and matches is not None:
        ids = turned_page(matches, seed, first, PAGE_SIZE)
        rows = ideas.filter(pk__in=ids).select_related("author__user").in_bulk()
        page.object_list = [rows[pk] for pk in ids if pk in rows]
    elif sort == "random" and in_index_order:
        ids = shuffled_ids(ideas, seed, first, PAGE_SIZE)
        rows = ideas.filter(pk__in=ids).select_related("author__user").in_bulk()
        page.object_list = [rows[pk] for pk in ids if pk in rows]
    else:
        # Cut the page from the ideas alone, then join what the cards show for its rows
        # only: with the joins in the same query, PostgreSQL joins every idea of the call
        # before it sorts them.
        ordered = sorted_ideas(ideas, sort, seed)
        on_page = ordered.values("pk")[first : first + PAGE_SIZE]
        page.object_list = list(ordered.filter(pk__in=on_page).select_related("author__user"))
    for idea in page.object_list:
        idea.call = access.call  # loaded once with its activity and space, not per idea
    mark_supported(page.object_list, access.participant if mark_supports else None)
    add_card_details(page.object_list, access.call, timezone.now())
    return page


# A search keeps the ids it matched while no idea changes (at most this many of them).
SEARCH_CACHE_SECONDS = 600
SEARCH_CACHE_LIMIT = 20_000


def shuffle_key_of(pk: int) -> int:
    return pk * SHUFFLE_MULTIPLIER % SHUFFLE_MODULUS


def search_matches(access: CallAccess, ideas: QuerySet[Idea], status: str, query: str) -> list[int]:
    """Return the ids of the ideas a search matches, in the random order before any seed.

    Searching tests the text of every match and sorting them takes all of them (20 ms
    for a word in 8,000 of 100,000 ideas); the ids stay the same until an idea comes,
    goes or changes, so they are kept by the ideas version, and each visitor's order,
    the count and any page come from them.
    """
    key = None
    if status != "mine":
        version = versions(access.call.pk)[IDEAS]
        digest = hashlib.blake2b(query.encode(), digest_size=12).hexdigest()
        key = f"calls:search:{access.call.pk}:{version}:{int(access.can_manage)}:{status}:{digest}"
        found = cache.get(key)
        if found is not None:
            return list(found)
    matches = sorted(ideas.values_list("pk", flat=True), key=shuffle_key_of)
    if key is not None and len(matches) <= SEARCH_CACHE_LIMIT:
        cache.set(key, matches, SEARCH_CACHE_SECONDS)
    return matches


def turned_page(matches: list[int], seed: int, first: int, count: int) -> list[int]:
    """Return a page of `matches` (sorted by shuffle key) in the order the seed gives them.

    The same order as sorted_ideas(): the keys from P − seed up, then those below.
    """
    if not matches:
        return []
    start = bisect.bisect_left(matches, SHUFFLE_MODULUS - seed, key=shuffle_key_of)
    last = min(first + count, len(matches))
    return [matches[(start + index) % len(matches)] for index in range(first, last)]


def count_ideas(access: CallAccess, ideas: QuerySet[Idea], status: str, query: str) -> int:
    """Count the ideas of a list, from the cache while no idea came, went or changed status.

    Counting reads every listed idea of the call (a tenth of a second at 100,000), the
    rest of a page reads twenty; the count is the same for every viewer of a filter.
    """
    if status == "mine":
        return ideas.count()
    version = versions(access.call.pk)[IDEAS]
    digest = hashlib.blake2b(query.encode(), digest_size=12).hexdigest()
    key = f"calls:count:{access.call.pk}:{version}:{int(access.can_manage)}:{status}:{digest}"
    count = cache.get(key)
    if count is None:
        count = ideas.count()
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return int(count)


def shuffled_ids(ideas: QuerySet[Idea], seed: int, first: int, count: int) -> list[int]:
    """Return the ids at positions first to first + count of the visitor's random order.

    (id × M + seed) mod P orders the ideas as the key (id × M) mod P does, turned to
    start at P − seed: first the keys from P − seed up, then those below it. So a page
    reads two runs of the idea_shuffled index, each in order and only as far as the page,
    instead of hashing and sorting every idea of the call.
    """
    cut = SHUFFLE_MODULUS - seed
    keyed = ideas.annotate(shuffle=shuffle_key())
    runs = [
        keyed.filter(shuffle__gte=cut).annotate(run=Value(0)),
        keyed.filter(shuffle__lt=cut).annotate(run=Value(1)),
    ]
    first_run, second_run = (
        run.order_by("shuffle").values_list("pk", "run", "shuffle")[: first + count] for run in runs
    )
    both = first_run.union(second_run, all=True).order_by("run", "shuffle")
    return [pk for pk, _run, _key in both[first : first + count]]


def search(ideas: QuerySet[Idea], query: str, language: str) -> QuerySet[Idea]:
    if connection.vendor == "postgresql":
        config = SEARCH_CONFIG.get(language, "simple")
        vector = SearchVector("title", weight="A", config=config) + SearchVector(
            "body", weight="B", config=config
        )
        # The same expression as the idea_search_* indexes, which PostgreSQL then uses.
        return ideas.alias(search=vector).filter(
            search=SearchQuery(query, config=config, search_type="websearch")
        )
    matches = Q()
    for word in query.split()[:8]:
        matches &= Q(title__icontains=word) | Q(body__icontains=word)
    return ideas.filter(matches)


def sorted_ideas(ideas: QuerySet[Idea], sort: str, seed: int) -> QuerySet[Idea]:
    if sort == "newest":
        return ideas.order_by("-created_at", "-id")
    if sort == "supported":
        return ideas.order_by("-support_count", "-id")
    if sort == "discussed":
        return ideas.order_by("-comment_count", "-id")
    if sort == "trending":
        return ideas.order_by("-trending", "-id")
    shuffle = ExpressionWrapper(
        (F("id") * SHUFFLE_MULTIPLIER + seed) % SHUFFLE_MODULUS, output_field=IntegerField()
    )
    return ideas.annotate(shuffle=shuffle).order_by("shuffle", "id")


def supported_among(participant: Participant | None, idea_ids: list[int]) -> set[int]:
    """Return which of the ideas the participant supports, in one query."""
    if participant is None or not idea_ids:
        return set()
    return set(
        Support.objects.filter(participant=participant, idea_id__in=idea_ids).values_list(
            "idea_id", flat=True
        )
    )


def mark_supported(ideas: Any, participant: Participant | None) -> None:
    """Set `supported_by_viewer` on each idea, with one query for the whole page."""
    ideas = list(ideas)
    supported = supported_among(participant, [idea.pk for idea in ideas])
    for idea in ideas:
        idea.supported_by_viewer = idea.pk in supported
