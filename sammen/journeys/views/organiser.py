"""Pages organisers use: the journey's settings, its map of stages and touchpoints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused

from .. import actions
from ..forms import JourneySettingsForm, WaveForm
from ..permissions import JourneyAccess, access_journey
from ..queries.editor import waves_of


def organiser_context(access: JourneyAccess, tab: str) -> dict[str, object]:
    return {
        "access": access.space_access,
        "journey_access": access,
        "journey": access.journey,
        "activity": access.activity,
        "space": access.space,
        "tab": tab,
    }


@login_required
@require_http_methods(["GET", "POST"])
def journey_settings(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Set who may rate, the scale, proposals and the closing and segment questions."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    journey = access.journey
    form = JourneySettingsForm(
        request.POST or None, initial=JourneySettingsForm.initial_from(journey)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_journey(signed_in_user(request), journey, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The journey's settings are saved."))
            return redirect("journeys:settings", space_slug, activity_slug)
    return render(
        request,
        "journeys/settings.html",
        {
            "form": form,
            "waves": waves_of(journey),
            "wave_form": WaveForm(),
            **organiser_context(access, "settings"),
        },
    )


@login_required
@require_POST
def start_wave(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Close the open wave and start the next, to compare ratings before and after a change."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    form = WaveForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused(" ".join(str(error) for error in form.errors.get("label", [])))
        wave = actions.do_start_wave(
            signed_in_user(request), access.journey, label=form.cleaned_data["label"]
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Wave %(number)s has started. Ratings from now on compare with the waves before.")
            % {"number": wave.number},
        )
    url = reverse("journeys:settings", args=[space_slug, activity_slug])
    return redirect(f"{url}#waves")
