"""What organisers, moderators and presenters use: setup, polls, moderation, the big screen."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.models import User
from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest, parse_id, parse_ids, parse_int, safe_next_url
from sammen.core.qr import qr_svg

from .. import actions
from ..forms import CrewForm, HideForm, LiveSettingsForm, PollForm, ReplyForm
from ..models import Poll, PollState, Question, Response, Screen
from ..permissions import LiveAccess, access_live_activity, access_poll, access_question
from ..queries import flagged_answers, has_quiz, moderation_queue
from ..snapshots import Reader, stage_context
from .clock import server_now_ms


def setup_url(access: LiveAccess, name: str = "live:setup", **kwargs: object) -> str:
    activity = access.session.activity
    return reverse(
        name, kwargs={"space_slug": activity.space.slug, "activity_slug": activity.slug, **kwargs}
    )


def base_context(access: LiveAccess) -> dict[str, object]:
    activity = access.session.activity
    return {
        "access": access.activity_access.space_access,
        "live": access,
        "session": access.session,
        "activity": activity,
        "space": activity.space,
    }


def join_url(request: HttpRequest, access: LiveAccess) -> str:
    return request.build_absolute_uri(reverse("live:short", kwargs={"code": access.session.code}))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Prepare the session: who may join, moderation, the polls, and who helps."""
    access = access_live_activity(request, space_slug, activity_slug, need="organise")
    user = signed_in_user(request)
    form = LiveSettingsForm(request.POST or None, session=access.session)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_live_settings(user, access.session, form.settings())
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The session's settings are saved."))
            return redirect(setup_url(access))
    return render(
        request,
        "live/setup.html",
        {
            **base_context(access),
            "form": form,
            "poll_rows": poll_rows(access),
            "crew": list(access.session.crew.select_related("user")),
            "crew_form": CrewForm(session=access.session),
            "join_url": join_url(request, access),
        },
    )


def poll_rows(access: LiveAccess) -> list[tuple[Poll, bool]]:
    """Return the session's polls in their order, each with whether its results show."""
    session = access.session
    return [(poll, poll.results_revealed(session)) for poll in session.polls.all()]


def place_from(value: str) -> int:
    """Return a typed place as a number, or 0 (refused by the action) for anything else."""
    return parse_int(value, high=99_999) or 0


@login_required
@require_POST
@vary_on_headers("HX-Request")
def move_poll(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, poll_id: int
) -> HttpResponse:
    """Move a poll to another place in the session's order (the up and down buttons)."""
    access = access_live_activity(request, space_slug, activity_slug, need="organise")
    raw_position = request.POST.get("position", "").strip()
    try:
        poll = access_poll(access, poll_id)
    except Http404:
        messages.error(request, _("This poll is no longer there."))
    else:
        try:
            actions.do_move_poll(signed_in_user(request), poll, place_from(raw_position))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("“%(title)s” is now number %(position)s.")
                % {"title": poll.title, "position": poll.position},
            )
    if request.htmx:
        return render(
            request,
            "live/setup.html#polls",
            {**base_context(access), "poll_rows": poll_rows(access), "with_messages": True},
        )
    return redirect(setup_url(access) + "#polls-title")


