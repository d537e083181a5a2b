import bisect
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.comments.models import Comment
from sammen.core.http import parse_id, parse_int
from sammen.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
)

from ..caching import IDEAS, versions
from ..idea_cards import add_card_details
from ..models import (
    AWAITING_ANSWER,
    SHUFFLE_MODULUS,
    SHUFFLE_MULTIPLIER,
    Call,
    CoAuthor,
    Criterion,
    Idea,
    IdeaStatus,
    Score,
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
) -> Page[Idea]:
    """Return one page of the call's ideas as the viewer asked for them."""
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
    mark_supported(page.object_list, access.participant)
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


def mark_supported(ideas: Any, participant: Participant | None) -> None:
    """Set `supported_by_viewer` on each idea, with one query for the whole page."""
    ideas = list(ideas)
    supported: set[int] = set()
    if participant is not None and ideas:
        supported = set(
            Support.objects.filter(
                participant=participant, idea_id__in=[idea.pk for idea in ideas]
            ).values_list("idea_id", flat=True)
        )
    for idea in ideas:
        idea.supported_by_viewer = idea.pk in supported


# Top-level comments per page of a discussion, each with all its replies.
COMMENTS_PER_PAGE = 20


@dataclass
class CommentPage:
    """One page of a discussion: top-level comments with their replies, oldest first."""

    comments: list[Comment]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    def __len__(self) -> int:
        return len(self.comments)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class IdeaPage:
    idea: Idea
    comments: CommentPage
    co_authors: list[CoAuthor]
    built_upon_by: list[Idea]
    supported: bool
    following: bool
    pending_co_authorship: CoAuthor | None


def visible_comments(access: CallAccess) -> Q:
    """Hidden comments show to their author and the organisers only."""
    if access.can_manage:
        return Q()
    if access.participant is not None:
        return Q(hidden_at__isnull=True) | Q(author=access.participant)
    return Q(hidden_at__isnull=True)


def page_number_of(value: str | int | None) -> int:
    """Return a page number from the query string: 1 unless it is a whole number from 1 up."""
    return parse_int(value, low=1, high=999_999) or 1


def comments_for(access: CallAccess, idea: Idea, page_number: str | int | None = 1) -> CommentPage:
    """Return one page of the discussion; hidden comments only for those who may see them.

    A busy idea has thousands of comments: a page holds COMMENTS_PER_PAGE of them, with
    their replies, and "Show more comments" brings the next.
    """
    visible = visible_comments(access)
    number = page_number_of(page_number)
    replies = Comment.objects.filter(visible).select_related("author__user").order_by("created_at")
    start = (number - 1) * COMMENTS_PER_PAGE
    rows = list(
        Comment.objects.filter(visible, thread=idea.thread, parent__isnull=True)
        .select_related("author__user")
        .prefetch_related(Prefetch("replies", queryset=replies))[
            start : start + COMMENTS_PER_PAGE + 1
        ]
    )
    shown = rows[:COMMENTS_PER_PAGE]
    render_bodies([*shown, *(reply for comment in shown for reply in comment.replies.all())])
    return CommentPage(comments=shown, number=number, has_next=len(rows) > COMMENTS_PER_PAGE)


# Rendered Markdown is kept by the text it came from (and the rules that rendered it),
# so an edited comment simply finds no entry; a day lets texts nobody reads go.
MARKDOWN_CACHE_SECONDS = 24 * 3600
MARKDOWN_RULES = hashlib.blake2b(
    repr(
        (sorted(ALLOWED_TAGS), sorted(ALLOWED_ATTRIBUTES.items()), sorted(ALLOWED_URL_SCHEMES))
    ).encode(),
    digest_size=6,
).hexdigest()


def markdown_key(text: str) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return f"calls:md:{MARKDOWN_RULES}:{digest}"


def render_bodies(comments: list[Comment]) -> None:
    """Set `body_html` on each comment, from the cache when the same text was rendered before.

    Rendering Markdown takes a millisecond or more a comment: a page of a discussion
    would spend most of its time on it.
    """
    keys = {comment.pk: markdown_key(comment.body) for comment in comments}
    found = cache.get_many(list(set(keys.values()))) if keys else {}
    rendered = {}
    for comment in comments:
        key = keys[comment.pk]
        html = found.get(key)
        if html is None:
            html = rendered[key] = str(render_markdown(comment.body))
            found[key] = html
        comment.body_html = mark_safe(html)  # type: ignore[attr-defined]  # noqa: S308 - sanitized
    if rendered:
        cache.set_many(rendered, MARKDOWN_CACHE_SECONDS)


