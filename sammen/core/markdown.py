"""A safe Markdown subset for text people write: paragraphs, emphasis, lists, links, quotes.

Markdown is converted first, then nh3 keeps only the allowed tags and attributes,
so raw HTML and scripts in the source come out as harmless text or not at all.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


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
