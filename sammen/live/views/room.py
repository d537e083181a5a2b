"""What participants use: the join page, the room, and their questions, votes and answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.participants import participant_for, remember_participant
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest, parse_ids, parse_int
from sammen.core.ratelimit import allow, client_ip, first_refused

from .. import actions
from ..forms import JoinCodeForm, NameForm, QuestionForm
from ..guessing import TooManyWrongCodes, UnknownCode
from ..models import Admission, PollKind, ReactionKind
from ..permissions import (
    LiveAccess,
    access_live_session,
    access_poll,
    access_question,
    can_take_part,
    normalise_code,
)
from ..queries import (
    has_quiz,
    leaderboard,
    open_polls,
    own_questions,
    poll_result,
    quiz_totals,
    ranked,
    shown_questions,
    upvoted_by,
)
from .clock import server_now_ms
from .lean import lean_capable

QUESTIONS_PER_MINUTE = 3
UPVOTES_PER_MINUTE = 40
ANSWERS_PER_MINUTE = 20
REACTIONS_PER_TEN_SECONDS = 10
RENAMES_PER_HOUR = 10


def write_refusal(request: HttpRequest, key: str, limit: int, seconds: int, message: str) -> str:
    """Count one write; return why it is refused, or "" when it is not.

    Each attendee has their own limit (`key`); their network address has a ceiling sized
    for a whole room behind one address, as at a venue's wifi (docs/deploy.md).
    """
    refused = first_refused(
        [
            (key, limit, seconds),
            (f"live-write:{client_ip(request)}", settings.SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE, 60),
        ]
    )
    if refused == 0:
        return message
    if refused == 1:
        return _(
            "So many people on your network are taking part right now that we must slow "
            "down. Try again in a minute."
        )
    return ""


def join_form_saying(
    request: HttpRequest,
    code: str,
    refusal: UnknownCode | TooManyWrongCodes,
    *,
    unknown_status: int = 404,
) -> HttpResponse:
    """Return the join form with the code kept in its field and why it led nowhere."""
    if isinstance(refusal, TooManyWrongCodes):
        status = 429
        message = _(
            "Too many wrong codes came from your network. Try again in a few minutes, "
            "or switch to mobile data."
        )
    else:
        status = unknown_status
        message = _("No session has this code. Check it on the screen and try again.")
    form = JoinCodeForm({"code": normalise_code(code)})
    form.is_valid()
    form.add_error("code", message)
    return render(request, "live/join.html", {"form": form}, status=status)


def lands_on_join_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a code that leads nowhere with the join form, not a bare error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, code, *args, **kwargs)
        except (UnknownCode, TooManyWrongCodes) as refusal:
            return join_form_saying(request, code, refusal)

    return wrapper


@require_http_methods(["GET", "POST"])
def join_page(request: HttpRequest) -> HttpResponse:
    """Take a code typed by hand (here, on the home page or in the header) to its session."""
    form = JoinCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            access = access_live_session(request, code)
        except (UnknownCode, TooManyWrongCodes) as refusal:
            return join_form_saying(request, code, refusal, unknown_status=200)
        return redirect("live:room", code=access.session.code)
    return render(request, "live/join.html", {"form": form})


@require_GET
@lands_on_join_form
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The address on the QR code: /j/CODE takes a phone straight to the session."""
    access = access_live_session(request, code)
    return redirect("live:room", code=access.session.code)


def room_context(request: HttpRequest, access: LiveAccess) -> dict[str, object]:
    session = access.session
    activity = session.activity
    sort = "newest" if request.GET.get("sort") == "newest" else "top"
    polls = open_polls(session) if access.attendee else []
    own_answers = {}
    if access.attendee is not None:
        for response in access.attendee.responses.filter(poll__in=polls).prefetch_related(
            "choices"
        ):
            own_answers[response.poll_id] = response
    standing = None
    quiz = access.attendee is not None and has_quiz(session)  # one query, asked once
    if quiz and access.attendee is not None:
        standing = dict(ranked(quiz_totals(session))).get(access.attendee.pk)
    return {
        "access": access.activity_access.space_access,
        "live": access,
        "session": session,
        "activity": activity,
        "space": activity.space,
        "sort": sort,
        "polls": [
            (
                poll,
                {
                    "poll": poll,
                    "result": poll_result(poll) if poll.results_revealed(session) else None,
                    "size": "small",
                },
                own_answers.get(poll.pk),
            )
            for poll in polls
        ],
        "own_answers": own_answers,
        "questions": shown_questions(session, sort) if access.attendee else [],
        "upvoted": upvoted_by(access.attendee),
        "own_questions": own_questions(access.attendee) if access.attendee else [],
        "attendee": access.attendee,
        "standings": leaderboard(session) if quiz else [],
        "standing": standing,
        "has_quiz": quiz,
        "question_form": QuestionForm(),
        "name_form": NameForm(initial={"name": access.attendee.name if access.attendee else ""}),
        "reactions": [(kind, kind.label) for kind in ReactionKind],
        "needs_name": session.admission == Admission.NAMED,
        "needs_account": session.admission in {Admission.ACCOUNTS, Admission.DOMAIN},
        "server_now_ms": server_now_ms(),
    }


