"""What the analysis is told about one touchpoint: its ratings and how it is run."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Risk = Literal["low", "medium", "high"]
Performer = Literal["staff", "self_service", "automated"]


@dataclass(frozen=True)
class TouchpointFigures:
    """One touchpoint's aggregated answers and its settings, in journey order.

    `counts[i]` is the number of ratings with score i + 1. `skipped` counts "I didn't go
    through this". Words are the emotion words customers picked; `negative_comments` are
    the comments written with a bottom-two score. The three preference counts answer
    "would you rather be helped by a person or a machine here?". `volume` is how many
    customers pass here in a month, None when unknown.
    """

    counts: Sequence[int]
    skipped: int = 0
    negative_words: int = 0
    positive_words: int = 0
    negative_comments: int = 0
    comments: int = 0
    prefer_person: int = 0
    prefer_machine: int = 0
    no_preference: int = 0
    volume: int | None = None
    risk: Risk = "medium"
    performer: Performer = "staff"
