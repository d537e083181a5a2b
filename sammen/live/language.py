"""Words in open-text answers: normalising, stop words, and the profanity flag.

Stop words come from the `stop-words` package and the profanity lists from the
`glin-profanity` package's dictionaries (both maintained, MIT/BSD licensed). A match
flags an answer for a moderator to look at; nothing is dropped or rewritten.
"""

import unicodedata
from functools import cache

from glin_profanity import Filter
from stop_words import get_stop_words

LANGUAGE_NAMES = {"en": "english", "nl": "dutch", "da": "danish", "sv": "swedish"}


def normalise(text: str) -> str:
    """Return `text` in one Unicode form and case, so "Café", "CAFÉ" and "café" are one word."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


@cache
def stop_words(language: str) -> frozenset[str]:
    if language not in LANGUAGE_NAMES:
        return frozenset()
    return frozenset(normalise(word) for word in get_stop_words(language))


@cache
def _profanity_filter(languages: tuple[str, ...]) -> Filter:
    names = [LANGUAGE_NAMES[code] for code in languages if code in LANGUAGE_NAMES]
    return Filter({"languages": names or ["english"]})


def looks_profane(text: str, languages: list[str]) -> bool:
    """Return whether `text` contains a word from the profanity list of any of `languages`."""
    wanted = tuple(sorted({code for code in [*languages, "en"] if code in LANGUAGE_NAMES}))
    return bool(_profanity_filter(wanted).is_profane(text))
