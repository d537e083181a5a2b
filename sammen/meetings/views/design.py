"""The planner's design pages: objectives, the programme, costs; and the programme as
calendar files.

Every change is a plain POST that redirects back to the row it concerns, so it all
works without JavaScript. A bad form is shown again with its messages, and nothing
changes.
"""

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.exports import file_download

from .. import actions
from ..actions.design import MAX_INTANGIBLES
from ..design import cost_summary, design_warnings, load_design, warnings_by_objective
from ..forms import CostLineForm, IntangibleForm, ObjectiveForm, SessionForm
from ..ics import Event, calendar
from ..models import (
    MAX_COST_LINES,
    MAX_OBJECTIVES,
    MAX_SESSIONS,
    CostLine,
    Intangible,
    Meeting,
    Objective,
    Session,
)
from ..permissions import MeetingAccess, access_meeting, is_attendee
from .organiser import organiser_context, refuse

Row = TypeVar("Row", bound=Model)


def row_of(access: MeetingAccess, model: type[Row], pk: int) -> Row:
    """Return a row of the meeting's design; 404 when it belongs to another meeting."""
    return get_object_or_404(model, meeting=access.meeting, pk=pk)


def page_url(access: MeetingAccess, name: str, anchor: str = "") -> str:
    url = reverse(f"meetings:{name}", args=[access.space.slug, access.activity.slug])
    return f"{url}#{anchor}" if anchor else url


# Objectives


