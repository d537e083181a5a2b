"""Reporting what breaks a space's rules, and the page where its organisers act on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.spaces import actions as space_actions
from sammen.spaces.permissions import SpaceAccess

from . import actions
from .forms import BlockForm, HideForm, ReportForm
from .permissions import (
    access_block,
    access_membership_to_block,
    access_moderation,
    access_report,
    can_report,
)
from .queries import QUEUE_LIMIT, ModeratedItem, blocks_in, open_reports, recently_hidden
from .registry import HIDE_REASON_MAX_LENGTH, reportable_named


@login_required
@require_http_methods(["GET", "POST"])
def report(
    request: HttpRequest, space_slug: str, activity_slug: str, kind: str, target_id: int
) -> HttpResponse:
    """Show the report form for something shown in an activity, and send the report."""
    user = signed_in_user(request)
    place = reportable_named(kind).access_for_report(request, space_slug, activity_slug, target_id)
    access, target = place.access, place.target
    if not can_report(user, target):
        raise PermissionDenied
    space = access.activity.space
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_report(
                user, space, target, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Thank you. The moderators of this space will look at it."))
            return redirect(place.back_url)
    return render(
        request,
        "moderation/report.html",
        {
            "access": access.space_access,
            "space": space,
            "activity": access.activity,
            "item": ModeratedItem(target=target, space=space),
            "place": place,
            "form": form,
            "can_moderate": access.can_manage,
            "hide_form": HideForm(auto_id="hide_%s"),
        },
    )


@login_required
@require_GET
def queue(request: HttpRequest, space_slug: str) -> HttpResponse:
    """Show the space's organisers what was reported, what is hidden, and who is blocked."""
    access = access_moderation(signed_in_user(request), space_slug)
    reported, more = open_reports(access.space)
    return render(
        request,
        "moderation/queue.html",
        {
            "access": access,
            "space": access.space,
            "reported": reported,
            "more_reports": more,
            "queue_limit": QUEUE_LIMIT,
            "hidden": recently_hidden(access.space),
            "blocks": blocks_in(access.space),
            "hide_reason_max_length": HIDE_REASON_MAX_LENGTH,
        },
    )


def back_to_queue(access: SpaceAccess, anchor: str = "") -> HttpResponse:
    url = reverse("moderation:queue", kwargs={"space_slug": access.space.slug})
    return redirect(f"{url}{anchor}")


@login_required
@require_POST
def hide(request: HttpRequest, space_slug: str, kind: str, target_id: int) -> HttpResponse:
    """Hide something reported from the queue, with the reason its author sees."""
    user = signed_in_user(request)
    access = access_moderation(user, space_slug)
    target = reportable_named(kind).access_for_moderator(access, target_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return back_to_queue(access)
    try:
        actions.do_hide(user, target, form.cleaned_data["reason"])
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("It is hidden. Its author still sees it, with your reason."))
    return back_to_queue(access, "#hidden")


@login_required
@require_POST
def restore(request: HttpRequest, space_slug: str, kind: str, target_id: int) -> HttpResponse:
    """Show something hidden again."""
    user = signed_in_user(request)
    access = access_moderation(user, space_slug)
    target = reportable_named(kind).access_for_moderator(access, target_id)
    try:
        actions.do_restore(user, target)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("It is shown again, where it was."))
    return back_to_queue(access)


@login_required
@require_POST
def dismiss_report(request: HttpRequest, space_slug: str, report_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access = access_moderation(user, space_slug)
    try:
        actions.do_dismiss_report(user, access_report(access, report_id))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The report is dismissed. What it is about stays as it is."))
    return back_to_queue(access)


@login_required
@require_http_methods(["GET", "POST"])
def block_member(request: HttpRequest, space_slug: str, membership_id: int) -> HttpResponse:
    """Ask why, then bar a member from the space."""
    user = signed_in_user(request)
    access = access_moderation(user, space_slug)
    membership = access_membership_to_block(access, user, membership_id)
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            space_actions.do_block_member(
                user, access.space, membership.user, form.cleaned_data["reason"]
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(name)s is blocked from this space.") % {"name": membership.user.display_name},
            )
            return back_to_queue(access, "#blocked")
    return render(
        request,
        "moderation/block_form.html",
        {"access": access, "space": access.space, "membership": membership, "form": form},
    )


@login_required
@require_POST
def unblock_member(request: HttpRequest, space_slug: str, block_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access = access_moderation(user, space_slug)
    block = access_block(access, block_id)
    space_actions.do_unblock_member(user, block)
    messages.success(
        request,
        _("%(name)s is no longer blocked and may join again.") % {"name": block.user.display_name},
    )
    return back_to_queue(access, "#blocked")
