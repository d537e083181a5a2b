from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.charts import Measure, participation_chart
from sammen.core.errors import ActionRefused
from sammen.core.exports import csv_download, dated_filename, json_download
from sammen.spaces.models import Role
from sammen.spaces.permissions import SpaceAccess, access_space

from .actions import do_request_count, do_set_minutes
from .analysis import HOURS_PER_STAFF_YEAR, PRIVACY_FLOOR
from .exports import CSV_FIELDS, csv_rows, json_payload
from .forms import FiltersForm, MinutesForm
from .models import Rollup
from .queries import Insights, minutes_of, space_insights


def access_insights(request: HttpRequest, space_slug: str) -> SpaceAccess:
    """Return the space for its owners and moderators: 404 if hidden, 403 for others."""
    return access_space(request.user, space_slug, min_role=Role.MODERATOR)


def read_filters(request: HttpRequest, access: SpaceAccess) -> tuple[FiltersForm, Insights | None]:
    form = FiltersForm(request.GET or None, space=access.space)
    if not request.GET:
        form = FiltersForm({}, space=access.space)
    if not form.is_valid():
        return form, None
    return form, space_insights(access.space, form.filters())


def timeline_chart(insights: Insights) -> object:
    measures = [
        Measure("newcomers", _("New participants"), _("New"), "ideas"),
        Measure("returning", _("Returning participants"), _("Returning"), "supports"),
    ]
    # A day of fewer than five people is drawn as none; the table says "fewer than 5".
    timeline = [
        {"day": day["day"], "newcomers": day["newcomers"] or 0, "returning": day["returning"] or 0}
        for day in insights.timeline
    ]
    return participation_chart(timeline, measures)


@login_required
@require_GET
def space_insights_page(request: HttpRequest, space_slug: str) -> HttpResponse:
    """Show the space's owners and moderators who took part, how much and how they were
    answered, across every activity, from the rollups."""
    access = access_insights(request, space_slug)
    form, insights = read_filters(request, access)
    rollup = Rollup.objects.filter(space=access.space).first()
    context = {
        "access": access,
        "space": access.space,
        "form": form,
        "insights": insights,
        "rollup": rollup,
        "counting": rollup is not None
        and rollup.requested_at is not None
        and (rollup.computed_at is None or rollup.requested_at > rollup.computed_at),
        "chart": timeline_chart(insights) if insights else None,
        "floor": PRIVACY_FLOOR,
        "hours_per_staff_year": HOURS_PER_STAFF_YEAR,
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/space.html", context, status=200 if insights else 400)


def refused_export(request: HttpRequest, access: SpaceAccess, form: FiltersForm) -> HttpResponse:
    return render(
        request,
        "insights/space.html",
        {"access": access, "space": access.space, "form": form, "insights": None},
        status=400,
    )


@login_required
@require_GET
def insights_csv(request: HttpRequest, space_slug: str) -> HttpResponse:
    access = access_insights(request, space_slug)
    form, insights = read_filters(request, access)
    if insights is None:
        return refused_export(request, access, form)
    filename = dated_filename(access.space.slug, "insights", "csv")
    return csv_download(csv_rows(insights), CSV_FIELDS, filename)


@login_required
@require_GET
def insights_json(request: HttpRequest, space_slug: str) -> HttpResponse:
    access = access_insights(request, space_slug)
    form, insights = read_filters(request, access)
    if insights is None:
        return refused_export(request, access, form)
    filename = dated_filename(access.space.slug, "insights", "json")
    return json_download(json_payload(insights), filename)


@login_required
@require_POST
def refresh_insights(request: HttpRequest, space_slug: str) -> HttpResponse:
    access = access_insights(request, space_slug)
    try:
        do_request_count(access.space)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The figures are being counted. Reload in a minute."))
    return redirect("insights:space", space_slug=access.space.slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit_minutes(request: HttpRequest, space_slug: str) -> HttpResponse:
    """Let owners and moderators set the minutes one contribution of each kind takes."""
    access = access_insights(request, space_slug)
    minutes = minutes_of(access.space)
    form = MinutesForm(request.POST or None, minutes=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_minutes(signed_in_user(request), access.space, form.minutes())
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The minutes are saved; the page counts with them now."))
            return redirect(reverse("insights:space", args=[access.space.slug]) + "#time-given")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "insights/minutes.html",
        {"access": access, "space": access.space, "form": form},
        status=status,
    )