@login_required
@require_http_methods(["GET", "POST"])
def meeting_objectives(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """List the objectives with what is weak about each, and add one."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = ObjectiveForm(request.POST or None, initial={"level": "learning"})
    if request.method == "POST" and form.is_valid():
        try:
            objective = actions.do_add_objective(
                signed_in_user(request), access.meeting, form.to_input()
            )
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The objective is added."))
            return redirect(page_url(access, "objectives", f"objective-{objective.pk}"))
    objectives, sessions = load_design(access.meeting)
    warnings = warnings_by_objective(design_warnings(access.meeting, objectives, sessions))
    return render(
        request,
        "meetings/objectives.html",
        {
            "form": form,
            "objectives": [(objective, warnings.get(objective.pk, [])) for objective in objectives],
            "can_add": len(objectives) < MAX_OBJECTIVES,
            "max_objectives": MAX_OBJECTIVES,
            **organiser_context(access, "objectives"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_objective(
    request: HttpRequest, space_slug: str, activity_slug: str, objective_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    objective = row_of(access, Objective, objective_id)
    form = ObjectiveForm(request.POST or None, initial=ObjectiveForm.initial_from(objective))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_objective(signed_in_user(request), objective, form.to_input())
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The objective is saved."))
            return redirect(page_url(access, "objectives", f"objective-{objective.pk}"))
    return render(
        request,
        "meetings/objective_form.html",
        {"form": form, "objective": objective, **organiser_context(access, "objectives")},
    )


@login_required
@require_POST
def change_objective(
    request: HttpRequest, space_slug: str, activity_slug: str, objective_id: int
) -> HttpResponse:
    """Move an objective up or down, or delete it."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    objective = row_of(access, Objective, objective_id)
    actor = signed_in_user(request)
    step = request.POST.get("step", "")
    anchor = f"objective-{objective.pk}"
    try:
        if step in {"up", "down"}:
            actions.do_move_objective(actor, objective, -1 if step == "up" else 1)
            messages.success(request, _("The objective is moved."))
        elif step == "delete":
            actions.do_delete_objective(actor, objective)
            messages.success(request, _("The objective is deleted."))
            anchor = ""
        else:
            raise ActionRefused(_("Choose what to do with the objective."))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(page_url(access, "objectives", anchor))


# The programme


def programme_days(sessions: list[Session]) -> list[tuple[Any, list[Session]]]:
    """Group the sessions (in time order) by their local day."""
    days: list[tuple[Any, list[Session]]] = []
    for session in sessions:
        day = timezone.localdate(session.starts_at)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(session)
    return days


@login_required
@require_http_methods(["GET", "POST"])
def meeting_programme(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the sessions in time order, with the weak spots of the design, and add one."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    meeting = access.meeting
    objectives, sessions = load_design(meeting)
    form = SessionForm(
        request.POST or None,
        meeting=meeting,
        initial=SessionForm.initial_after(meeting, sessions),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.do_add_session(signed_in_user(request), meeting, form.to_input())
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The session is added."))
            return redirect(page_url(access, "programme", f"session-{session.pk}"))
    return render(
        request,
        "meetings/programme.html",
        {
            "form": form,
            "days": programme_days(sessions),
            "session_count": len(sessions),
            "has_objectives": bool(objectives),
            "warnings": design_warnings(meeting, objectives, sessions),
            "can_add": len(sessions) < MAX_SESSIONS,
            "max_sessions": MAX_SESSIONS,
            **organiser_context(access, "programme"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(
    request: HttpRequest, space_slug: str, activity_slug: str, session_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    session = row_of(access, Session, session_id)
    form = SessionForm(
        request.POST or None, meeting=access.meeting, initial=SessionForm.initial_from(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_session(signed_in_user(request), session, form.to_input())
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(page_url(access, "programme", f"session-{session.pk}"))
    return render(
        request,
        "meetings/session_form.html",
        {"form": form, "session": session, **organiser_context(access, "programme")},
    )


@login_required
@require_POST
def delete_session(
    request: HttpRequest, space_slug: str, activity_slug: str, session_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    session = row_of(access, Session, session_id)
    try:
        actions.do_delete_session(signed_in_user(request), session)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(page_url(access, "programme", f"session-{session_id}"))
    messages.success(request, _("The session is deleted."))
    return redirect(page_url(access, "programme"))


# Calendar files


def calendar_host(request: HttpRequest) -> str:
    return request.get_host().rsplit(":", 1)[0] or "sammen"


def place_of(meeting: Meeting, session: Session | None = None) -> str:
    parts = [session.room if session else "", meeting.venue]
    return ", ".join(part for part in parts if part)


def session_event(
    request: HttpRequest, access: MeetingAccess, session: Session, show_links: bool
) -> Event:
    meeting = access.meeting
    page = request.build_absolute_uri(access.activity.get_absolute_url())
    details = [
        part
        for part in (session.speaker, session.get_format_display(), access.activity.title)
        if part
    ]
    return Event(
        uid=f"meeting-{meeting.pk}-session-{session.pk}@{calendar_host(request)}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        location=place_of(meeting, session),
        url=(session.online_url or meeting.online_url or page) if show_links else page,
        description=" · ".join(details),
    )


def may_see_links(access: MeetingAccess) -> bool:
    """Online links are for planners and registered attendees, not for every visitor."""
    return access.can_manage or is_attendee(access)


def ics_response(text: str, filename: str) -> HttpResponse:
    return file_download(text.encode("utf-8"), "text/calendar; charset=utf-8", filename)


@require_GET
def session_ics(
    request: HttpRequest, space_slug: str, activity_slug: str, session_id: int
) -> HttpResponse:
    """Download one session as a calendar file, for whoever may see the meeting."""
    access = access_meeting(request, space_slug, activity_slug)
    session = row_of(access, Session, session_id)
    event = session_event(request, access, session, may_see_links(access))
    text = calendar([event], stamp=timezone.now(), name=access.activity.title)
    return ics_response(text, f"{access.activity.slug}-{session.pk}.ics")


@require_GET
def meeting_ics(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Download the whole meeting as one calendar event whose description is the
    programme; until it has a time, say so on the meeting's page."""
    access = access_meeting(request, space_slug, activity_slug)
    meeting = access.meeting
    sessions = list(Session.objects.filter(meeting=meeting))
    starts = meeting.starts_at or (sessions[0].starts_at if sessions else None)
    ends = meeting.ends_at or (max(s.ends_at for s in sessions) if sessions else None)
    if starts is None or ends is None or ends <= starts:
        messages.error(request, _("Say when the meeting takes place first."))
        return redirect(access.activity)
    page = request.build_absolute_uri(access.activity.get_absolute_url())
    lines = [
        f"{time_format(timezone.localtime(s.starts_at), 'H:i')}–"
        f"{time_format(timezone.localtime(s.ends_at), 'H:i')} {s.title}"
        for s in sessions
    ]
    event = Event(
        uid=f"meeting-{meeting.pk}@{calendar_host(request)}",
        starts_at=starts,
        ends_at=ends,
        summary=access.activity.title,
        location=place_of(meeting),
        url=(meeting.online_url or page) if may_see_links(access) else page,
        description="\n".join([page, *lines]),
    )
    text = calendar([event], stamp=timezone.now(), name=access.activity.title)
    return ics_response(text, f"{access.activity.slug}.ics")


# Costs and intangible benefits


def render_costs(
    request: HttpRequest,
    access: MeetingAccess,
    *,
    form: CostLineForm | None = None,
    intangible_form: IntangibleForm | None = None,
) -> HttpResponse:
    summary = cost_summary(access.meeting)
    intangibles = list(Intangible.objects.filter(meeting=access.meeting))
    return render(
        request,
        "meetings/costs.html",
        {
            "form": form or CostLineForm(),
            "intangible_form": intangible_form or IntangibleForm(),
            "summary": summary,
            "intangibles": intangibles,
            "can_add": summary.line_count < MAX_COST_LINES,
            "can_add_intangible": len(intangibles) < MAX_INTANGIBLES,
            "max_cost_lines": MAX_COST_LINES,
            **organiser_context(access, "costs"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_costs(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the costs by category and per attendee, and add a cost line."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = CostLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = actions.do_add_cost_line(
                signed_in_user(request), access.meeting, form.to_input()
            )
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The cost is added."))
            return redirect(page_url(access, "costs", f"cost-{line.pk}"))
    return render_costs(request, access, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def edit_cost(
    request: HttpRequest, space_slug: str, activity_slug: str, cost_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    line = row_of(access, CostLine, cost_id)
    form = CostLineForm(request.POST or None, initial=CostLineForm.initial_from(line))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_cost_line(signed_in_user(request), line, form.to_input())
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The cost is saved."))
            return redirect(page_url(access, "costs", f"cost-{line.pk}"))
    return render(
        request,
        "meetings/cost_form.html",
        {"form": form, "line": line, **organiser_context(access, "costs")},
    )


@login_required
@require_POST
def delete_cost(
    request: HttpRequest, space_slug: str, activity_slug: str, cost_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    actions.do_delete_cost_line(signed_in_user(request), row_of(access, CostLine, cost_id))
    messages.success(request, _("The cost is deleted."))
    return redirect(page_url(access, "costs"))


@login_required
@require_POST
def add_intangible(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = IntangibleForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_intangible(
                signed_in_user(request), access.meeting, form.cleaned_data["text"]
            )
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The benefit is added."))
            return redirect(page_url(access, "costs", "benefits"))
    return render_costs(request, access, intangible_form=form)


@login_required
@require_POST
def delete_intangible(
    request: HttpRequest, space_slug: str, activity_slug: str, intangible_id: int
) -> HttpResponse:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    actions.do_delete_intangible(signed_in_user(request), row_of(access, Intangible, intangible_id))
    messages.success(request, _("The benefit is deleted."))
    return redirect(page_url(access, "costs", "benefits"))
