"""Near-duplicate statements, flagged while a participant writes (pure Python, no Django).

Two statements are near-duplicates when their words overlap much (Jaccard index of
the words of three letters or more) or their normalised texts read much alike
(difflib's ratio). It is a nudge, not a judge: the writer sees the likely twins and
decides. Exact duplicates (the same normalised text) are refused by the action.
"""

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import TypeVar

SIMILAR_AT = 0.6
MAX_SIMILAR = 3
MIN_WORD_LENGTH = 3

_NOT_WORD = re.compile(r"[^\w]+")

T = TypeVar("T")


def normalised(text: str) -> str:
    """Return the text lower-cased, without accents, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalised(text).split() if len(w) >= MIN_WORD_LENGTH)


def similarity(first: str, second: str) -> float:
    """Return how alike two statements are, from 0 (nothing shared) to 1 (the same)."""
    a, b = normalised(first), normalised(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a, words_b = words(first), words(second)
    union = words_a | words_b
    overlap = len(words_a & words_b) / len(union) if union else 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_AT and overlap < SIMILAR_AT:
        return overlap
    return max(overlap, matcher.ratio())


def most_similar(
    text: str, candidates: Iterable[tuple[T, str]], *, limit: int = MAX_SIMILAR
) -> list[tuple[T, float]]:
    """Return up to `limit` (item, score) of the candidates alike enough to flag, best first."""
    if len(normalised(text)) < MIN_WORD_LENGTH:
        return []
    found = [(item, similarity(text, other)) for item, other in candidates]
    flagged = [(item, score) for item, score in found if score >= SIMILAR_AT]
    flagged.sort(key=lambda pair: -pair[1])
    return flagged[:limit]
