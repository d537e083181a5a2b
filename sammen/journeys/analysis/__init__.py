"""A journey's emotions: what customers felt at each touchpoint, and what to do about it.

Pure Python, NumPy and SciPy, with no Django import. The database aggregates, so every
function takes histograms (counts per score), never single ratings: a journey of 30
touchpoints rated by 100,000 customers is 30 short arrays.

Nothing here is a sentence: moments and advice carry a reason key and the figures its
sentence quotes, and the Django layer words and translates them.

- ratings: `wilson`, `summarise` (mean with its t interval, bottom-two and top-two shares,
  two humps, wide spread), `difference` (Welch) and `pooled_mean`;
- nps: the Net Promoter Score with its interval;
- moments: `peak_end` and `moments` (the moments that matter);
- advice: `advise` (keep a person, automate, or automate with a handover).
"""

from sammen.core.stats import Z_95

from .advice import (
    CALM_NEGATIVE_SHARE,
    HIGH_VOLUME,
    INTENSE_DISTANCE,
    INTENSE_NEGATIVE_SHARE,
    MIN_PREFERENCE_ANSWERS,
    NARROW_SPREAD_SD,
    PREFERENCE_SHARE,
    Advice,
    AdviceReason,
    Choice,
    Reason,
    advise,
)
from .moments import (
    BELOW_MEAN_GAP,
    MIN_VOICES,
    NEGATIVE_VOICE_SHARE,
    REASON_ORDER,
    SHARPEST_DROP,
    Moment,
    MomentReason,
    PeakEnd,
    moments,
    peak_end,
)
from .nps import Nps, nps
from .ratings import (
    BIMODALITY_COEFFICIENT,
    END_SHARE,
    MIN_RATINGS,
    VALLEY_RATIO,
    WIDE_SPREAD_SD,
    Difference,
    Summary,
    difference,
    midpoint,
    pooled_mean,
    scale_factor,
    summarise,
    wilson,
)
from .touchpoints import Performer, Risk, TouchpointFigures

__all__ = [
    "BELOW_MEAN_GAP",
    "BIMODALITY_COEFFICIENT",
    "CALM_NEGATIVE_SHARE",
    "END_SHARE",
    "HIGH_VOLUME",
    "INTENSE_DISTANCE",
    "INTENSE_NEGATIVE_SHARE",
    "MIN_PREFERENCE_ANSWERS",
    "MIN_RATINGS",
    "MIN_VOICES",
    "NARROW_SPREAD_SD",
    "NEGATIVE_VOICE_SHARE",
    "PREFERENCE_SHARE",
    "REASON_ORDER",
    "SHARPEST_DROP",
    "VALLEY_RATIO",
    "WIDE_SPREAD_SD",
    "Z_95",
    "Advice",
    "AdviceReason",
    "Choice",
    "Difference",
    "Moment",
    "MomentReason",
    "Nps",
    "PeakEnd",
    "Performer",
    "Reason",
    "Risk",
    "Summary",
    "TouchpointFigures",
    "advise",
    "difference",
    "midpoint",
    "moments",
    "nps",
    "peak_end",
    "pooled_mean",
    "scale_factor",
    "summarise",
    "wilson",
]
