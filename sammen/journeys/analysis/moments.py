"""The moments that matter along a journey: low points, the sharpest drop, peak and end."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from .ratings import Summary, difference, midpoint, pooled_mean, scale_factor, summarise
from .touchpoints import TouchpointFigures

MomentReason = Literal["below_mean", "sharpest_drop", "peak", "end", "polarised", "negative_voices"]
REASON_ORDER: tuple[MomentReason, ...] = (
    "below_mean",
    "sharpest_drop",
    "peak",
    "end",
    "polarised",
    "negative_voices",
)

BELOW_MEAN_GAP = 0.25
"""How far, on a 7-point scale, a low point's mean is at least below the journey's mean."""

SHARPEST_DROP = 0.5
"""The smallest fall of the mean, on a 7-point scale, that counts as a drop."""

MIN_VOICES = 5
"""Negative words or comments count as voices from this many on."""

NEGATIVE_VOICE_SHARE = 0.5
"""The part of the words (or comments) that must be negative."""


@dataclass(frozen=True)
class PeakEnd:
    """The peak-end rule: a journey is remembered by its most intense moment and its end.

    `remembered` is the mean of the peak's and the end's means, `plain` the mean of all
    touchpoints' means; their gap says how much memory differs from the average.
    """

    peak_index: int
    peak_mean: float
    end_index: int
    end_mean: float
    remembered: float
    plain: float


def peak_end(means: Sequence[float | None], midpoint: float) -> PeakEnd | None:
    """Return the peak and the end of touchpoint means in journey order; None if all None.

    None is a touchpoint without (enough) ratings and is skipped. The peak is the mean
    furthest from the scale's `midpoint`, in either direction, the earlier on a tie; the
    end is the last touchpoint with a mean.
    """
    rated = [(index, mean) for index, mean in enumerate(means) if mean is not None]
    if not rated:
        return None
    peak_index, peak_mean = rated[0]
    for index, mean in rated[1:]:
        if abs(mean - midpoint) > abs(peak_mean - midpoint):
            peak_index, peak_mean = index, mean
    end_index, end_mean = rated[-1]
    return PeakEnd(
        peak_index=peak_index,
        peak_mean=peak_mean,
        end_index=end_index,
        end_mean=end_mean,
        remembered=(peak_mean + end_mean) / 2,
        plain=sum(mean for _, mean in rated) / len(rated),
    )


@dataclass(frozen=True)
class Moment:
    """A touchpoint that matters, why (`reason`, a key), and the numbers that say so."""

    index: int
    reason: MomentReason
    figures: dict[str, float]


def moments(
    touchpoints: Sequence[TouchpointFigures],
    points: int,
    summaries: Sequence[Summary] | None = None,
) -> list[Moment]:
    """Return the moments that matter, sorted by touchpoint, then in REASON_ORDER.

    Pass `summaries` (one per touchpoint, from `summarise`) to reuse them. "Reliable"
    below means not too few ratings (MIN_RATINGS). A touchpoint can have several moments.

    - below_mean: reliable, its mean's 95% interval lies entirely below the journey's
      mean (the mean of all ratings of all touchpoints), and its mean is at least 0.25
      below it on 7 points (1/6 on 5): with 100,000 ratings every interval is narrow,
      and a gap of a few hundredths is certain but no moment that matters.
    - sharpest_drop: the largest fall of the mean from one reliable touchpoint to the next
      reliable one (touchpoints with too few ratings between them are passed over), of at
      least 0.5 on 7 points (1/3 on 5) and with a Welch interval that excludes zero;
      flagged on the later touchpoint; the earlier pair wins a tie.
    - peak, end: `peak_end` over the reliable touchpoints' means.
    - polarised: two humps or a wide spread (`Summary.bimodal`, `Summary.spread_wide`).
    - negative_voices: at least 5 negative emotion words making at least half of the
      words picked, or at least 5 negative comments making at least half of the comments.
    """
    if summaries is None:
        summaries = [summarise(touchpoint.counts, points) for touchpoint in touchpoints]
    if len(summaries) != len(touchpoints):
        raise ValueError("one summary per touchpoint")
    found: list[Moment] = []
    journey_mean = pooled_mean([touchpoint.counts for touchpoint in touchpoints])
    reliable = [None if s.too_few else s.mean for s in summaries]
    for index, summary in enumerate(summaries):
        if (
            journey_mean is not None
            and not summary.too_few
            and summary.mean is not None
            and summary.ci_low is not None
            and summary.ci_high is not None
            and summary.ci_high < journey_mean
            and summary.mean <= journey_mean - BELOW_MEAN_GAP * scale_factor(points)
        ):
            found.append(
                Moment(
                    index,
                    "below_mean",
                    {
                        "mean": summary.mean,
                        "ci_low": summary.ci_low,
                        "ci_high": summary.ci_high,
                        "journey_mean": journey_mean,
                    },
                )
            )
        if summary.bimodal or summary.spread_wide:
            found.append(
                Moment(
                    index,
                    "polarised",
                    {
                        "sd": float(summary.sd or 0.0),
                        "negative_share": summary.negative_share,
                        "positive_share": summary.positive_share,
                        "bimodal": float(summary.bimodal),
                        "spread_wide": float(summary.spread_wide),
                    },
                )
            )
        voices = negative_voices(touchpoints[index])
        if voices is not None:
            found.append(Moment(index, "negative_voices", voices))
    drop = sharpest_drop(touchpoints, reliable, points)
    if drop is not None:
        found.append(drop)
    remembered = peak_end(reliable, midpoint(points))
    if remembered is not None:
        found.append(
            Moment(
                remembered.peak_index,
                "peak",
                {
                    "mean": remembered.peak_mean,
                    "midpoint": midpoint(points),
                    "remembered": remembered.remembered,
                    "plain": remembered.plain,
                },
            )
        )
        found.append(
            Moment(
                remembered.end_index,
                "end",
                {
                    "mean": remembered.end_mean,
                    "remembered": remembered.remembered,
                    "plain": remembered.plain,
                },
            )
        )
    return sorted(found, key=lambda moment: (moment.index, REASON_ORDER.index(moment.reason)))


def sharpest_drop(
    touchpoints: Sequence[TouchpointFigures], means: Sequence[float | None], points: int
) -> Moment | None:
    """Return the largest clear fall between consecutive reliable touchpoints, if any."""
    rated = [(index, mean) for index, mean in enumerate(means) if mean is not None]
    best: Moment | None = None
    for (before, before_mean), (after, after_mean) in pairwise(rated):
        fall = before_mean - after_mean
        if fall < SHARPEST_DROP * scale_factor(points):
            continue
        if best is not None and fall <= best.figures["drop"]:
            continue
        change = difference(touchpoints[before].counts, touchpoints[after].counts)
        if change is None or not change.excludes_zero:
            continue
        best = Moment(
            after,
            "sharpest_drop",
            {
                "drop": fall,
                "from_index": before,
                "from_mean": before_mean,
                "mean": after_mean,
                "low": -change.high,
                "high": -change.low,
            },
        )
    return best


def negative_voices(touchpoint: TouchpointFigures) -> dict[str, float] | None:
    """Return the figures of a touchpoint where customers' own words are mostly negative."""
    words = touchpoint.negative_words + touchpoint.positive_words
    loud_words = (
        touchpoint.negative_words >= MIN_VOICES
        and touchpoint.negative_words >= NEGATIVE_VOICE_SHARE * words
    )
    loud_comments = (
        touchpoint.negative_comments >= MIN_VOICES
        and touchpoint.negative_comments >= NEGATIVE_VOICE_SHARE * touchpoint.comments
    )
    if not (loud_words or loud_comments):
        return None
    return {
        "negative_words": touchpoint.negative_words,
        "words": words,
        "negative_comments": touchpoint.negative_comments,
        "comments": touchpoint.comments,
    }
