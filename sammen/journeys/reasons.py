"""The analysis' reasons in words: why a moment matters, why the advice is what it is.

The analysis gives keys and figures (`analysis.Moment`, `analysis.Reason`); here they
become translated sentences, with numbers in the reader's language.
"""

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from . import analysis
from .models import ServiceChoice

# A moment's name, short enough for the curve's marks and the moments' headings.
MOMENT_NAMES: dict[str, StrOrPromise] = {
    "below_mean": gettext_lazy("Low point"),
    "sharpest_drop": gettext_lazy("Sharpest drop"),
    "peak": pgettext_lazy("moment that matters", "Peak"),
    "end": pgettext_lazy("moment that matters", "End"),
    "polarised": gettext_lazy("Divided"),
    "negative_voices": gettext_lazy("Negative voices"),
}


def decimal(value: float, places: int = 1) -> str:
    return number_format(round(value, places), places)


def signed(value: float, places: int = 2) -> str:
    """Return a difference with its sign: "+0.42", "−1.10", "0.00"."""
    text = decimal(abs(value), places)
    if round(value, places) > 0:
        return f"+{text}"
    if round(value, places) < 0:
        return f"−{text}"
    return text


def percent(share: float) -> str:
    # Translators: a share in percent, as "45%"; write it as your language does ("45 %").
    return _("%(value)s%%") % {"value": number_format(round(100 * share), 0)}


def moment_name(moment: analysis.Moment) -> str:
    return str(MOMENT_NAMES.get(moment.reason, moment.reason))


def moment_sentence(moment: analysis.Moment, names: Sequence[str]) -> str:
    """Return why a moment matters, in words with its figures. `names`: the touchpoints'."""
    f = moment.figures
    if moment.reason == "below_mean":
        return _(
            "Clearly below the journey's mean: %(mean)s (95%% interval %(low)s to %(high)s), "
            "against %(journey_mean)s for the whole journey."
        ) % {
            "mean": decimal(f["mean"]),
            "low": decimal(f["ci_low"]),
            "high": decimal(f["ci_high"]),
            "journey_mean": decimal(f["journey_mean"]),
        }
    if moment.reason == "sharpest_drop":
        index = int(f["from_index"])
        return _(
            "The sharpest drop along the journey: %(drop)s points down from “%(before)s” "
            "(%(before_mean)s to %(mean)s; with 95%% confidence the fall is between %(low)s "
            "and %(high)s)."
        ) % {
            "drop": decimal(f["drop"]),
            "before": names[index] if 0 <= index < len(names) else "?",
            "before_mean": decimal(f["from_mean"]),
            "mean": decimal(f["mean"]),
            "low": decimal(f["low"]),
            "high": decimal(f["high"]),
        }
    if moment.reason == "peak":
        return _(
            "The peak: the most intense moment (%(mean)s, the furthest from neutral). "
            "Customers remember a journey by its peak and its end: %(remembered)s, against a "
            "plain mean of %(plain)s."
        ) % {
            "mean": decimal(f["mean"]),
            "remembered": decimal(f["remembered"]),
            "plain": decimal(f["plain"]),
        }
    if moment.reason == "end":
        return _(
            "The end, which customers remember (%(mean)s). With the peak it makes the "
            "remembered score: %(remembered)s, against a plain mean of %(plain)s."
        ) % {
            "mean": decimal(f["mean"]),
            "remembered": decimal(f["remembered"]),
            "plain": decimal(f["plain"]),
        }
    if moment.reason == "polarised":
        if f.get("bimodal"):
            return _(
                "Customers are divided into two camps: %(negative)s felt negative and "
                "%(positive)s positive."
            ) % {"negative": percent(f["negative_share"]), "positive": percent(f["positive_share"])}
        return _("Customers feel very differently here: a spread of %(sd)s points.") % {
            "sd": decimal(f["sd"])
        }
    if moment.reason == "negative_voices":
        return " ".join(voices(f))
    return ""


