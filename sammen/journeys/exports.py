"""A journey's figures to take away: touchpoints and ratings as CSV, the figures as JSON,
the curve as SVG, and the map as a Mermaid `journey` diagram.

No export names a person: ratings carry a number drawn anew for each download instead of
the participant, and no comment text (comments may name people).
"""

import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .charts import emotion_curve
from .emotions import bits_to_words
from .models import Journey, Performer, Rating, Respondent, TouchpointState
from .queries.figures import JourneyFigures
from .reasons import advice_sentence, choice_label, moment_name, moment_sentence

RATING_FIELDS = [
    "wave",
    "respondent",
    "stage",
    "touchpoint",
    "score",
    "skipped",
    "words",
    "preference",
    "segment",
]
MERMAID_SCORES = 5
# The part of the journeys' sheet a downloaded curve takes along (the markers in it).
CURVE_RULES = re.compile(r"/\* Curve: begin\b.*?\*/(.*?)/\* Curve: end \*/", re.S)
ROOT_TOKENS = re.compile(r":root\s*\{(.*?)\n\}", re.S)


def rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def touchpoint_fields(points: int) -> list[str]:
    return [
        "number",
        "stage",
        "touchpoint",
        "channel",
        "performer",
        "risk",
        "monthly_volume",
        "wave",
        "ratings",
        "skipped",
        "mean",
        "mean_low",
        "mean_high",
        "sd",
        "negative_share",
        "negative_low",
        "negative_high",
        "positive_share",
        "positive_low",
        "positive_high",
        *[f"score_{score}" for score in range(1, points + 1)],
        "negative_words",
        "positive_words",
        "comments",
        "negative_comments",
        "prefer_person",
        "prefer_machine",
        "no_preference",
        "moments",
        "advice",
        "decision",
        "decision_text",
    ]


def touchpoint_rows(figures: JourneyFigures) -> list[dict[str, object]]:
    """Return one row per shown touchpoint, in journey order, with its figures."""
    rows: list[dict[str, object]] = []
    for figure in figures.touchpoints:
        touchpoint, summary, tally = figure.touchpoint, figure.summary, figure.tally
        rows.append(
            {
                "number": figure.number,
                "stage": touchpoint.stage.name,
                "touchpoint": touchpoint.name,
                "channel": touchpoint.channel,
                "performer": touchpoint.performer,
                "risk": touchpoint.risk,
                "monthly_volume": touchpoint.monthly_volume,
                "wave": figures.wave.number if figures.wave else "",
                "ratings": summary.n,
                "skipped": tally.skipped,
                "mean": rounded(summary.mean),
                "mean_low": rounded(summary.ci_low),
                "mean_high": rounded(summary.ci_high),
                "sd": rounded(summary.sd),
                "negative_share": rounded(summary.negative_share),
                "negative_low": rounded(summary.negative_low),
                "negative_high": rounded(summary.negative_high),
                "positive_share": rounded(summary.positive_share),
                "positive_low": rounded(summary.positive_low),
                "positive_high": rounded(summary.positive_high),
                **{f"score_{score}": count for score, count in enumerate(tally.counts, start=1)},
                "negative_words": tally.negative_words,
                "positive_words": tally.positive_words,
                "comments": tally.comment_count,
                "negative_comments": tally.negative_comments,
                "prefer_person": tally.prefer_person,
                "prefer_machine": tally.prefer_machine,
                "no_preference": tally.no_preference,
                "moments": " ".join(moment.reason for moment in figure.moments),
                "advice": figure.advice.choice,
                "decision": touchpoint.service_choice,
                "decision_text": touchpoint.decision,
            }
        )
    return rows


def rating_rows(journey: Journey) -> Iterator[dict[str, object]]:
    """Yield every rating of the shown touchpoints without anything that names a person.

    `respondent` numbers the people of this download in an order drawn at random, so
    rows of one person stay together without saying who, or in which order they came.
    """
    respondents = list(Respondent.objects.filter(journey=journey).values_list("pk", flat=True))
    numbers = list(range(1, len(respondents) + 1))
    random.SystemRandom().shuffle(numbers)
    number_of = dict(zip(respondents, numbers, strict=True))
    ratings = (
        Rating.objects.filter(journey=journey, touchpoint__state=TouchpointState.SHOWN)
        .order_by("wave__number", "touchpoint__stage__position", "touchpoint__position", "pk")
        .values_list(
            "wave__number",
            "respondent_id",
            "touchpoint__stage__name",
            "touchpoint__name",
            "score",
            "words",
            "preference",
            "respondent__segment__label",
        )
    )
    for wave, respondent, stage, touchpoint, score, words, preference, segment in ratings.iterator(
        chunk_size=5000
    ):
        yield {
            "wave": wave,
            "respondent": number_of.get(respondent, ""),
            "stage": stage,
            "touchpoint": touchpoint,
            "score": "" if score is None else score,
            "skipped": 1 if score is None else 0,
            "words": " ".join(word.key for word in bits_to_words(words)),
            "preference": preference,
            "segment": segment or "",
        }


