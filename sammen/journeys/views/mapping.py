"""The organisers' map editor: stages holding their touchpoints, in order; examples to
start from; the map as CSV, in and out; and the touchpoints participants propose.

Every change is a plain POST that redirects back to the editor, so it all works without
JavaScript; with htmx, the editor is swapped in place and says what happened.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.exports import csv_download, dated_filename
from sammen.core.http import HtmxHttpRequest

from ..actions import mapping
from ..actions.importing import do_apply_starter, do_import_map
from ..actions.review import do_approve_touchpoint, do_hide_touchpoint, do_restore_touchpoint
from ..forms import HideTouchpointForm, ImportForm, StageForm, StarterForm, TouchpointForm
from ..importing import COLUMNS, MAX_IMPORT_BYTES, map_rows
from ..models import MAX_STAGES, MAX_TOUCHPOINTS, Stage, Touchpoint
from ..permissions import JourneyAccess, access_journey, access_stage, access_touchpoint
from ..queries.editor import editor_map, editor_touchpoint, proposed_touchpoints
from ..queries.maps import journey_map
from ..starters import STARTERS
from .organiser import organiser_context

EDITOR = "journeys/map.html"


def add_form(stage: Stage, data: Any = None) -> TouchpointForm:
    return TouchpointForm(data, auto_id=f"add-{stage.pk}-%s")


def editor_context(
    access: JourneyAccess, add_forms: dict[int, TouchpointForm] | None = None, **extra: Any
) -> dict[str, Any]:
    stages = editor_map(access.journey)
    add_forms = add_forms or {}
    return {
        **organiser_context(access, "map"),
        "stages": [(view, add_forms.get(view.stage.pk) or add_form(view.stage)) for view in stages],
        "proposed": proposed_touchpoints(stages),
        "touchpoint_count": sum(len(view.items) for view in stages),
        "max_stages": MAX_STAGES,
        "max_touchpoints": MAX_TOUCHPOINTS,
        "starters": list(STARTERS.values()) if not stages else [],
        "stage_form": StageForm(auto_id="new-stage-%s"),
        "status": "",
        "error": "",
        "error_at": "",
        "error_id": None,
        **extra,
    }


def map_url(access: JourneyAccess, anchor: str = "") -> str:
    url = reverse("journeys:map", args=[access.space.slug, access.activity.slug])
    return f"{url}#{anchor}" if anchor else url


def after_change(
    request: HtmxHttpRequest,
    access: JourneyAccess,
    *,
    status: str = "",
    error: str = "",
    at: str = "",
) -> HttpResponse:
    """Answer a change in the editor: the editor itself for htmx (saying what happened
    beside the row it concerns), else a redirect back to that row on the page."""
    if request.htmx:
        # "touchpoint-12" says the error goes beside touchpoint 12; "add-stage" by the form.
        place, _dash, number = at.rpartition("-")
        if not number.isdigit():
            place, number = at, ""
        context = editor_context(
            access,
            status=status,
            error=error,
            error_at=place if error else "",
            error_id=int(number) if number else None,
        )
        return render(request, f"{EDITOR}#editor-response", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, status)
    return redirect(map_url(access, at))


def form_error(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_GET
def journey_map_editor(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the stages and touchpoints to change, reorder and review."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    return render(request, EDITOR, editor_context(access))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def add_stage(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_journey(request, space_slug, activity_slug, manage=True)
    form = StageForm(request.POST)
    if not form.is_valid():
        return after_change(request, access, error=form_error(form), at="add-stage")
    try:
        stage = mapping.do_add_stage(
            signed_in_user(request), access.journey, form.cleaned_data["name"]
        )
    except ActionRefused as refusal:
        return after_change(request, access, error=refusal.message, at="add-stage")
    status = _("The stage “%(name)s” is added.") % {"name": stage.name}
    return after_change(request, access, status=status, at=f"stage-{stage.pk}")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def change_stage(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, stage_id: int
) -> HttpResponse:
    """Rename, move or delete a stage."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    stage = access_stage(access, stage_id)
    actor = signed_in_user(request)
    step = request.POST.get("step", "")
    at = f"stage-{stage.pk}"
    try:
        if step == "rename":
            form = StageForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(form_error(form))
            mapping.do_update_stage(actor, stage, form.cleaned_data["name"])
            status = _("The stage is renamed “%(name)s”.") % {"name": stage.name}
        elif step in {"up", "down"}:
            mapping.do_move_stage(actor, stage, -1 if step == "up" else 1)
            status = moved(stage.name, step)
        elif step == "delete":
            mapping.do_delete_stage(actor, stage)
            status = _("The stage “%(name)s” is deleted.") % {"name": stage.name}
            at = "map-editor"
        else:
            raise ActionRefused(_("Choose what to do with the stage."))
    except ActionRefused as refusal:
        return after_change(request, access, error=refusal.message, at=at)
    return after_change(request, access, status=status, at=at)