def comment_page_number(access: CallAccess, idea: Idea, comment_id: str | int | None) -> int:
    """Return the page of the discussion that shows a comment (a reply shows under its own).

    With no comment named, the last page, where a new comment appears; with one that
    is not there (or not for this viewer), the first.
    """
    visible = visible_comments(access)
    top_level = Comment.objects.filter(visible, thread=idea.thread, parent__isnull=True)
    comment = None
    if comment_id is not None:
        comment_pk = parse_id(comment_id)
        if comment_pk is None:
            return 1
        comment = (
            Comment.objects.filter(visible, thread=idea.thread, pk=comment_pk)
            .select_related("parent")
            .first()
        )
        if comment is None:
            return 1
    if comment is None:
        before = top_level.count() - 1
    else:
        shown = comment.parent or comment
        before = top_level.filter(
            Q(created_at__lt=shown.created_at) | Q(created_at=shown.created_at, pk__lt=shown.pk)
        ).count()
    return max(before, 0) // COMMENTS_PER_PAGE + 1


def comment_url(comment: Comment, idea: Idea) -> str:
    """Return the address of a comment: its idea's page, at the page of the discussion it is on."""
    return f"{idea.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"


def idea_page(access: CallAccess, idea: Idea, user: User | None, comments: CommentPage) -> IdeaPage:
    from sammen.notifications.models import Follow

    participant = access.participant
    co_authors = list(idea.co_authors.select_related("participant__user"))
    pending = next(
        (
            co_author
            for co_author in co_authors
            if participant is not None
            and co_author.participant_id == participant.pk
            and co_author.accepted_at is None
        ),
        None,
    )
    return IdeaPage(
        idea=idea,
        comments=comments,
        co_authors=[co_author for co_author in co_authors if co_author.accepted_at is not None],
        built_upon_by=list(
            idea.built_upon_by.filter(hidden_at__isnull=True).only("id", "title", "call_id")
        ),
        supported=participant is not None
        and Support.objects.filter(idea=idea, participant=participant).exists(),
        following=user is not None
        and Follow.objects.filter(user=user, thread=idea.thread).exists(),
        pending_co_authorship=pending,
    )


def jury_summary(call: Call) -> dict[int, dict[str, Any]]:
    """Return, per idea, the weighted mean jury score (1-5) and how many evaluators scored."""
    criteria = {criterion.pk: criterion.weight for criterion in Criterion.objects.filter(call=call)}
    totals: dict[int, dict[str, Any]] = {}
    rows = (
        Score.objects.filter(idea__call=call)
        .values("idea_id", "criterion_id")
        .annotate(mean=Avg("value"), evaluators=Count("evaluator", distinct=True))
    )
    for row in rows:
        entry = totals.setdefault(row["idea_id"], {"weighted": 0.0, "weight": 0, "evaluators": 0})
        weight = criteria.get(row["criterion_id"], 0)
        entry["weighted"] += float(row["mean"]) * weight
        entry["weight"] += weight
        entry["evaluators"] = max(entry["evaluators"], row["evaluators"])
    return {
        idea_id: {
            "score": round(entry["weighted"] / entry["weight"], 2) if entry["weight"] else None,
            "evaluators": entry["evaluators"],
        }
        for idea_id, entry in totals.items()
    }


def ideas_to_answer(call: Call) -> QuerySet[Idea]:
    """The organiser's answering list: ideas with support and jury side by side."""
    return (
        Idea.objects.filter(call=call)
        .exclude(status__in=[IdeaStatus.WITHDRAWN])
        .select_related("author__user")
        .order_by("answered_at", "-support_count", "-id")
    )


def ideas_awaiting_answer(call: Call) -> QuerySet[Idea]:
    """Return the ideas that still wait for the answer the call promised.

    Only ideas everyone may see count: hidden ones are out of the call's public view,
    withdrawn and archived ones get no answer, and *under review* is not an answer.
    """
    return Idea.objects.filter(call=call, hidden_at__isnull=True, status__in=AWAITING_ANSWER)


def count_ideas_awaiting_answer(call: Call) -> int:
    """Count the ideas still waiting for an answer, from the cache while no idea changed.

    Every page of an overdue call shows the count; answering, hiding, withdrawing or
    archiving an idea changes the ideas version, so the count is never stale.
    """
    version = versions(call.pk)[IDEAS]
    key = f"calls:awaiting-answer:{call.pk}:{version}"
    count = cache.get(key)
    if count is None:
        count = ideas_awaiting_answer(call).count()
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return int(count)


