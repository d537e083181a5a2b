"""The emotion scale and the emotion words a participant may pick at a touchpoint.

Words are stored as bits of `Rating.words`, so the database counts them per
touchpoint; their order here is their bit, so never reorder or reuse one: add new
words at the end.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Word:
    key: str
    label: StrOrPromise
    negative: bool

    @property
    def bit(self) -> int:
        return 1 << WORD_KEYS.index(self.key)


WORDS: tuple[Word, ...] = (
    Word("delighted", _("delighted"), False),
    Word("annoyed", _("annoyed"), True),
    Word("reassured", _("reassured"), False),
    Word("anxious", _("anxious"), True),
    Word("welcomed", _("welcomed"), False),
    Word("ignored", _("ignored"), True),
    Word("surprised", pgettext_lazy("emotion", "pleasantly surprised"), False),
    Word("bored", _("bored"), True),
    Word("helped", _("helped"), False),
    Word("confused", _("confused"), True),
    Word("at_ease", _("at ease"), False),
    Word("rushed", _("rushed"), True),
)
WORD_KEYS: tuple[str, ...] = tuple(word.key for word in WORDS)
MAX_WORDS_PER_RATING = 4
ALL_WORD_BITS = (1 << len(WORDS)) - 1


def words_to_bits(keys: list[str]) -> int:
    bits = 0
    for key in keys:
        bits |= 1 << WORD_KEYS.index(key)
    return bits


def bits_to_words(bits: int) -> list[Word]:
    return [word for word in WORDS if bits & word.bit]


@dataclass(frozen=True)
class Face:
    score: int
    face: str
    label: StrOrPromise


# Faces with words, from very negative to very positive: never colour alone.
SEVEN_POINTS: tuple[Face, ...] = (
    Face(1, "😠", _("Very negative")),
    Face(2, "🙁", _("Negative")),
    Face(3, "😕", _("Rather negative")),
    Face(4, "😐", _("Neutral")),
    Face(5, "🙂", _("Rather positive")),
    Face(6, "😊", _("Positive")),
    Face(7, "😍", _("Very positive")),
)
FIVE_POINTS: tuple[Face, ...] = (
    Face(1, "😠", _("Very negative")),
    Face(2, "🙁", _("Negative")),
    Face(3, "😐", _("Neutral")),
    Face(4, "🙂", _("Positive")),
    Face(5, "😍", _("Very positive")),
)


def faces(points: int) -> tuple[Face, ...]:
    return SEVEN_POINTS if points == 7 else FIVE_POINTS


def midpoint(points: int) -> float:
    return (points + 1) / 2