def figures_json(figures: JourneyFigures) -> dict[str, Any]:
    """Return everything the figures page shows, as data."""
    names = [figure.touchpoint.name for figure in figures.touchpoints]
    peak_end = figures.peak_end
    nps = figures.nps
    return {
        "journey": figures.journey.activity.title,
        "scale": figures.points,
        "wave": (
            {"number": figures.wave.number, "label": figures.wave.label} if figures.wave else None
        ),
        "waves": [{"number": wave.number, "label": wave.label} for wave in figures.waves],
        "ratings": figures.ratings,
        "respondents": figures.respondents,
        "ratings_in_wave": figures.ratings_in_wave,
        "respondents_in_wave": figures.respondents_in_wave,
        "journey_mean": rounded(figures.journey_mean),
        "peak_end": (
            {
                "peak": names[peak_end.peak_index],
                "peak_mean": rounded(peak_end.peak_mean),
                "end": names[peak_end.end_index],
                "end_mean": rounded(peak_end.end_mean),
                "remembered": rounded(peak_end.remembered),
                "plain": rounded(peak_end.plain),
            }
            if peak_end
            else None
        ),
        "nps": {
            "answers": nps.n,
            "score": rounded(nps.score, 2),
            "low": rounded(nps.low, 2),
            "high": rounded(nps.high, 2),
            "promoters": rounded(nps.promoter_share),
            "passives": rounded(nps.passive_share),
            "detractors": rounded(nps.detractor_share),
        },
        "touchpoints": [touchpoint_json(figure, names) for figure in figures.touchpoints],
    }


def touchpoint_json(figure: Any, names: list[str]) -> dict[str, Any]:
    touchpoint, summary, tally = figure.touchpoint, figure.summary, figure.tally
    return {
        "number": figure.number,
        "stage": touchpoint.stage.name,
        "name": touchpoint.name,
        "channel": touchpoint.channel,
        "performer": touchpoint.performer,
        "risk": touchpoint.risk,
        "monthly_volume": touchpoint.monthly_volume,
        "counts": list(tally.counts),
        "skipped": tally.skipped,
        "ratings": summary.n,
        "mean": rounded(summary.mean),
        "interval": [rounded(summary.ci_low), rounded(summary.ci_high)],
        "sd": rounded(summary.sd),
        "negative": {
            "share": rounded(summary.negative_share),
            "interval": [rounded(summary.negative_low), rounded(summary.negative_high)],
        },
        "positive": {
            "share": rounded(summary.positive_share),
            "interval": [rounded(summary.positive_low), rounded(summary.positive_high)],
        },
        "too_few": summary.too_few,
        "two_humps": summary.bimodal,
        "wide_spread": summary.spread_wide,
        "words": {word.key: count for word, count in tally.picked_words()},
        "comments": tally.comment_count,
        "negative_comments": tally.negative_comments,
        "preferences": {
            "person": tally.prefer_person,
            "machine": tally.prefer_machine,
            "none": tally.no_preference,
        },
        "moments": [
            {
                "reason": moment.reason,
                "name": moment_name(moment),
                "text": moment_sentence(moment, names),
                "figures": {key: rounded(value) for key, value in moment.figures.items()},
            }
            for moment in figure.moments
        ],
        "advice": {
            "choice": figure.advice.choice,
            "label": choice_label(figure.advice.choice),
            "reasons": [
                {
                    "key": reason.key,
                    "text": advice_sentence(reason),
                    "figures": {key: rounded(value) for key, value in reason.figures.items()},
                }
                for reason in figure.advice.reasons
            ],
        },
        "decision": {"choice": touchpoint.service_choice, "text": touchpoint.decision},
    }


@cache
def sheet(path: str) -> str:
    found = finders.find(path)
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def curve_style() -> str:
    """Return the styles a downloaded curve needs: the design tokens and the curve's rules.

    Both are read from the stylesheets the page uses, so the file looks like the page and
    no colour is written twice.
    """
    tokens = ROOT_TOKENS.search(sheet("sammen/css/sammen.css"))
    rules = CURVE_RULES.search(sheet("journeys/journeys.css"))
    return "\n".join(
        [
            f":root {{{tokens.group(1) if tokens else ''}\n}}",
            "svg { font-family: var(--font-body); background: var(--color-surface); }",
            rules.group(1) if rules else "",
        ]
    )


def curve_svg(figures: JourneyFigures) -> str:
    """Return the emotion curve as a standalone SVG file."""
    title = _("%(journey)s: the emotion curve") % {"journey": figures.journey.activity.title}
    chart = emotion_curve(figures, title)
    return render_to_string(
        "journeys/_curve.html",
        {"chart": chart, "standalone": True, "style": curve_style(), "figures": figures},
    )


def mermaid_text(text: str) -> str:
    """Keep a name from breaking a Mermaid line: no colon, no newline, no comment sign."""
    text = " ".join(text.split())
    return text.replace(":", "∶").replace("#", "♯").replace(";", ",").replace("%%", "%")


def mermaid_score(mean: float, points: int) -> int:
    """Map a mean on the journey's scale (1..points) to Mermaid's 1..5."""
    return max(1, min(MERMAID_SCORES, round(1 + (mean - 1) * (MERMAID_SCORES - 1) / (points - 1))))


def mermaid_journey(figures: JourneyFigures) -> str:
    """Return the map as a Mermaid `journey`: a section per stage, a task per touchpoint,
    scored by its mean (touchpoints without ratings are left out, named in a comment)."""
    customer = mermaid_text(_("Customer"))
    lines = ["journey", f"    title {mermaid_text(figures.journey.activity.title)}"]
    by_id = {figure.touchpoint.pk: figure for figure in figures.touchpoints}
    for view in figures.stages:
        lines.append(f"    section {mermaid_text(view.stage.name)}")
        for touchpoint in view.touchpoints:
            figure = by_id[touchpoint.pk]
            name = mermaid_text(touchpoint.name)
            if figure.summary.mean is None:
                lines.append(f"      %% {name}: {mermaid_text(_('no ratings yet'))}")
                continue
            performer = mermaid_text(str(Performer(touchpoint.performer).label)).replace(",", " ")
            score = mermaid_score(figure.summary.mean, figures.points)
            lines.append(f"      {name}: {score}: {customer.replace(',', ' ')}, {performer}")
    return "\n".join(lines) + "\n"
