from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.models import User
from sammen.accounts.sso import signed_in_with, sso_provider, sso_providers
from sammen.accounts.views import signed_in_user
from sammen.activities.kinds import installed_kinds
from sammen.activities.permissions import can_create_activity
from sammen.activities.queries import activities_by_phase, recently_answered
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest

from . import actions
from .forms import (
    DeleteSpaceForm,
    InviteForm,
    NewSpaceForm,
    RoleForm,
    SingleSignOnForm,
    SpaceForm,
)
from .models import Invite, Membership, Role
from .permissions import SpaceAccess, access_space, can_invite, can_join, can_see_members
from .queries import member_count, members_of, memberships_of, spaces_in_directory


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Show the start page: what Sammen is, your spaces, and spaces to discover."""
    my_spaces = memberships_of(request.user)
    discover = spaces_in_directory(request.user).exclude(
        pk__in=[membership.space_id for membership in my_spaces]
    )[:12]
    return render(
        request,
        "spaces/home.html",
        # Only the kinds this site has installed: the page promises nothing else.
        {"my_spaces": my_spaces, "discover": discover, "kinds": installed_kinds()},
    )


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "spaces/directory.html", {"spaces": spaces_in_directory(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def create_space(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = NewSpaceForm(
        request.POST or None,
        request.FILES or None,
        initial={"default_language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            space = actions.do_create_space(
                user,
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                visibility=data["visibility"],
                default_language=data["default_language"],
                logo=data["logo"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request, _("Your space is ready. Start with an activity and its brief.")
            )
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form})


@require_GET
def space_home(request: HttpRequest, space_slug: str) -> HttpResponse:
    access = access_space(request.user, space_slug)
    return render(
        request,
        "spaces/space_home.html",
        {
            "access": access,
            "space": access.space,
            "member_count": member_count(access.space),
            "activities": activities_by_phase(access),
            "answered": recently_answered(access.space),
            "can_join": can_join(request.user, access),
            "can_create_activity": can_create_activity(access),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_space(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    space = access.space
    initial = {
        "name": space.name,
        "description": space.description,
        "visibility": space.visibility,
        "default_language": space.default_language,
    }
    form = SpaceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_update_space(
            user,
            space,
            name=data["name"],
            description=data["description"],
            visibility=data["visibility"],
            default_language=data["default_language"],
            logo=data["logo"],
            remove_logo=data["remove_logo"],
        )
        messages.success(request, _("The space's settings are saved."))
        return redirect("spaces:edit", space_slug=space.slug)
    return render(
        request,
        "spaces/space_form.html",
        {"form": form, "access": access, "space": space, **sso_context(user, access)},
    )


def sso_context(user: User, access: SpaceAccess, form: SingleSignOnForm | None = None) -> dict:
    """Return what the settings page's single sign-on section shows."""
    providers = sso_providers()
    space = access.space
    if form is None:
        form = SingleSignOnForm(providers=providers, initial={"provider": space.sso_provider})
    return {
        "sso_form": form if providers else None,
        "sso_signed_in_with": [p for p in providers if p.id in signed_in_with(user)],
        # A requirement whose provider the operator has since removed no longer applies.
        "sso_lapsed": bool(space.sso_provider) and sso_provider(space.sso_provider) is None,
    }