@login_required
@require_POST
def renew_code(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_live_activity(request, space_slug, activity_slug, need="organise")
    try:
        code = actions.do_renew_join_code(signed_in_user(request), access.session)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The new join code is %(code)s.") % {"code": code})
    return redirect(setup_url(access))


@login_required
@require_POST
def crew(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_live_activity(request, space_slug, activity_slug, need="organise")
    form = CrewForm(request.POST, session=access.session)
    if form.is_valid():
        try:
            actions.do_set_crew_role(
                signed_in_user(request),
                access.session,
                form.cleaned_data["user"],
                form.cleaned_data["role"],
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Who helps run the session is saved."))
    else:
        messages.error(request, _("Choose a member of the space and a role."))
    return redirect(setup_url(access))


@login_required
@require_http_methods(["GET", "POST"])
def edit_poll(
    request: HttpRequest, space_slug: str, activity_slug: str, poll_id: int | None = None
) -> HttpResponse:
    """Prepare a poll in advance, or improvise one during the session."""
    access = access_live_activity(request, space_slug, activity_slug, need="present")
    poll = access_poll(access, poll_id) if poll_id is not None else None
    form = PollForm(request.POST or None, poll=poll)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.do_save_poll(
                signed_in_user(request),
                access.session,
                poll=poll,
                kind=data["kind"],
                title=data["title"],
                options=form.options(),
                scale_max=data["scale_max"] or 5,
                text_display=data["text_display"] or "cloud",
                quiz_seconds=data["quiz_seconds"] or 20,
                time_limit=data["time_limit"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            if request.POST.get("open") and not saved.is_open:
                try:
                    actions.do_open_poll(signed_in_user(request), saved)
                except ActionRefused as refusal:
                    messages.error(request, refusal.message)
                else:
                    messages.success(request, _("The poll is open and on the big screen."))
                    return redirect(
                        safe_next_url(
                            request, request.POST.get("next"), setup_url(access, "live:present")
                        )
                    )
            messages.success(request, _("The poll is saved."))
            return redirect(setup_url(access))
    return render(
        request,
        "live/poll_form.html",
        {
            **base_context(access),
            "form": form,
            "poll": poll,
            "answered": bool(poll and poll.responses.exists()),
        },
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def control_poll(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, poll_id: int, step: str
) -> HttpResponse:
    """Open, close, reset or delete a poll, or show or hide its results."""
    access = access_live_activity(request, space_slug, activity_slug, need="present")
    poll = access_poll(access, poll_id)
    user = signed_in_user(request)
    steps: dict[str, tuple[Callable[[User, Poll], object], str]] = {
        "open": (actions.do_open_poll, _("The poll is open.")),
        "close": (actions.do_close_poll, _("The poll is closed.")),
        "reset": (actions.do_reset_poll, _("The poll's answers are deleted; it can open again.")),
        "delete": (actions.do_delete_poll, _("The poll is deleted.")),
        "show-results": (
            partial(actions.do_set_poll_results_shown, shown=True),
            _("The poll's results are shown on the big screen and on phones."),
        ),
        "hide-results": (
            partial(actions.do_set_poll_results_shown, shown=False),
            _("The poll's results are hidden on the big screen and on phones."),
        ),
    }
    if step not in steps:
        messages.error(request, _("Choose one of the actions offered."))
        return redirect(setup_url(access))
    action, done = steps[step]
    try:
        action(user, poll)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if not request.htmx:
            messages.success(request, done)
    if request.htmx:
        return present_controls(request, access)
    return redirect(safe_next_url(request, request.POST.get("next"), setup_url(access)))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def show(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Choose what the big screen shows."""
    access = access_live_activity(request, space_slug, activity_slug, need="present")
    # "poll|12" or "questions": from the back/next buttons, or the list when "Show" is pressed.
    value = request.POST.get("step" if request.POST.get("use_select") else "screen", "")
    screen, _sep, poll_id = value.partition("|")
    poll = access_poll(access, number) if (number := parse_id(poll_id)) else None
    try:
        actions.do_show_on_screen(access.session, screen, poll)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    if request.htmx:
        return present_controls(request, access)
    return redirect(setup_url(access, "live:present"))


def present_context(request: HttpRequest, access: LiveAccess) -> dict[str, object]:
    session = access.session
    if actions.close_polls_past_their_time(session):
        session.refresh_from_db(fields=["screen", "shown_poll"])
    polls = list(session.polls.prefetch_related("options"))
    for poll in polls:
        poll.session = session
    reader = Reader(session)
    steps: list[dict[str, object]] = [
        {"screen": Screen.JOIN, "poll": None, "label": _("How to join")}
    ]
    steps += [{"screen": Screen.POLL, "poll": poll, "label": poll.title} for poll in polls]
    steps.append({"screen": Screen.QUESTIONS, "poll": None, "label": _("Top questions")})
    if has_quiz(session):
        steps.append({"screen": Screen.LEADERBOARD, "poll": None, "label": _("Leaderboard")})
    current = 0
    for index, step in enumerate(steps):
        shown = step["poll"]
        if step["screen"] == session.screen and (
            session.screen != Screen.POLL
            or (isinstance(shown, Poll) and shown.pk == session.shown_poll_id)
        ):
            current = index
    return {
        **base_context(access),
        **stage_context(reader),
        "polls": polls,
        "steps": steps,
        "current": current,
        "previous_step": steps[current - 1] if current > 0 else None,
        "next_step": steps[current + 1] if current + 1 < len(steps) else None,
        "join_url": join_url(request, access),
        "join_host": request.get_host(),
        "qr": qr_svg(join_url(request, access)),
        "server_now_ms": server_now_ms(),
    }


def present_controls(request: HttpRequest, access: LiveAccess) -> HttpResponse:
    access.session.refresh_from_db()
    return render(request, "live/present.html#controls", present_context(request, access))


@login_required
@require_GET
def present(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """The presenter view for the projector: large, calm, updating without a reload."""
    access = access_live_activity(request, space_slug, activity_slug, need="present")
    return render(request, "live/present.html", present_context(request, access))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def moderate(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """The moderators' queue: what waits for approval, what is shown, what was hidden."""
    access = access_live_activity(request, space_slug, activity_slug, need="moderate")
    context = {
        **base_context(access),
        "queue": moderation_queue(access.session),
        "answers": flagged_answers(access.session),
        "hide_form": HideForm(),
        "reply_form": ReplyForm(),
    }
    if request.htmx:
        return render(request, "live/_moderation_queue.html", context)
    return render(request, "live/moderate.html", context)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def moderate_questions(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str
) -> HttpResponse:
    """Approve, hide, restore, pin or mark answered one question or a selection."""
    access = access_live_activity(request, space_slug, activity_slug, need="moderate")
    # The first 200 count; one that is no id and none do (the action says to select some).
    ids = parse_ids(request.POST.getlist("question")[:200], limit=200) or []
    questions = list(Question.objects.filter(session=access.session, pk__in=ids))
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
    try:
        count = actions.do_moderate_questions(
            signed_in_user(request), access.session, questions, request.POST.get("act", ""), reason
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if not request.htmx:
            messages.success(
                request,
                ngettext("Done for %(count)s question.", "Done for %(count)s questions.", count)
                % {"count": count},
            )
    if request.htmx:
        return render(
            request,
            "live/_moderation_queue.html",
            {
                **base_context(access),
                "queue": moderation_queue(access.session),
                "with_messages": True,
            },
        )
    return redirect(setup_url(access, "live:moderate"))


@login_required
@require_POST
def reply(
    request: HttpRequest, space_slug: str, activity_slug: str, question_id: int
) -> HttpResponse:
    access = access_live_activity(request, space_slug, activity_slug, need="moderate")
    question = access_question(access, question_id)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused(" ".join(str(e) for e in form.errors.get("reply", [])))
        actions.do_reply_to_question(signed_in_user(request), question, form.cleaned_data["reply"])
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your reply shows under the question."))
    return redirect(setup_url(access, "live:moderate") + f"#question-{question.pk}")


@login_required
@require_POST
def lock_questions(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_live_activity(request, space_slug, activity_slug, need="moderate")
    is_open = request.POST.get("open") == "1"
    actions.do_set_questions_open(signed_in_user(request), access.session, is_open)
    messages.success(request, _("Questions are open.") if is_open else _("Questions are locked."))
    return redirect(
        safe_next_url(request, request.POST.get("next"), setup_url(access, "live:moderate"))
    )


@login_required
@require_POST
def moderate_answer(
    request: HttpRequest, space_slug: str, activity_slug: str, response_id: int
) -> HttpResponse:
    access = access_live_activity(request, space_slug, activity_slug, need="moderate")
    response = (
        Response.objects.select_related("poll")
        .filter(pk=response_id, poll__session=access.session)
        .first()
    )
    if response is None or response.poll.state == PollState.DRAFT:
        messages.error(request, _("This answer is no longer there."))
    else:
        response.poll.session = access.session
        actions.do_moderate_answer(
            signed_in_user(request), response, hidden=request.POST.get("hidden") == "1"
        )
        messages.success(
            request,
            _("The answer is hidden.")
            if request.POST.get("hidden") == "1"
            else _("The answer shows again."),
        )
    return redirect(setup_url(access, "live:moderate") + "#flagged-answers")
