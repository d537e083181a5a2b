"""What organisers decide from the figures page: a person or a machine, plans, open calls.

Each form posts here and comes back to the touchpoint's card on the figures page, with
a message saying what happened (or what was wrong: nothing changed then).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused

from ..actions import decisions
from ..forms_figures import DecisionForm, OpenCallForm, PlanForm
from ..models import Plan, Touchpoint
from ..permissions import access_touchpoint
from .report import figures_access


def back_to(touchpoint: Touchpoint) -> HttpResponseRedirect:
    activity = touchpoint.journey.activity
    url = reverse("journeys:figures", args=[activity.space.slug, activity.slug])
    return redirect(f"{url}#touchpoint-{touchpoint.pk}")


def first_error(form: Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("Something in the form was not right.")


def touchpoint_of(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> Touchpoint:
    access = figures_access(request, space_slug, activity_slug)
    return access_touchpoint(access, touchpoint_id)


@login_required
@require_POST
def decide(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    touchpoint = touchpoint_of(request, space_slug, activity_slug, touchpoint_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back_to(touchpoint)
    try:
        decisions.do_decide(
            signed_in_user(request),
            touchpoint,
            form.cleaned_data["service_choice"],
            form.cleaned_data["decision"],
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Your decision at “%(touchpoint)s” is saved.") % {"touchpoint": touchpoint}
        )
    return back_to(touchpoint)


@login_required
@require_POST
def add_plan(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    touchpoint = touchpoint_of(request, space_slug, activity_slug, touchpoint_id)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back_to(touchpoint)
    try:
        decisions.do_add_plan(
            signed_in_user(request),
            touchpoint,
            form.cleaned_data["kind"],
            form.cleaned_data["text"],
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Noted at “%(touchpoint)s”.") % {"touchpoint": touchpoint})
    return back_to(touchpoint)


@login_required
@require_POST
def delete_plan(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int, plan_id: int
) -> HttpResponse:
    touchpoint = touchpoint_of(request, space_slug, activity_slug, touchpoint_id)
    plan = get_object_or_404(Plan, pk=plan_id, touchpoint=touchpoint)
    plan.touchpoint = touchpoint
    decisions.do_delete_plan(signed_in_user(request), plan)
    messages.success(request, _("Deleted."))
    return back_to(touchpoint)


@login_required
@require_POST
def open_call(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """Open a draft open call from a touchpoint, and go write its brief."""
    touchpoint = touchpoint_of(request, space_slug, activity_slug, touchpoint_id)
    form = OpenCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back_to(touchpoint)
    try:
        call = decisions.do_open_call_from_touchpoint(
            signed_in_user(request), touchpoint, form.cleaned_data["title"]
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return back_to(touchpoint)
    messages.success(
        request,
        _("The open call is a draft, linked to “%(touchpoint)s”. Start with why: write its brief.")
        % {"touchpoint": touchpoint},
    )
    return redirect("activities:brief", space_slug=call.space.slug, activity_slug=call.slug)
