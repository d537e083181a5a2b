import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sammen.accounts.participants import participant_of
from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Role
from sammen.spaces.permissions import access_space

from .actions import do_award_badge, do_revoke_badge
from .forms import BadgeForm
from .permissions import access_badge, access_person
from .queries import Profile, profile_of


def render_profile(
    request: HttpRequest, profile: Profile, badge_form: BadgeForm | None = None
) -> HttpResponse:
    if badge_form is None and profile.spaces_to_thank_in:
        badge_form = BadgeForm(spaces=profile.spaces_to_thank_in)
    return render(
        request,
        "recognition/profile.html",
        {"person": profile.person, "profile": profile, "badge_form": badge_form},
    )


@require_GET
def person_profile(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Show what a person contributed and how it was answered, as far as the viewer may see."""
    profile = profile_of(
        access_person(public_id),
        request.user,
        participant_of(request),
        page_number=request.GET.get("page"),
    )
    return render_profile(request, profile)


@login_required
@require_POST
def award_badge(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    person = access_person(public_id)
    access = access_space(user, request.POST.get("space", ""), min_role=Role.OWNER)
    profile = profile_of(person, user, participant_of(request))
    form = BadgeForm(request.POST, spaces=profile.spaces_to_thank_in)
    if form.is_valid():
        try:
            do_award_badge(
                user, access.space, person, form.cleaned_data["name"], form.cleaned_data["note"]
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(name)s is thanked, and told about it.") % {"name": person.public_name},
            )
            return redirect("recognition:profile", public_id=person.public_id)
    return render_profile(request, profile, form)


@login_required
@require_POST
def revoke_badge(request: HttpRequest, public_id: uuid.UUID, badge_id: int) -> HttpResponse:
    user = signed_in_user(request)
    badge = access_badge(user, access_person(public_id), badge_id)
    try:
        do_revoke_badge(user, badge)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The badge is taken back."))
    return redirect("recognition:profile", public_id=public_id)
