"""Pages attendees answer on, from their phone: a rating per session, the learning
questions before and after, and their planned action; and the planners' button that
gives a session a live session.

They open with the registration's ticket token (the address of `views/registration.py`
`ticket`), so an attendee needs no account or cookie, only the link in their emails;
with either, `sessions/yours/` leads there. Each answer is its own form: htmx swaps the
answer's card, and without JavaScript the page comes back at that card.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.activities.queries import Linked, linked_activities
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest

from .. import actions
from ..actions.answers import (
    answering_refusal,
    can_change_planned_action,
    has_begun,
    session_anchor,
)
from ..attendees import registration_from_ticket, ticket_token
from ..forms import (
    LEARNING_WORDS,
    RATING_WORDS,
    LearningAnswerForm,
    LearningBeforeForm,
    PlannedActionForm,
    SessionRatingForm,
)
from ..models import (
    LearningAnswer,
    Level,
    Moment,
    Objective,
    PlannedAction,
    Registration,
    Session,
    SessionRating,
)
from ..permissions import MeetingAccess, access_meeting, is_attendee
from .organiser import meeting_context


@dataclass
class SessionCard:
    """One session on the attendee's page: their rating, or the form to give it."""

    session: Session
    begun: bool
    rating: SessionRating | None
    form: SessionRatingForm | None
    live: list[Linked]
    notice: str = ""

    @property
    def rating_word(self) -> str:
        return str(RATING_WORDS[self.rating.score]) if self.rating else ""


@dataclass
class LearningCard:
    """One learning objective at the end: how well the attendee can do it now."""

    objective: Objective
    value: int | None
    form: LearningAnswerForm
    notice: str = ""

    @property
    def value_word(self) -> str:
        return str(LEARNING_WORDS[self.value]) if self.value else ""


@dataclass
class PlanCard:
    planned: PlannedAction | None
    form: PlannedActionForm
    locked: bool
    notice: str = ""


@dataclass(frozen=True)
class Attendee:
    """A meeting as one registration answers it, found by its ticket token."""

    access: MeetingAccess
    registration: Registration
    token: str

    @property
    def refusal(self) -> str:
        return answering_refusal(self.registration)

    def url(self, name: str, *args: object) -> str:
        return reverse(
            f"meetings:{name}",
            args=[self.access.space.slug, self.access.activity.slug, self.token, *args],
        )

    def context(self) -> dict[str, Any]:
        return {
            **meeting_context(self.access),
            "registration": self.registration,
            "token": self.token,
            "refusal": self.refusal,
            "begun": has_begun(self.access.meeting.starts_at),
        }


def attendee_of(request: HttpRequest, space_slug: str, activity_slug: str, token: str) -> Attendee:
    """Return the registration a ticket's token names in this meeting; 404 otherwise."""
    access = access_meeting(request, space_slug, activity_slug)
    registration = registration_from_ticket(access.meeting, token)
    registration.meeting.activity = access.activity
    return Attendee(access, registration, token)


def wants_card(request: HtmxHttpRequest) -> bool:
    """htmx swaps one card in place; restoring history it needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def live_sessions(attendee: Attendee) -> dict[str, list[Linked]]:
    """Return the live sessions open to attendees, by the anchor of their session."""
    by_anchor: dict[str, list[Linked]] = {}
    for linked in linked_activities(attendee.access.activity).opened_here:
        by_anchor.setdefault(linked.anchor, []).append(linked)
    return by_anchor


def session_card(
    attendee: Attendee,
    session: Session,
    rating: SessionRating | None,
    live: list[Linked],
    *,
    editing: bool = False,
    form: SessionRatingForm | None = None,
    notice: str = "",
) -> SessionCard:
    begun = has_begun(session.starts_at)
    if form is None and begun and not attendee.refusal and (editing or rating is None):
        initial = {"score": rating.score, "comment": rating.comment} if rating else None
        form = SessionRatingForm(initial=initial, session=session)
    return SessionCard(session, begun, rating, form, live, notice)


def learning_objectives(attendee: Attendee) -> list[Objective]:
    return list(Objective.objects.filter(meeting=attendee.access.meeting, level=Level.LEARNING))


def learning_card(
    objective: Objective,
    value: int | None,
    *,
    form: LearningAnswerForm | None = None,
    notice: str = "",
) -> LearningCard:
    if form is None:
        form = LearningAnswerForm(initial={"value": value}, objective=objective)
    return LearningCard(objective, value, form, notice)


def plan_card(
    attendee: Attendee, *, form: PlannedActionForm | None = None, notice: str = ""
) -> PlanCard:
    planned = PlannedAction.objects.filter(registration=attendee.registration).first()
    if form is None:
        initial = {"text": planned.text, "confidence": planned.confidence} if planned else None
        form = PlannedActionForm(initial=initial)
    return PlanCard(planned, form, not can_change_planned_action(attendee.registration), notice)


def refused(form: Any, refusal: ActionRefused) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@require_GET
def your_answers(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Open the viewer's own answers page (by their account or cookie)."""
    access = access_meeting(request, space_slug, activity_slug)
    if not is_attendee(access):
        messages.info(
            request, _("Registered attendees rate the sessions and answer the questions here.")
        )
        return redirect(access.activity)
    assert access.registration is not None
    return redirect(
        "meetings:answers", space_slug, activity_slug, ticket_token(access.registration)
    )


