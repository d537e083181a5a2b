"""A safe Markdown subset for text people write: paragraphs, emphasis, lists, links, quotes.

Markdown is converted first, then nh3 keeps only the allowed tags and attributes,
so raw HTML and scripts in the source come out as harmless text or not at all.
"""

import html
import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# The help text under a field that takes this Markdown.
MARKDOWN_HELP = _("You can use **bold**, *italics*, lists and links.")


def render_markdown(text: str) -> SafeString:
    """Return `text` as sanitized HTML."""
    # Escaping & and < first turns any HTML in the source into visible text, while
    # ">" stays free for Markdown's quotes.
    source = text.replace("&", "&amp;").replace("<", "&lt;")
    html = markdown_lib.markdown(source, extensions=["sane_lists", "nl2br"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 just sanitized it


# Where one block of text ends and the next begins, so their words stay apart as text.
BLOCK_ENDS = re.compile(r"</(?:p|li|blockquote|pre)>|<br\s*/?>")
# An excerpt reads the start of a text only; a line end near the cut keeps Markdown whole.
EXCERPT_SOURCE_LENGTH = 800


def markdown_to_text(text: str) -> str:
    """Return what `text` says once rendered, as plain text on one line: no Markdown signs."""
    rendered = BLOCK_ENDS.sub(" ", render_markdown(text))
    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())


def excerpt(text: str, length: int) -> str:
    """Return the start of a Markdown text as plain text, cut at a word, at most `length` long."""
    if len(text) > EXCERPT_SOURCE_LENGTH:
        cut = text.rfind("\n", 0, EXCERPT_SOURCE_LENGTH)
        text = text[: cut if cut > EXCERPT_SOURCE_LENGTH // 2 else EXCERPT_SOURCE_LENGTH]
    plain = markdown_to_text(text)
    if len(plain) <= length:
        return plain
    shortened = plain[:length].rsplit(" ", 1)[0] if " " in plain[:length] else plain[:length]
    return shortened.rstrip(" ,;:.-–—") + "…"
