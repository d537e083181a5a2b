"""Text people type: trimmed, of a bounded length, without invisible characters."""

import unicodedata

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused

from ..models import LiveSession


def clean_text(text: str, *, max_length: int, empty: str, field: str, one_line: bool) -> str:
    """Return `text` trimmed, or refuse it: empty, too long, or with invisible characters."""
    text = (text or "").strip()
    if not text:
        raise ActionRefused(empty, field=field)
    if len(text) > max_length:
        raise ActionRefused(
            _("Keep it to %(count)s characters or fewer.") % {"count": max_length}, field=field
        )
    allowed = {"\n", "\r", "\t"} if not one_line else set()
    if any(
        unicodedata.category(character) in {"Cc", "Cs", "Co"} and character not in allowed
        for character in text
    ):
        raise ActionRefused(
            _("Remove the invisible control characters from this text."), field=field
        )
    if one_line and ("\n" in text or "\r" in text):
        raise ActionRefused(_("Keep this on one line."), field=field)
    return text


def languages_of(session: LiveSession) -> list[str]:
    return [session.activity.space.default_language, get_language() or "en"]