@never_cache
@require_GET
def meeting_answers(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """The attendee's page during and at the end of the meeting, on one page: the sessions
    to rate, how well they can do what it taught, and what they will do differently."""
    attendee = attendee_of(request, space_slug, activity_slug, token)
    return render_answers(request, attendee)


def render_answers(
    request: HttpRequest,
    attendee: Attendee,
    *,
    plan_form: PlannedActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    registration = attendee.registration
    ratings = {rating.session_id: rating for rating in registration.session_ratings.all()}
    live = live_sessions(attendee)
    sessions = list(attendee.access.meeting.sessions.all())
    after = dict(
        LearningAnswer.objects.filter(registration=registration, moment=Moment.AFTER).values_list(
            "objective_id", "value"
        )
    )
    objectives = learning_objectives(attendee)
    answered_before = LearningAnswer.objects.filter(
        registration=registration, moment=Moment.BEFORE
    ).count()
    session_cards = [
        session_card(
            attendee, session, ratings.get(session.pk), live.get(session_anchor(session), [])
        )
        for session in sessions
    ]
    return render(
        request,
        "meetings/answers.html",
        {
            **attendee.context(),
            "session_cards": session_cards,
            "to_rate": sum(1 for card in session_cards if card.begun and card.rating is None),
            "learning_cards": [
                learning_card(objective, after.get(objective.pk)) for objective in objectives
            ],
            "questions_before_left": len(objectives) - answered_before,
            "plan": plan_card(attendee, form=plan_form),
        },
        status=status,
    )


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def rate_session(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, token: str, session_id: int
) -> HttpResponse:
    """Rate one session (1 to 5, and a comment), or change the rating."""
    attendee = attendee_of(request, space_slug, activity_slug, token)
    session = get_object_or_404(Session, meeting=attendee.access.meeting, pk=session_id)
    rating = SessionRating.objects.filter(
        session=session, registration=attendee.registration
    ).first()
    live = live_sessions(attendee).get(session_anchor(session), [])
    form = None
    if request.method == "POST":
        form = SessionRatingForm(request.POST, session=session)
        if form.is_valid():
            try:
                rating = actions.do_rate_session(
                    attendee.registration,
                    session,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ActionRefused as refusal:
                refused(form, refusal)
            else:
                notice = _("Thank you: your rating is saved.")
                if not wants_card(request):
                    messages.success(request, notice)
                    return redirect(attendee.url("answers") + f"#session-{session.pk}")
                card = session_card(attendee, session, rating, live, notice=notice)
                return render_session(request, attendee, card)
    card = session_card(attendee, session, rating, live, editing=True, form=form)
    return render_session(request, attendee, card)


def render_session(request: HtmxHttpRequest, attendee: Attendee, card: SessionCard) -> HttpResponse:
    # The card's title is a level below its page's section: h4 in the list of answers,
    # h3 on the session's own page (whose form swaps the card in place as well).
    on_its_own_page = not wants_card(request) or request.htmx.current_url_abs_path == request.path
    context = {**attendee.context(), "card": card, "heading": "h3" if on_its_own_page else "h4"}
    if wants_card(request):
        return render(request, "meetings/_answer_session.html", context)
    return render(request, "meetings/rate_session.html", context)


@never_cache
@vary_on_headers("HX-Request")
@require_POST
def plan_action(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Save what the attendee will do differently and how confident they are."""
    attendee = attendee_of(request, space_slug, activity_slug, token)
    form = PlannedActionForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            actions.do_plan_action(
                attendee.registration,
                text=form.cleaned_data["text"],
                confidence=form.cleaned_data["confidence"],
            )
        except ActionRefused as refusal:
            refused(form, refusal)
        else:
            notice = _("Thank you: your plan is saved. We'll ask how it went in a few weeks.")
            if not wants_card(request):
                messages.success(request, notice)
                return redirect(attendee.url("answers") + "#plan")
    if wants_card(request):
        card = plan_card(attendee, form=None if notice else form, notice=notice)
        return render(request, "meetings/_answer_plan.html", {**attendee.context(), "plan": card})
    return render_answers(request, attendee, plan_form=form)


@never_cache
@vary_on_headers("HX-Request")
@require_POST
def answer_learning(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, token: str, objective_id: int
) -> HttpResponse:
    """Save how well the attendee can do what one learning objective says, at the end."""
    attendee = attendee_of(request, space_slug, activity_slug, token)
    objective = get_object_or_404(
        Objective, meeting=attendee.access.meeting, level=Level.LEARNING, pk=objective_id
    )
    form = LearningAnswerForm(request.POST, objective=objective)
    saved = LearningAnswer.objects.filter(
        objective=objective, registration=attendee.registration, moment=Moment.AFTER
    ).first()
    value = saved.value if saved else None
    notice = ""
    if form.is_valid():
        try:
            value = actions.do_answer_learning(
                attendee.registration, objective, Moment.AFTER, form.cleaned_data["value"]
            ).value
        except ActionRefused as refusal:
            refused(form, refusal)
        else:
            notice = _("Saved.")
    if not wants_card(request):
        if notice:
            messages.success(request, _("Thank you: your answer is saved."))
        else:
            errors = [str(error) for field in form.errors.values() for error in field]
            messages.error(request, " ".join(errors))
        return redirect(attendee.url("answers") + f"#objective-{objective.pk}")
    card = learning_card(objective, value, form=None if notice else form, notice=notice)
    return render(request, "meetings/_answer_learning.html", {**attendee.context(), "card": card})


@never_cache
@require_http_methods(["GET", "POST"])
def learning_before(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Before the meeting: how well the attendee can do each learning objective today."""
    attendee = attendee_of(request, space_slug, activity_slug, token)
    objectives = learning_objectives(attendee)
    saved = dict(
        LearningAnswer.objects.filter(
            registration=attendee.registration, moment=Moment.BEFORE
        ).values_list("objective_id", "value")
    )
    form = LearningBeforeForm(
        request.POST or None,
        objectives=objectives,
        initial={f"objective_{pk}": value for pk, value in saved.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            for objective, value in form.answers().items():
                actions.do_answer_learning(attendee.registration, objective, Moment.BEFORE, value)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Thank you. We ask again at the end of the meeting, to see what you learned."),
            )
            return redirect("meetings:ticket", space_slug, activity_slug, token)
    return render(
        request,
        "meetings/learning_before.html",
        {**attendee.context(), "form": form, "objectives": objectives},
    )


@login_required
@require_POST
def add_live_session(
    request: HttpRequest, space_slug: str, activity_slug: str, session_id: int
) -> HttpResponse:
    """Give a session of the programme a live session (a draft, for its brief next)."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    session = get_object_or_404(Session, meeting=access.meeting, pk=session_id)
    session.meeting = access.meeting
    try:
        live = actions.do_add_live_session(signed_in_user(request), session)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        programme = reverse("meetings:programme", args=[space_slug, activity_slug])
        return redirect(f"{programme}#session-{session.pk}")
    messages.success(
        request,
        _("The live session is a draft, linked to “%(session)s”. Write its brief, then open it.")
        % {"session": session.title},
    )
    return redirect("activities:brief", space_slug=space_slug, activity_slug=live.slug)
