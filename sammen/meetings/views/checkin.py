"""The planners' side of registration: the door (search or scan, then check in) and the
list of everyone who registered, with its CSV export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.exports import csv_download, dated_filename
from sammen.core.http import HtmxHttpRequest
from sammen.core.middleware import PermissionsPolicyMiddleware

from .. import actions
from ..attendees import SEARCH_MAX_LENGTH, attendance, door_search, planners_list
from ..forms import CheckInCodeForm, DoorSearchForm, RegistrationListForm
from ..models import Registration
from ..permissions import MeetingAccess, access_meeting
from .organiser import organiser_context

REGISTRATIONS_PER_PAGE = 50
# The scan page asks for this site's camera; every other page keeps it denied.
SCAN_POLICY = PermissionsPolicyMiddleware.policy.replace("camera=()", "camera=(self)")


def door_context(access: MeetingAccess, tab: str) -> dict[str, object]:
    return {**organiser_context(access, tab), "attendance": attendance(access.meeting)}


def check_in_url(access: MeetingAccess, query: str = "") -> str:
    url = reverse("meetings:check_in", args=[access.space.slug, access.activity.slug])
    query = query.strip()[:SEARCH_MAX_LENGTH]
    return f"{url}?{urlencode({'q': query})}" if query else url


@login_required
@require_GET
@vary_on_headers("HX-Request")
def check_in(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """The door: find an attendee by name or email and check them in."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = DoorSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        **door_context(access, "check_in"),
        "form": form,
        "query": query,
        "results": door_search(access.meeting, query),
    }
    # Going back in history, htmx asks for the whole page again.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "meetings/check_in.html#door-results", context)
    return render(request, "meetings/check_in.html", context)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def check_in_attendee(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, registration_id: int
) -> HttpResponse:
    """Check one attendee in, from the search's results."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    registration = get_object_or_404(Registration, meeting=access.meeting, pk=registration_id)
    registration.meeting = access.meeting
    outcome, message = check_in_and_say(request, registration)
    if request.htmx:
        return render(
            request,
            "meetings/check_in.html#attendee",
            {
                **door_context(access, "check_in"),
                "attendee": registration,
                "outcome": outcome,
                "message": message,
                "counts_too": True,
            },
        )
    {"done": messages.success, "again": messages.warning}.get(outcome, messages.error)(
        request, message
    )
    return redirect(check_in_url(access, str(request.POST.get("q", ""))))


def check_in_and_say(request: HttpRequest, registration: Registration) -> tuple[str, str]:
    """Check in; return how it went ("done", "again" or "refused") and what to say."""
    name = registration.name
    try:
        arrived_now = actions.do_check_in(signed_in_user(request), registration)
    except ActionRefused as refused:
        return "refused", _("%(name)s: %(state)s. %(reason)s") % {
            "name": name,
            "state": registration.get_state_display(),
            "reason": refused.message,
        }
    if arrived_now:
        return "done", _("Checked in: %(name)s.") % {"name": name}
    return "again", _("%(name)s was checked in already, at %(time)s.") % {
        "name": name,
        "time": time_format(timezone.localtime(registration.checked_in_at))
        if registration.checked_in_at
        else "",
    }


def with_camera(response: HttpResponse) -> HttpResponse:
    response.headers["Permissions-Policy"] = SCAN_POLICY
    return response


@login_required
@require_GET
def scan(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Scan attendees' QR codes with the phone's camera, or type the code."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    context = {**door_context(access, "scan"), "form": CheckInCodeForm()}
    return with_camera(render(request, "meetings/scan.html", context))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def check_in_code(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Check in the attendee a scanned or typed code belongs to; 404 for a code that is
    not one of this meeting's."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = CheckInCodeForm(request.POST)
    status, outcome, message, registration = 200, "", "", None
    if not form.is_valid() and request.htmx:
        # Only the answer is swapped in: it says what is wrong with the code.
        outcome, message = "refused", " ".join(str(error) for error in form.errors.get("code", []))
    elif form.is_valid():
        registration = Registration.objects.filter(
            meeting=access.meeting, code=form.cleaned_data["code"]
        ).first()
        if registration is None:
            status, outcome = 404, "refused"
            message = _("No registration for this meeting has this code.")
        else:
            registration.meeting = access.meeting
            outcome, message = check_in_and_say(request, registration)
            form = CheckInCodeForm()
    context = {
        **door_context(access, "scan"),
        "form": form,
        "outcome": outcome,
        "message": message,
        "attendee": registration,
    }
    if request.htmx:
        return render(request, "meetings/scan.html#scan-result", context, status=status)
    return with_camera(render(request, "meetings/scan.html", context, status=status))


@login_required
@require_GET
def registrations(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Everyone who registered: their state, place on the waiting list and arrival."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    form = RegistrationListForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {"state": "", "q": ""}
    rows = planners_list(access.meeting, state=chosen["state"], query=chosen["q"])
    page = Paginator(rows, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/registrations.html",
        {**door_context(access, "registrations"), "form": form, "page": page},
    )


@login_required
@require_GET
def registrations_csv(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """The registrations as CSV: name, email, state, and when they checked in."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    rows = (
        {
            "name": registration.name,
            "email": registration.email,
            "state": registration.state,
            "place_on_waiting_list": getattr(registration, "place", None) or "",
            "registered_at": registration.created_at.isoformat(),
            "checked_in_at": (
                registration.checked_in_at.isoformat() if registration.checked_in_at else ""
            ),
        }
        for registration in planners_list(access.meeting).iterator(chunk_size=1000)
    )
    fields = [
        "name",
        "email",
        "state",
        "place_on_waiting_list",
        "registered_at",
        "checked_in_at",
    ]
    return csv_download(rows, fields, dated_filename(access.activity.slug, "registrations", "csv"))