@dataclass(frozen=True)
class ReviewPromise:
    """The organisers' promise to answer the ideas by the end of the review."""

    promised_by: datetime
    overdue: bool
    # Ideas still waiting for an answer, counted once the promise is overdue (else 0).
    waiting: int


def review_promise(call: Call, now: datetime, *, count: bool = True) -> ReviewPromise | None:
    """Return the promise of answers while the call is in review and has a review date.

    With `count`, an overdue promise counts the ideas still waiting for their answer.
    """
    if call.review_ends_at is None or not call.in_review_at(now):
        return None
    overdue = now >= call.review_ends_at
    waiting = count_ideas_awaiting_answer(call) if overdue and count else 0
    return ReviewPromise(promised_by=call.review_ends_at, overdue=overdue, waiting=waiting)


@dataclass
class CallReport:
    participants: int
    ideas: int
    supports: int
    comments: int
    answered: int
    answered_share: float
    median_days_to_answer: float | None
    selected: list[Idea]
    by_status: dict[str, int]
    timeline: list[dict[str, Any]]


def call_report(call: Call) -> CallReport:
    """Return the figures of the call's closing report."""
    # What moderators hid or authors withdrew is not part of what the call gathered.
    ideas = Idea.objects.filter(call=call, hidden_at__isnull=True).exclude(
        status=IdeaStatus.WITHDRAWN
    )
    idea_ids = ideas.values("id")
    supports = Support.objects.filter(idea__in=idea_ids)
    comments = Comment.objects.filter(
        thread__idea__in=idea_ids, deleted_at__isnull=True, hidden_at__isnull=True
    )
    participants = (
        set(ideas.values_list("author_id", flat=True))
        | set(supports.values_list("participant_id", flat=True))
        | set(comments.values_list("author_id", flat=True))
    )
    idea_count = ideas.count()
    answered = ideas.filter(answered_at__isnull=False)
    waits = [
        (answered_at - created_at).total_seconds() / 86400
        for created_at, answered_at in answered.values_list("created_at", "answered_at")
        if answered_at is not None
    ]
    by_status = dict(
        ideas.values("status").annotate(count=Count("id")).values_list("status", "count")
    )
    return CallReport(
        participants=len(participants),
        ideas=idea_count,
        supports=supports.count(),
        comments=comments.count(),
        answered=len(waits),
        answered_share=len(waits) / idea_count if idea_count else 0.0,
        median_days_to_answer=round(median(waits), 1) if waits else None,
        selected=list(
            ideas.filter(status__in=[IdeaStatus.SELECTED, IdeaStatus.IN_PROGRESS, IdeaStatus.DONE])
            .select_related("author__user")
            .order_by("-support_count")
        ),
        by_status=by_status,
        timeline=participation_timeline(call),
    )


def participation_timeline(call: Call) -> list[dict[str, Any]]:
    """Return ideas, supports and comments per day, from the first day to the last."""
    series: dict[date, dict[str, int]] = {}
    sources = [
        ("ideas", Idea.objects.filter(call=call).annotate(day=TruncDate("created_at"))),
        ("supports", Support.objects.filter(idea__call=call).annotate(day=TruncDate("created_at"))),
        (
            "comments",
            Comment.objects.filter(thread__idea__call=call).annotate(day=TruncDate("created_at")),
        ),
    ]
    for key, rows in sources:
        for row in rows.values("day").annotate(count=Count("id")):
            series.setdefault(row["day"], {"ideas": 0, "supports": 0, "comments": 0})[key] = row[
                "count"
            ]
    if not series:
        return []
    first, last = min(series), max(series)
    days = []
    day = first
    while day <= last:
        days.append({"day": day, **series.get(day, {"ideas": 0, "supports": 0, "comments": 0})})
        day += timedelta(days=1)
    return days


def call_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    """Return the figures a success measure of a call can be counted by."""
    call = Call.objects.filter(activity=activity).first()
    if call is None:
        return {}
    report = call_report(call)
    return {
        "participants": (str(_("Participants")), report.participants),
        "ideas": (str(_("Ideas")), report.ideas),
        "supports": (str(_("Supports")), report.supports),
        "comments": (str(_("Comments")), report.comments),
        "answered_share": (
            str(_("Share of ideas answered (%)")),
            round(100 * report.answered_share, 1),
        ),
        "selected": (str(_("Ideas selected")), len(report.selected)),
    }
