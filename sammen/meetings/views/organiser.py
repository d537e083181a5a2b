"""Pages planners use: the meeting's settings."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused

from .. import actions
from ..forms import MeetingSettingsForm
from ..permissions import MeetingAccess, access_meeting


def meeting_context(access: MeetingAccess) -> dict[str, object]:
    """Return what every meeting page's template reads of the meeting and the viewer."""
    return {
        "access": access.space_access,
        "meeting_access": access,
        "meeting": access.meeting,
        "activity": access.activity,
        "space": access.space,
    }


def organiser_context(access: MeetingAccess, tab: str) -> dict[str, object]:
    return {**meeting_context(access), "tab": tab}


def refuse(form: Any, refusal: ActionRefused) -> None:
    """Show an action's refusal on the form: on its field when the form has it."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_settings(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Set when and where, the places, who may register and when to follow up."""
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    meeting = access.meeting
    form = MeetingSettingsForm(
        request.POST or None, initial=MeetingSettingsForm.initial_from(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_meeting(signed_in_user(request), meeting, **form.cleaned_data)
        except ActionRefused as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The meeting's settings are saved."))
            return redirect("meetings:settings", space_slug, activity_slug)
    return render(
        request, "meetings/settings.html", {"form": form, **organiser_context(access, "settings")}
    )
