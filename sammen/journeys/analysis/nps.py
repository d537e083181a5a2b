"""The Net Promoter Score of the 0–10 "how likely are you to recommend us" question."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sammen.core.stats import Z_95

from .ratings import MIN_RATINGS

NPS_SCORES = 11
"""The question's scores, 0 to 10."""


@dataclass(frozen=True)
class Nps:
    """The Net Promoter Score, from -100 to 100, with its 95% interval.

    `score`, `low` and `high` are None without answers. Shares are of all answers:
    promoters 9–10, passives 7–8, detractors 0–6.
    """

    n: int
    score: float | None
    low: float | None
    high: float | None
    promoter_share: float
    passive_share: float
    detractor_share: float
    too_few: bool


def nps(counts: Sequence[int]) -> Nps:
    """Return the NPS of a histogram of 11 counts, `counts[i]` the answers with score i.

    score = 100 · (p - d), p and d the promoters' and detractors' shares. Its interval
    follows from the multinomial variance of the difference of two shares,
    var = (p + d - (p - d)²) / n: score ± 1.96 · √var · 100, clipped to [-100, 100].
    """
    if len(counts) != NPS_SCORES:
        raise ValueError(f"expected {NPS_SCORES} counts (scores 0 to 10), got {len(counts)}")
    if any(count < 0 for count in counts):
        raise ValueError("counts cannot be negative")
    n = sum(counts)
    detractors, passives, promoters = sum(counts[:7]), sum(counts[7:9]), sum(counts[9:])
    if n == 0:
        return Nps(0, None, None, None, 0.0, 0.0, 0.0, too_few=True)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    variance = max(0.0, p + d - (p - d) ** 2) / n
    half = Z_95 * math.sqrt(variance) * 100
    return Nps(
        n=n,
        score=score,
        low=max(-100.0, score - half),
        high=min(100.0, score + half),
        promoter_share=p,
        passive_share=passives / n,
        detractor_share=d,
        too_few=n < MIN_RATINGS,
    )
