"""Comments' Markdown, rendered once per text and kept in the cache."""

import hashlib

from django.core.cache import cache
from django.utils.safestring import mark_safe

from sammen.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
)

from .models import Comment

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
    return f"comments:md:{MARKDOWN_RULES}:{digest}"


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