def moved(name: str, step: str) -> str:
    if step == "up":
        return _("“%(name)s” moved up.") % {"name": name}
    return _("“%(name)s” moved down.") % {"name": name}


@login_required
@require_POST
@vary_on_headers("HX-Request")
def add_touchpoint(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, stage_id: int
) -> HttpResponse:
    """Add a touchpoint at the end of a stage."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    stage = access_stage(access, stage_id)
    form = add_form(stage, request.POST)
    if form.is_valid():
        try:
            touchpoint = mapping.do_add_touchpoint(signed_in_user(request), stage, form.to_input())
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            status = _("“%(name)s” is added.") % {"name": touchpoint.name}
            return after_change(request, access, status=status, at=f"touchpoint-{touchpoint.pk}")
    context = editor_context(access, add_forms={stage.pk: form})
    template = f"{EDITOR}#editor-response" if request.htmx else EDITOR
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_touchpoint(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """Change what a touchpoint says; delete it, or hide it once it has ratings."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    touchpoint = access_touchpoint(access, touchpoint_id)
    form = TouchpointForm(request.POST or None, initial=TouchpointForm.initial_from(touchpoint))
    if request.method == "POST" and form.is_valid():
        try:
            mapping.do_update_touchpoint(signed_in_user(request), touchpoint, form.to_input())
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": touchpoint.name})
            return redirect(map_url(access, f"touchpoint-{touchpoint.pk}"))
    return render(
        request,
        "journeys/touchpoint_form.html",
        {
            "form": form,
            "item": editor_touchpoint(touchpoint),
            "hide_form": HideTouchpointForm(),
            **organiser_context(access, "map"),
        },
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def change_touchpoint(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """Move, delete, approve, hide or restore a touchpoint."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    touchpoint = access_touchpoint(access, touchpoint_id)
    actor = signed_in_user(request)
    step = request.POST.get("step", "")
    at = f"touchpoint-{touchpoint.pk}"
    name = touchpoint.name
    try:
        if step in {"up", "down"}:
            mapping.do_move_touchpoint(actor, touchpoint, -1 if step == "up" else 1)
            status = moved(name, step)
        elif step == "delete":
            mapping.do_delete_touchpoint(actor, touchpoint)
            status = _("“%(name)s” is deleted.") % {"name": name}
            at = f"stage-{touchpoint.stage_id}"
        elif step == "approve":
            do_approve_touchpoint(actor, touchpoint)
            status = _("“%(name)s” is approved: participants see it now.") % {"name": name}
        elif step == "hide":
            form = HideTouchpointForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(form_error(form))
            do_hide_touchpoint(actor, touchpoint, form.cleaned_data["reason"])
            status = _("“%(name)s” is hidden. Its ratings stay.") % {"name": name}
        elif step == "restore":
            do_restore_touchpoint(actor, touchpoint)
            status = _("“%(name)s” is shown again.") % {"name": name}
        else:
            raise ActionRefused(_("Choose what to do with the touchpoint."))
    except ActionRefused as refusal:
        if not request.htmx and request.POST.get("back") == "edit":
            messages.error(request, refusal.message)
            return redirect(edit_url(access, touchpoint))
        return after_change(request, access, error=refusal.message, at=at)
    return after_change(request, access, status=status, at=at)


def edit_url(access: JourneyAccess, touchpoint: Touchpoint) -> str:
    return reverse(
        "journeys:edit_touchpoint", args=[access.space.slug, access.activity.slug, touchpoint.pk]
    )


@login_required
@require_POST
def apply_starter(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Map an empty journey from one of the examples."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    form = StarterForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused(form_error(form))
        count = do_apply_starter(
            signed_in_user(request), access.journey, form.cleaned_data["starter"]
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s touchpoint is mapped. Change it to fit your journey.",
                "%(count)s touchpoints are mapped. Change, move, add or delete them to fit "
                "your journey.",
                count,
            )
            % {"count": count},
        )
    return redirect(map_url(access))


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Add stages and touchpoints from a CSV file or pasted lines; a bad line imports nothing."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = do_import_map(signed_in_user(request), access.journey, form.csv_text())
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s touchpoint is imported.",
                    "%(count)s touchpoints are imported.",
                    count,
                )
                % {"count": count},
            )
            return redirect(map_url(access))
    return render(
        request,
        "journeys/import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "max_kb": MAX_IMPORT_BYTES // 1000,
            "max_touchpoints": MAX_TOUCHPOINTS,
            **organiser_context(access, "map"),
        },
    )


@login_required
@require_GET
def export_map(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Download the shown touchpoints as CSV, in the columns the import reads."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    rows = map_rows(journey_map(access.journey))
    return csv_download(rows, COLUMNS, dated_filename(access.activity.slug, "map", "csv"))
