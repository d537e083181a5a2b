"""Pure computations for live sessions: word clouds, rankings, quiz points. No Django here."""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MIN_WORD_LENGTH = 2

QUIZ_BASE_POINTS = 500
QUIZ_SPEED_POINTS = 500


def words_of(text: str, stop_words: frozenset[str]) -> list[str]:
    """Return the distinct words of an answer, normalised, without stop words, in order."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    seen: dict[str, None] = {}
    for match in WORD.finditer(normal):
        word = match.group(0).replace("’", "'")
        if len(word) >= MIN_WORD_LENGTH and word not in stop_words and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def word_frequencies(
    answers: Iterable[tuple[str, frozenset[str]]], limit: int = 40
) -> list[tuple[str, int]]:
    """Count in how many answers each word appears; each answer's own stop words are removed.

    Ties are broken alphabetically, so the same answers always give the same cloud.
    """
    counts: Counter[str] = Counter()
    for text, stop_words in answers:
        counts.update(words_of(text, stop_words))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


@dataclass(frozen=True)
class PlacedWord:
    word: str
    count: int
    x: float
    y: float
    size: float
    shade: int  # 0 (most frequent) to 3


def cloud_layout(
    frequencies: list[tuple[str, int]], width: float = 600, height: float = 320
) -> list[PlacedWord]:
    """Place words on an Archimedean spiral from the centre, largest first, without overlap.

    Text widths are estimated (0.58 em per character), which is close enough for a
    system sans-serif font; a word that finds no room is left out of the picture (the
    table beside the cloud lists every word).
    """
    if not frequencies:
        return []
    top = frequencies[0][1]
    bottom = frequencies[-1][1]
    placed: list[PlacedWord] = []
    boxes: list[tuple[float, float, float, float]] = []
    for index, (word, count) in enumerate(frequencies):
        weight = 1.0 if top == bottom else (count - bottom) / (top - bottom)
        size = round(16 + 40 * math.sqrt(weight), 1)
        box_width = len(word) * size * 0.58 + 6
        box_height = size * 1.05
        for step in range(900):
            angle = step * 0.35
            radius = 2.2 * angle
            cx = width / 2 + radius * math.cos(angle) * 1.6
            cy = height / 2 + radius * math.sin(angle) * 0.9
            left, top_edge = cx - box_width / 2, cy - box_height / 2
            if (
                left < 0
                or top_edge < 0
                or left + box_width > width
                or top_edge + box_height > height
            ):
                continue
            candidate = (left, top_edge, left + box_width, top_edge + box_height)
            if any(overlaps(candidate, other) for other in boxes):
                continue
            boxes.append(candidate)
            placed.append(
                PlacedWord(
                    word=word,
                    count=count,
                    x=round(cx, 1),
                    y=round(cy + size * 0.35, 1),
                    size=size,
                    shade=min(3, index // 4),
                )
            )
            break
    return placed


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def borda_scores(rankings: Iterable[list[int]], option_count: int) -> Counter[int]:
    """Score a ranking poll: first place earns `option_count` points, the last ranked one 1."""
    scores: Counter[int] = Counter()
    for ranking in rankings:
        for place, option_id in enumerate(ranking):
            scores[option_id] += option_count - place
    return scores


def quiz_points(correct: bool, seconds_taken: float, seconds_for_full: int) -> int:
    """Return the points for a quiz answer: half for being right, half more for being fast.

    The speed half shrinks linearly to nothing at `seconds_for_full` seconds.
    """
    if not correct:
        return 0
    speed = max(0.0, 1.0 - max(seconds_taken, 0.0) / seconds_for_full)
    return QUIZ_BASE_POINTS + round(QUIZ_SPEED_POINTS * speed)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