@require_GET
@vary_on_headers("HX-Request")
@lands_on_join_form
def room(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """The participant's page: join with one tap, then questions, polls and reactions."""
    access = access_live_session(request, code)
    if access.attendee is not None and access.session.is_live:
        actions.close_polls_past_their_time(access.session)
    context = room_context(request, access)
    if request.htmx and request.GET.get("part") == "questions":
        return render(request, "live/room.html#questions", context)
    return render(request, "live/room.html", context)


def back_to_room(access: LiveAccess, anchor: str = "") -> HttpResponse:
    return redirect(reverse("live:room", kwargs={"code": access.session.code}) + anchor)


@require_POST
@lands_on_join_form
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Join with one tap: an anonymous participant is made for visitors without one."""
    access = access_live_session(request, code)
    if access.attendee is not None:
        return back_to_room(access)
    form = NameForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("name", [])))
        return back_to_room(access)
    try:
        participant, created = participant_for(
            request,
            access.participant,
            bucket="live-join",
            per_hour=settings.SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR,
        )
    except ActionRefused:
        # A room behind one venue's wifi: say what helps there.
        messages.error(
            request,
            _(
                "So many people joined from your network that new joins must wait. "
                "Try again later, or switch to mobile data."
            ),
        )
        return back_to_room(access)
    try:
        actions.do_join_session(access.session, participant, name=name)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        response = back_to_room(access)
    else:
        response = back_to_room(access)
    if created:
        remember_participant(response, participant)
    return response


def attendee_or_refuse(request: HttpRequest, access: LiveAccess) -> str:
    """Return why the viewer cannot take part right now, or "" when they can."""
    if access.attendee is None:
        return _("Join the session first.")
    if not can_take_part(access):
        return _("This session is not live right now.")
    return ""


def refuse(
    request: HtmxHttpRequest, access: LiveAccess, message: str, anchor: str = ""
) -> HttpResponse:
    """Show why an action was refused: in place for htmx, as a message otherwise."""
    if request.htmx:
        response = render(request, "live/_refusal.html", {"message": message}, status=200)
        response["HX-Retarget"] = "#live-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, message)
    return back_to_room(access, anchor)


@require_POST
def rename(request: HtmxHttpRequest, code: str) -> HttpResponse:
    access = access_live_session(request, code)
    refusal = attendee_or_refuse(request, access)
    if refusal:
        return refuse(request, access, refusal)
    assert access.attendee is not None
    if not allow(f"live-rename:{access.attendee.pk}", RENAMES_PER_HOUR, 3600):
        return refuse(
            request, access, _("You changed your name several times. Keep this one for a while.")
        )
    try:
        actions.do_rename_attendee(access.attendee, request.POST.get("name", ""))
    except ActionRefused as refusal_:
        return refuse(request, access, refusal_.message)
    messages.success(
        request, _("The room now calls you %(name)s.") % {"name": access.attendee.name}
    )
    return back_to_room(access)


@require_POST
@vary_on_headers("HX-Request")
@lean_capable
def ask(request: HtmxHttpRequest, code: str) -> HttpResponse:
    access = access_live_session(request, code)
    refusal = attendee_or_refuse(request, access)
    if refusal:
        return refuse(request, access, refusal, "#questions")
    assert access.attendee is not None
    too_fast = write_refusal(
        request,
        f"live-ask:{access.attendee.pk}",
        QUESTIONS_PER_MINUTE,
        60,
        _("You asked several questions just now. Wait a minute before the next one."),
    )
    if too_fast:
        return refuse(request, access, too_fast, "#questions")
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return refuse(
            request,
            access,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            "#questions",
        )
    try:
        question = actions.do_ask_question(
            access.attendee, form.cleaned_data["text"], anonymous=form.cleaned_data["anonymous"]
        )
    except ActionRefused as refusal_:
        return refuse(request, access, refusal_.message, "#questions")
    if question.status == "visible":
        note = _("Your question is in. Others can vote for it now.")
    else:
        note = _("Your question is in. It shows once a moderator has approved it.")
    if request.htmx:
        # The form again, empty, and the thanks: all the partial shows. The question itself
        # reaches this screen, as every screen, through the event stream.
        return render(
            request,
            "live/room.html#ask",
            {"session": access.session, "question_form": QuestionForm(), "note": note},
        )
    messages.success(request, note)
    return back_to_room(access, "#questions")


@require_POST
@vary_on_headers("HX-Request")
@lean_capable
def upvote(request: HtmxHttpRequest, code: str, question_id: int) -> HttpResponse:
    access = access_live_session(request, code)
    refusal = attendee_or_refuse(request, access)
    if refusal:
        return refuse(request, access, refusal, "#questions")
    assert access.attendee is not None
    question = access_question(access, question_id)
    too_fast = write_refusal(
        request,
        f"live-upvote:{access.attendee.pk}",
        UPVOTES_PER_MINUTE,
        60,
        _("That was a lot of voting in a short time. Try again in a minute."),
    )
    if too_fast:
        return refuse(request, access, too_fast, "#questions")
    up = request.POST.get("up", "1") == "1"
    try:
        actions.do_upvote_question(access.attendee, question, up=up)
    except ActionRefused as refusal_:
        return refuse(request, access, refusal_.message, "#questions")
    if request.htmx:
        return render(
            request,
            "live/_question.html",
            {
                "question": question,
                "upvoted": upvoted_by(access.attendee),
                "session": access.session,
                "attendee": access.attendee,
            },
        )
    return back_to_room(access, f"#question-{question.pk}")


def answer_input(request: HttpRequest, option_ids: set[int]) -> dict[str, object]:
    """Read an answer from the form, whatever its kind; the action checks it."""

    # One option that is no id and the choice is empty: the action refuses it.
    chosen = parse_ids(request.POST.getlist("option"), limit=len(option_ids)) or []
    places: list[tuple[int, int]] = []
    for option_id in option_ids:
        place = parse_int(request.POST.get(f"rank_{option_id}", ""), low=1, high=len(option_ids))
        if place is not None:
            places.append((place, option_id))
    ranking = [option_id for _place, option_id in sorted(places)]
    if len({place for place, _id in places}) != len(places):
        ranking = []  # two options in one place: the action explains
    return {
        "option_ids": chosen,
        "value": parse_int(request.POST.get("value", "")),
        "text": request.POST.get("text", ""),
        "ranking": ranking,
    }


@require_POST
@vary_on_headers("HX-Request")
@lean_capable
def answer(request: HtmxHttpRequest, code: str, poll_id: int) -> HttpResponse:
    access = access_live_session(request, code)
    refusal = attendee_or_refuse(request, access)
    anchor = f"#poll-{poll_id}"
    if refusal:
        return refuse(request, access, refusal, anchor)
    assert access.attendee is not None
    poll = access_poll(access, poll_id)
    too_fast = write_refusal(
        request,
        f"live-answer:{access.attendee.pk}",
        ANSWERS_PER_MINUTE,
        60,
        _("You changed your answer many times. Wait a minute."),
    )
    if too_fast:
        return refuse(request, access, too_fast, anchor)
    options = {option.pk for option in poll.options.all()}
    try:
        response = actions.do_answer_poll(access.attendee, poll, **answer_input(request, options))  # type: ignore[arg-type]
    except ActionRefused as refusal_:
        return refuse(request, access, refusal_.message, anchor)
    if poll.is_quiz:
        # The answer card says so already, and the results say when the right one shows.
        note = _("Your answer is in.")
    elif poll.kind == PollKind.TEXT:
        note = _(
            "Thank you! You can send another answer to replace this one while the poll is open."
        )
    else:
        note = _("Thank you! You can change your answer while the poll is open.")
    if request.htmx:
        # Only the form and the thanks: the results reach every screen, this one too,
        # through the event stream within a moment.
        return render(
            request,
            "live/_poll.html#answer",
            {
                "poll": poll,
                "session": access.session,
                "own": response,
                "note": None if poll.is_quiz else note,
            },
        )
    messages.success(request, note)
    return back_to_room(access, anchor)


@require_POST
@lean_capable
def react(request: HtmxHttpRequest, code: str) -> HttpResponse:
    access = access_live_session(request, code)
    refusal = attendee_or_refuse(request, access)
    if refusal:
        return refuse(request, access, refusal)
    assert access.attendee is not None
    too_fast = write_refusal(
        request,
        f"live-react:{access.attendee.pk}",
        REACTIONS_PER_TEN_SECONDS,
        10,
        _("Easy there! Wait a few seconds before the next reaction."),
    )
    if too_fast:
        return refuse(request, access, too_fast)
    try:
        actions.do_react(access.attendee, request.POST.get("kind", ""))
    except ActionRefused as refusal_:
        return refuse(request, access, refusal_.message)
    if request.htmx:
        return HttpResponse(status=204)
    return back_to_room(access)
