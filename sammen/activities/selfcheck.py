"""The brief's self-check: is the chosen format the right one for the goal?

Yes/no questions: one for each installed kind's format (each format serves one
need, registered with the kind), and whether anyone will answer. When the
organiser's answers and their chosen format disagree, the check says so and
names the formats that fit, including "no activity at all" when nothing calls
for co-creation.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from .kinds import installed_kinds

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Question:
    key: str
    text: StrOrPromise


@dataclass(frozen=True)
class Format:
    """What a kind tells the self-check: the question its format answers, and its advice.

    A kind registers one with its ActivityKind (`selfcheck=`); the check asks the
    questions of the installed kinds only.
    """

    question: Question  # the need this format serves, asked as a yes/no question
    label: StrOrPromise  # the format with its article, as in "a conversation"
    fits: StrOrPromise  # a whole sentence, so each language can say it its own way
    # Said instead of the general warning when the organiser chose this format and
    # answered no to its question (optional).
    unneeded: StrOrPromise = ""
    key: str = ""  # the kind's key, filled in by the registry


# Asked whatever the kinds: an activity is worth running only if someone answers.
WILL_ANSWER = Question(
    "will_answer",
    gettext_lazy("Will you act on what participants say, and tell them in public what you did?"),
)


def formats() -> list[Format]:
    """The formats of the installed kinds, in the registry's order."""
    return [
        replace(kind.selfcheck, key=kind.key)
        for kind in installed_kinds()
        if kind.selfcheck is not None
    ]


def questions() -> list[Question]:
    """The questions to ask: one per installed format, then whether anyone will answer."""
    asked: list[Question] = []
    for fmt in formats():
        if all(question.key != fmt.question.key for question in asked):
            asked.append(fmt.question)
    return [*asked, WILL_ANSWER]


@dataclass(frozen=True)
class Advice:
    level: Literal["ok", "info", "warning"]
    message: str


@dataclass(frozen=True)
class SelfCheckResult:
    suggested: tuple[str, ...]
    advice: tuple[Advice, ...]
    answered: int

    @property
    def has_warnings(self) -> bool:
        return any(item.level == "warning" for item in self.advice)


def clean_answers(raw: Mapping[str, object]) -> dict[str, str]:
    """Keep only known questions answered yes or no."""
    keys = {question.key for question in questions()}
    return {key: str(value) for key, value in raw.items() if key in keys and value in {YES, NO}}


def list_labels(formats: list[Format]) -> str:
    labels = [str(fmt.label) for fmt in formats]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def check_format(answers: dict[str, str], chosen_kind: str) -> SelfCheckResult:
    """Compare the chosen format with the organiser's answers and say what fits better."""
    answers = clean_answers(answers)
    offered = formats()
    suggested = [fmt for fmt in offered if answers.get(fmt.question.key) == YES]
    advice: list[Advice] = []
    if answers.get("will_answer") == NO:
        advice.append(
            Advice(
                "warning",
                _(
                    "Asking for input and never answering disappoints the people who took "
                    "part. If you cannot act on what they say, inform them instead of asking."
                ),
            )
        )
    format_answers = [answers.get(fmt.question.key) for fmt in offered]
    if format_answers and all(answer == NO for answer in format_answers):
        advice.append(
            Advice(
                "info",
                _(
                    "None of the formats seems needed for this goal. A newsletter, a short "
                    "survey or a talk with a few people may serve you better than an activity."
                ),
            )
        )
    chosen = next((fmt for fmt in offered if fmt.key == chosen_kind), None)
    if chosen is not None:
        others = [fmt for fmt in suggested if fmt.key != chosen.key]
        if answers.get(chosen.question.key) == NO:
            if chosen.unneeded:
                message = str(chosen.unneeded)
            else:
                message = _(
                    "You chose %(chosen)s, but you answered no to this question: %(question)s"
                ) % {"chosen": chosen.label, "question": chosen.question.text}
            if others:
                message += " " + _("Consider %(formats)s.") % {"formats": list_labels(others)}
            advice.append(Advice("warning", message))
        elif answers.get(chosen.question.key) == YES:
            advice.append(Advice("ok", str(chosen.fits)))
            if others:
                advice.append(
                    Advice(
                        "info",
                        _("Your answers also point to %(formats)s. You can combine them.")
                        % {"formats": list_labels(others)},
                    )
                )
        elif others:  # the chosen format's own question is not answered yet
            advice.append(
                Advice(
                    "info",
                    _("Your answers point to %(formats)s.") % {"formats": list_labels(others)},
                )
            )
    elif suggested:
        advice.append(
            Advice(
                "info",
                _("Your answers point to %(formats)s.") % {"formats": list_labels(suggested)},
            )
        )
    return SelfCheckResult(
        suggested=tuple(fmt.key for fmt in suggested), advice=tuple(advice), answered=len(answers)
    )
