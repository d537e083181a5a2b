"""Near-duplicate statements, flagged while a participant writes (pure Python, no Django).

Two statements are near-duplicates when they share most of their telling words (the
Jaccard index of their words of three letters or more, or most of the shorter one's
words found in the longer one), or when their normalised texts read almost the same
(difflib's ratio). Words found in many of the conversation's statements ("festival",
"should") tell little and are left out of the word overlap. It is a nudge, not a
judge: the writer sees the likely twins and decides. Exact duplicates (the same
normalised text) are refused by the action.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import TypeVar

SIMILAR_AT = 0.6
SAME_WORDING_AT = 0.8
MAX_SIMILAR = 3
MIN_WORD_LENGTH = 3
MIN_CONTAINED_WORDS = 3
CONTAINED_WEIGHT = 0.85
# A word in more than this share of the statements (and in at least COMMON_MIN of
# them) is common in this conversation.
COMMON_SHARE = 0.2
COMMON_MIN = 3

_NOT_WORD = re.compile(r"[^\w]+")

T = TypeVar("T")


def normalised(text: str) -> str:
    """Return the text lower-cased, without accents, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalised(text).split() if len(w) >= MIN_WORD_LENGTH)


def similarity(first: str, second: str, common: frozenset[str] = frozenset()) -> float:
    """Return how alike two statements are, from 0 (nothing shared) to 1 (the same)."""
    a, b = normalised(first), normalised(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a, words_b = words(first) - common, words(second) - common
    union = words_a | words_b
    shared = len(words_a & words_b)
    score = shared / len(union) if union else 0.0
    fewer = min(len(words_a), len(words_b))
    if fewer >= MIN_CONTAINED_WORDS:
        # A short statement whose words all reappear in a longer one says much the same.
        score = max(score, CONTAINED_WEIGHT * shared / fewer)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() >= SAME_WORDING_AT and matcher.quick_ratio() >= SAME_WORDING_AT:
        wording = matcher.ratio()
        if wording >= SAME_WORDING_AT:
            score = max(score, wording)
    return score


def common_words(texts: list[str]) -> frozenset[str]:
    """Return the words that appear in many of the texts."""
    counts = Counter(word for text in texts for word in words(text))
    limit = max(COMMON_MIN, COMMON_SHARE * len(texts))
    return frozenset(word for word, count in counts.items() if count > limit)


def most_similar(
    text: str, candidates: Iterable[tuple[T, str]], *, limit: int = MAX_SIMILAR
) -> list[tuple[T, float]]:
    """Return up to `limit` (item, score) of the candidates alike enough to flag, best first."""
    if len(normalised(text)) < MIN_WORD_LENGTH:
        return []
    pairs = list(candidates)
    common = common_words([other for _item, other in pairs])
    found = [(item, similarity(text, other, common)) for item, other in pairs]
    flagged = [(item, score) for item, score in found if score >= SIMILAR_AT]
    flagged.sort(key=lambda pair: -pair[1])
    return flagged[:limit]