def voices(f: dict[str, float]) -> list[str]:
    """Return the sentences of negative voices: words, comments, or both."""
    said = []
    words, negative_words = int(f["words"]), int(f["negative_words"])
    comments, negative_comments = int(f["comments"]), int(f["negative_comments"])
    share = analysis.NEGATIVE_VOICE_SHARE
    if negative_words >= analysis.MIN_VOICES and negative_words >= share * words:
        said.append(
            _("%(negative)s of the %(words)s emotion words picked here are negative.")
            % {"negative": negative_words, "words": words}
        )
    if negative_comments >= analysis.MIN_VOICES and negative_comments >= share * comments:
        said.append(
            _("%(negative)s of the %(comments)s comments come with a negative rating.")
            % {"negative": negative_comments, "comments": comments}
        )
    return said


def advice_sentence(reason: analysis.Reason) -> str:
    """Return one reason behind an advice, in words with its figures."""
    f = reason.figures
    key = reason.key
    if key == "too_few":
        return _(
            "Only %(n)s ratings so far (%(min)s are needed to read the feeling): this advice "
            "rests on risk, volume and preference."
        ) % {"n": int(f["n"]), "min": int(f["min_ratings"])}
    if key == "high_risk":
        return _("Much goes wrong if it fails (high risk).")
    if key == "medium_risk":
        return _("Something goes wrong if it fails (medium risk).")
    if key == "intense_emotion":
        return _(
            "Feelings run high: a mean of %(mean)s, and %(negative)s in the two lowest scores."
        ) % {"mean": decimal(f["mean"]), "negative": percent(f["negative_share"])}
    if key == "wide_spread":
        return _("Customers feel very differently: a spread of %(sd)s points.") % {
            "sd": decimal(f["sd"])
        }
    if key == "calm_and_routine":
        return _(
            "Calm and routine: customers feel much the same, few are unhappy, little is at risk."
        )
    if key == "high_volume":
        return _("Many customers pass here: %(volume)s a month.") % {
            "volume": number_format(int(f["volume"]), 0, force_grouping=True)
        }
    if key == "low_volume":
        return _("Few customers pass here: %(volume)s a month.") % {
            "volume": number_format(int(f["volume"]), 0, force_grouping=True)
        }
    if key == "customers_prefer_person":
        return _(
            "%(share)s of the %(answers)s customers who answered would rather deal with a person."
        ) % {
            "share": percent(f["share"]),
            "answers": int(f["answers"]),
        }
    if key == "customers_prefer_machine":
        return _(
            "%(share)s of the %(answers)s customers who answered would rather deal with a machine."
        ) % {
            "share": percent(f["share"]),
            "answers": int(f["answers"]),
        }
    return _("No clear signal either way.")


def choice_label(choice: str) -> str:
    """Return the words of a service choice ("Keep a person"), or "" for none."""
    return str(ServiceChoice(choice).label) if choice in ServiceChoice.values else ""


def sentence(text: str) -> str:
    """Return text stripped and ending as a sentence does."""
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "!", "?", "…")) else f"{text}."


def answer_draft(flagged: Sequence[tuple[str, list[str], str, str, list[str]]]) -> str:
    """Return a draft of the public answer: per moment that matters, what was decided.

    `flagged` holds, per touchpoint, its name, its moments' names, the service choice,
    the decision in words and the plans noted there.
    """
    lines = [_("What you told us, moment by moment, and what we decided:"), ""]
    for name, moments, choice, decision, plans in flagged:
        said = ", ".join(moments)
        decided = " ".join(sentence(part) for part in (choice_label(choice), decision) if part)
        line = _("- %(touchpoint)s (%(moments)s): %(decision)s") % {
            "touchpoint": name,
            "moments": said,
            "decision": decided or _("not decided yet."),
        }
        if plans:
            line += " " + _("We plan: %(plans)s.") % {"plans": "; ".join(plans)}
        lines.append(line)
    return "\n".join(lines)
