"""The brief's self-check: is the chosen format the right one for the goal?

Six yes/no questions. Each format serves one need; when the organiser's answers
and their chosen format disagree, the check says so and names the formats that
fit, including "no activity at all" when nothing calls for co-creation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Question:
    key: str
    text: StrOrPromise


@dataclass(frozen=True)
class Format:
    key: str
    label: StrOrPromise
    serves: str  # the key of the question this format answers
    fits: StrOrPromise  # a whole sentence, so each language can say it its own way


QUESTIONS = (
    Question("new_ideas", gettext_lazy("Do you want participants to bring their own ideas?")),
    Question("agreement", gettext_lazy("Do you need to learn where people agree and disagree?")),
    Question(
        "same_moment",
        gettext_lazy(
            "Will participants be together at the same moment: in a room, at a show or in a class?"
        ),
    ),
    Question(
        "lived_experience",
        gettext_lazy(
            "Is it about an experience people already had with you, such as a visit, "
            "a purchase or a service?"
        ),
    ),
    Question(
        "in_person",
        gettext_lazy(
            "Does the goal need people to meet in person, to build trust, learn or decide together?"
        ),
    ),
    Question(
        "will_answer",
        gettext_lazy(
            "Will you act on what participants say, and tell them in public what you did?"
        ),
    ),
)
QUESTION_KEYS = {question.key for question in QUESTIONS}

FORMATS = (
    Format(
        "call",
        gettext_lazy("an open call"),
        "new_ideas",
        gettext_lazy(
            "An open call fits: it collects ideas that people discuss and support, "
            "and you answer each one."
        ),
    ),
    Format(
        "conversation",
        gettext_lazy("a conversation"),
        "agreement",
        gettext_lazy(
            "A conversation fits: it maps the groups of opinion and the statements that unite them."
        ),
    ),
    Format(
        "live",
        gettext_lazy("a live session"),
        "same_moment",
        gettext_lazy(
            "A live session fits: it gathers questions, polls and reactions from the room "
            "as they happen."
        ),
    ),
    Format(
        "journey",
        gettext_lazy("a journey"),
        "lived_experience",
        gettext_lazy("A journey fits: customers rate how each moment of their experience felt."),
    ),
    Format(
        "meeting",
        gettext_lazy("a meeting"),
        "in_person",
        gettext_lazy(
            "A meeting fits: it brings people together and measures what the meeting returned."
        ),
    ),
)
FORMATS_BY_KEY = {fmt.key: fmt for fmt in FORMATS}
QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}


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
    return {
        key: str(value) for key, value in raw.items() if key in QUESTION_KEYS and value in {YES, NO}
    }


def list_labels(formats: list[Format]) -> str:
    labels = [str(fmt.label) for fmt in formats]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def check_format(answers: dict[str, str], chosen_kind: str) -> SelfCheckResult:
    """Compare the chosen format with the organiser's answers and say what fits better."""
    answers = clean_answers(answers)
    suggested = [fmt for fmt in FORMATS if answers.get(fmt.serves) == YES]
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
    format_answers = [answers.get(fmt.serves) for fmt in FORMATS]
    if all(answer == NO for answer in format_answers):
        advice.append(
            Advice(
                "info",
                _(
                    "None of the formats seems needed for this goal. A newsletter, a short "
                    "survey or a talk with a few people may serve you better than an activity."
                ),
            )
        )
    chosen = FORMATS_BY_KEY.get(chosen_kind)
    if chosen is not None:
        others = [fmt for fmt in suggested if fmt.key != chosen.key]
        if answers.get(chosen.serves) == NO:
            if chosen.key == "meeting":
                message = _(
                    "A meeting costs every participant time and travel. Your answers suggest "
                    "the goal can be reached without meeting in person."
                )
            else:
                message = _(
                    "You chose %(chosen)s, but you answered no to this question: %(question)s"
                ) % {"chosen": chosen.label, "question": QUESTIONS_BY_KEY[chosen.serves].text}
            if others:
                message += " " + _("Consider %(formats)s.") % {"formats": list_labels(others)}
            advice.append(Advice("warning", message))
        elif answers.get(chosen.serves) == YES:
            advice.append(Advice("ok", str(chosen.fits)))
            if others:
                advice.append(
                    Advice(
                        "info",
                        _("Your answers also point to %(formats)s. You can combine them.")
                        % {"formats": list_labels(others)},
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
