"""What an idea's card shows beyond its own row: a thumbnail, an excerpt, the next step.

Each is read for a whole page of ideas at once (one query for the images, one for the
thresholds, one cache round trip for the excerpts), so a list makes the same number
of queries however many ideas and images it shows.
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from sammen.core.markdown import excerpt

from .models import Call, Idea, IdeaImage, IdeaStatus, MomentumStage

# Characters of plain text a card shows of an idea.
EXCERPT_LENGTH = 180
# Excerpts are kept by the text they came from (an edited idea finds no entry); bump
# the version when the way they are made changes.
EXCERPT_VERSION = 1
EXCERPT_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class MomentumProgress:
    """How far an idea is towards the next momentum threshold (as LEGO Ideas shows it)."""

    supports: int
    needed: int
    # The threshold it is working towards, counted from 1, and how many there are.
    step: int
    steps: int
    # Whole days left to reach it, a started day counting as one; 0 once time is up.
    days_left: int

    @property
    def percent(self) -> int:
        return min(100, self.supports * 100 // self.needed)


def momentum_progress(
    idea: Idea, stages: list[MomentumStage], now: datetime
) -> MomentumProgress | None:
    """Return the idea's way to its next threshold, or None when it is on no such way."""
    if idea.status != IdeaStatus.PUBLISHED or idea.momentum_level >= len(stages):
        return None
    stage = stages[idea.momentum_level]
    left = idea.created_at + timedelta(days=stage.within_days) - now
    return MomentumProgress(
        supports=idea.support_count,
        needed=stage.supports_needed,
        step=idea.momentum_level + 1,
        steps=len(stages),
        days_left=max(0, math.ceil(left.total_seconds() / 86400)),
    )


def excerpt_key(text: str) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return f"calls:excerpt:{EXCERPT_VERSION}:{EXCERPT_LENGTH}:{digest}"


def add_excerpts(ideas: Sequence[Idea]) -> None:
    """Set `excerpt` on each idea: the start of its text, plain, from the cache when it can.

    Rendering the Markdown to read its text takes milliseconds an idea, too long for
    twenty cards on every list.
    """
    keys = {idea.pk: excerpt_key(idea.body) for idea in ideas}
    found = cache.get_many(list(set(keys.values()))) if keys else {}
    made: dict[str, str] = {}
    for idea in ideas:
        key = keys[idea.pk]
        if key not in found:
            found[key] = made[key] = excerpt(idea.body, EXCERPT_LENGTH)
        idea.excerpt = found[key]  # type: ignore[attr-defined]
    if made:
        cache.set_many(made, EXCERPT_CACHE_SECONDS)


def add_card_details(ideas: Sequence[Idea], call: Call, now: datetime) -> None:
    """Set `thumbnail` (the first image, or None), `excerpt` and `momentum` on each idea."""
    thumbnails: dict[int, IdeaImage] = {}
    if ideas:
        images = IdeaImage.objects.filter(idea_id__in=[idea.pk for idea in ideas]).order_by(
            "-position", "-id"
        )
        # Read last to first, so the first image of each idea is the one that stays.
        thumbnails = {image.idea_id: image for image in images}
    # Support counts only while the call takes support; then the thresholds matter.
    stages = list(call.momentum_stages.all()) if ideas and call.accepts_support else []
    add_excerpts(ideas)
    for idea in ideas:
        idea.thumbnail = thumbnails.get(idea.pk)  # type: ignore[attr-defined]
        idea.momentum = momentum_progress(idea, stages, now)  # type: ignore[attr-defined]


# What a card says when the viewer supports its idea (calls/_idea_card.html includes it).
SUPPORTED_MARK = "calls/_supported_mark.html"


def card_opening(idea_id: int, *, supported: bool) -> str:
    """Return the tag that opens an idea's card, exactly as calls/_idea_card.html writes it."""
    modifier = " idea-card--supported" if supported else ""
    return f'<li class="card idea-card{modifier}" data-idea="{idea_id}">'


def unsupported_mark(idea_id: int) -> str:
    """Return where a card without the viewer's support would say that it has it."""
    return f"<!--supported:{idea_id}-->"


def with_own_supports(html: str, supported: set[int]) -> SafeString:
    """Mark the viewer's own supports on a list rendered for everyone in their place.

    The result is the list as it would be rendered for the viewer alone (a test holds
    this): each supported idea's card gets its modifier and the words "You support
    this". Titles and texts are escaped, so what a person wrote cannot look like the
    tags replaced here.
    """
    if supported:
        mark = render_to_string(SUPPORTED_MARK)
        for idea_id in supported:
            html = html.replace(
                card_opening(idea_id, supported=False), card_opening(idea_id, supported=True), 1
            ).replace(unsupported_mark(idea_id), mark, 1)
    return mark_safe(html)  # noqa: S308 - HTML rendered by calls/ideas.html, changed above