@login_required
@require_POST
def require_sso(request: HttpRequest, space_slug: str) -> HttpResponse:
    """Require (or stop requiring) single sign-on of the space's owners and moderators."""
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    form = SingleSignOnForm(request.POST, providers=sso_providers())
    if form.is_valid():
        provider_id = form.cleaned_data["provider"]
        try:
            actions.do_require_sso(user, access.space, provider_id)
        except ActionRefused as refusal:
            form.add_error("provider", refusal.message)
        else:
            if provider_id:
                messages.success(
                    request, _("Owners and moderators must now sign in with single sign-on.")
                )
            else:
                messages.success(request, _("Owners and moderators may sign in any way again."))
            return redirect("spaces:edit", space_slug=space_slug)
    space = access.space
    initial = {
        "name": space.name,
        "description": space.description,
        "visibility": space.visibility,
        "default_language": space.default_language,
    }
    return render(
        request,
        "spaces/space_form.html",
        {
            "form": SpaceForm(initial=initial),
            "access": access,
            "space": space,
            **sso_context(user, access, form),
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_space(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    form = DeleteSpaceForm(request.POST or None, space=access.space)
    if request.method == "POST" and form.is_valid():
        name = access.space.name
        actions.do_delete_space(user, access.space)
        messages.success(request, _("The space “%(name)s” is deleted.") % {"name": name})
        return redirect("home")
    return render(
        request, "spaces/delete.html", {"form": form, "access": access, "space": access.space}
    )


@login_required
@require_POST
def join_space(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug)
    try:
        actions.do_join_space(user, access.space)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Welcome! You are now a member of %(space)s.") % {"space": access.space.name}
        )
    return redirect(access.space)


@login_required
@require_POST
def leave_space(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug)
    try:
        actions.do_leave_space(user, access.space)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(access.space)
    messages.success(request, _("You left %(space)s.") % {"space": access.space.name})
    return redirect("home")


@login_required
@require_GET
def members(request: HttpRequest, space_slug: str) -> HttpResponse:
    access = access_space(request.user, space_slug, min_role=Role.MODERATOR)
    if not can_see_members(access):
        raise PermissionDenied
    return render(
        request,
        "spaces/members.html",
        {
            "access": access,
            "space": access.space,
            "memberships": members_of(access.space),
            "roles": Role.choices,
        },
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def change_role(request: HtmxHttpRequest, space_slug: str, membership_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "space"), pk=membership_id, space=access.space
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
    else:
        try:
            actions.do_change_role(user, membership, form.cleaned_data["role"])
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(name)s now has the role %(role)s.")
                % {"name": membership.user.display_name, "role": membership.get_role_display()},
            )
    if request.htmx:
        membership.refresh_from_db()
        return render(
            request,
            "spaces/members.html#member-row",
            {
                "access": access,
                "space": access.space,
                "membership": membership,
                "roles": Role.choices,
            },
        )
    return redirect("spaces:members", space_slug=access.space.slug)


@login_required
@require_POST
def remove_member(request: HttpRequest, space_slug: str, membership_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "space"), pk=membership_id, space=access.space
    )
    try:
        actions.do_remove_member(user, membership)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member.") % {"name": membership.user.display_name},
        )
    return redirect("spaces:members", space_slug=access.space.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invites(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.MODERATOR)
    form = InviteForm(
        request.POST or None, can_invite_moderators=can_invite(access, Role.MODERATOR)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_invite(access, data["role"]):
            raise PermissionDenied
        try:
            invite = actions.do_create_invite(
                user, access.space, role=data["role"], days=data["days"], max_uses=data["max_uses"]
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The invitation link is ready. Copy it and share it."))
            return redirect(f"{request.path}#invite-{invite.pk}")
    return render(
        request,
        "spaces/invites.html",
        {
            "access": access,
            "space": access.space,
            "form": form,
            "invites": Invite.objects.filter(space=access.space).select_related("created_by"),
        },
    )


@login_required
@require_POST
def revoke_invite(request: HttpRequest, space_slug: str, invite_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.MODERATOR)
    invite = get_object_or_404(Invite, pk=invite_id, space=access.space)
    if not can_invite(access, invite.role):
        raise PermissionDenied
    actions.do_revoke_invite(user, invite)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("spaces:invites", space_slug=access.space.slug)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation, and let a signed-in person accept it."""
    invitation = get_object_or_404(Invite.objects.select_related("space"), token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        user = signed_in_user(request)
        try:
            actions.do_accept_invite(user, invitation)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(space)s.") % {"space": invitation.space.name},
            )
            return redirect(invitation.space)
    already_member = (
        request.user.is_authenticated
        and Membership.objects.filter(space=invitation.space, user=request.user).exists()
    )
    return render(
        request,
        "spaces/invite.html",
        {"invite": invitation, "space": invitation.space, "already_member": already_member},
    )
