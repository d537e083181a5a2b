from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sammen.accounts.participants import participant_of
from sammen.accounts.views import signed_in_user
from sammen.activities.models import Activity, Phase
from sammen.activities.permissions import can_view_activity
from sammen.core.errors import ActionRefused
from sammen.core.qr import qr_svg
from sammen.core.ratelimit import allow, client_ip
from sammen.spaces.models import Role, Space
from sammen.spaces.permissions import access_space, can_view_space, space_access_for

from .actions import (
    do_answer_invitation,
    do_invite_ambassador,
    do_record_visit,
    do_withdraw_ambassador,
)
from .attribution import new_visitor, remember_visitor, visitor_from
from .forms import InviteAmbassadorForm
from .models import ATTRIBUTION_DAYS, Ambassador
from .permissions import access_ambassador, access_own_ambassadorship, ambassador_by_token
from .queries import (
    Link,
    ambassadors_of,
    figures_of_ambassador,
    members_to_invite,
    open_activities,
)

# Opening links from one network counts at most this many visits an hour; past it, the
# link still works but counts nothing (a script refreshing a link inflates no figure).
VISITS_PER_HOUR = 60


def render_ambassadors(
    request: HttpRequest, space: Space, form: InviteAmbassadorForm | None = None
) -> HttpResponse:
    access = access_space(request.user, space.slug, min_role=Role.OWNER)
    if form is None:
        form = InviteAmbassadorForm(members=members_to_invite(space))
    return render(
        request,
        "ambassadors/ambassadors.html",
        {
            "access": access,
            "space": space,
            "rows": ambassadors_of(space),
            "form": form,
            "attribution_days": ATTRIBUTION_DAYS,
        },
    )


@login_required
@require_GET
def ambassadors(request: HttpRequest, space_slug: str) -> HttpResponse:
    """The owners' page: invite members, see what each ambassador's links brought, withdraw."""
    access = access_space(request.user, space_slug, min_role=Role.OWNER)
    return render_ambassadors(request, access.space)


@login_required
@require_POST
def invite_ambassador(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    form = InviteAmbassadorForm(request.POST, members=members_to_invite(access.space))
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            do_invite_ambassador(user, access.space, member)
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(name)s is invited to be an ambassador, and told about it.")
                % {"name": member.display_name},
            )
            return redirect("ambassadors:list", space_slug=access.space.slug)
    return render_ambassadors(request, access.space, form)


@login_required
@require_POST
def withdraw_ambassador(request: HttpRequest, space_slug: str, ambassador_id: int) -> HttpResponse:
    user = signed_in_user(request)
    ambassador = access_ambassador(user, space_slug, ambassador_id)
    try:
        do_withdraw_ambassador(user, ambassador)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer an ambassador.") % {"name": ambassador.user.display_name},
        )
    return redirect("ambassadors:list", space_slug=ambassador.space.slug)


def links_of(request: HttpRequest, ambassador: Ambassador) -> list[Link]:
    links = []
    for activity in open_activities(ambassador.space):
        url = request.build_absolute_uri(
            reverse("ambassadors:link", args=[ambassador.token, activity.slug])
        )
        label = _("QR code of your link to %(activity)s") % {"activity": activity.title}
        links.append(Link(activity, url, qr_svg(url, label=label, svgclass="ambassador-link__qr")))
    return links


@login_required
@require_GET
def my_links(request: HttpRequest, space_slug: str) -> HttpResponse:
    """An ambassador's own page: the invitation to answer, or their links, QR codes and figures."""
    user = signed_in_user(request)
    access, ambassador = access_own_ambassadorship(user, space_slug)
    return render(
        request,
        "ambassadors/mine.html",
        {
            "access": access,
            "space": access.space,
            "ambassador": ambassador,
            "links": links_of(request, ambassador) if ambassador.is_active else [],
            "space_link": request.build_absolute_uri(
                reverse("ambassadors:space_link", args=[ambassador.token])
            ),
            "figures": figures_of_ambassador(ambassador),
            "attribution_days": ATTRIBUTION_DAYS,
        },
    )


@login_required
@require_POST
def answer_invitation(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access, ambassador = access_own_ambassadorship(user, space_slug)
    answer = request.POST.get("answer", "")
    if answer not in {"accept", "decline"}:
        messages.error(request, _("Accept or decline the invitation."))
        return redirect("ambassadors:mine", space_slug=access.space.slug)
    try:
        do_answer_invitation(user, ambassador, accept=answer == "accept")
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if answer == "accept":
            messages.success(request, _("Welcome, ambassador! Your links are below."))
        else:
            messages.success(request, _("The invitation is declined. Thank you for answering."))
    return redirect("ambassadors:mine", space_slug=access.space.slug)


def follow(request: HttpRequest, ambassador: Ambassador, activity: Activity | None) -> HttpResponse:
    """Send the visitor on, counting the visit and keeping the first link they came by."""
    space = ambassador.space
    space_access = space_access_for(request.user, space)
    if not can_view_space(space, space_access.role):
        raise Http404
    if activity is None:
        activity = open_activities(space).order_by("-opened_at", "-pk").first()
        destination = space.get_absolute_url()
    else:
        destination = activity.get_absolute_url()
    response = redirect(destination)
    if activity is None or not ambassador.is_active:
        return response
    visitor = visitor_from(request)
    fresh = visitor is None
    if visitor is None:
        visitor = new_visitor()
    counted = allow(f"ambassador-visit:{client_ip(request)}", VISITS_PER_HOUR, 3600)
    if counted or not fresh:
        do_record_visit(
            ambassador, activity, visitor.key, participant_of(request), count_visit=counted
        )
        if fresh:
            remember_visitor(response, visitor)
    return response


@never_cache
@require_GET
def space_link(request: HttpRequest, token: str) -> HttpResponse:
    """An ambassador's link to the space itself, counted for the newest open activity."""
    return follow(request, ambassador_by_token(token), None)


@never_cache
@require_GET
def activity_link(request: HttpRequest, token: str, activity_slug: str) -> HttpResponse:
    """An ambassador's link to one activity: count the visit, then show the activity."""
    ambassador = ambassador_by_token(token)
    activity = (
        Activity.objects.select_related("space")
        .filter(space=ambassador.space, slug=activity_slug[:100])
        .first()
    )
    space_access = space_access_for(request.user, ambassador.space)
    if activity is None or not can_view_activity(activity, space_access):
        raise Http404
    if activity.phase == Phase.DRAFT:
        raise Http404
    return follow(request, ambassador, activity)
