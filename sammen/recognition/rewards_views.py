"""Rewards, the people who carry a space, and personal thank-you notes."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sammen.accounts.views import signed_in_user
from sammen.activities.models import Activity, Phase
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Role
from sammen.spaces.permissions import SpaceAccess, access_space

from .actions import do_grant_reward, do_send_thank_you, do_state_reward
from .forms import GrantRewardForm, RewardForm, ThankYouForm
from .permissions import access_person
from .queries import people_who_carry, person_in_space, rewards_of, thank_yous_to


def render_rewards(
    request: HttpRequest, access: SpaceAccess, form: RewardForm | None = None
) -> HttpResponse:
    activities = Activity.objects.filter(space=access.space).exclude(phase=Phase.DRAFT)
    return render(
        request,
        "recognition/rewards.html",
        {
            "access": access,
            "space": access.space,
            "rewards": rewards_of(access.space),
            "people": people_who_carry(access.space),
            "form": form or RewardForm(activities=activities),
        },
    )


@login_required
@require_GET
def rewards(request: HttpRequest, space_slug: str) -> HttpResponse:
    """The owners' page: the rewards the space states, and the people who carry it."""
    return render_rewards(request, access_space(request.user, space_slug, min_role=Role.OWNER))


@login_required
@require_POST
def state_reward(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    activities = Activity.objects.filter(space=access.space).exclude(phase=Phase.DRAFT)
    form = RewardForm(request.POST, activities=activities)
    if form.is_valid():
        try:
            do_state_reward(
                user,
                access.space,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                activity=form.cleaned_data["activity"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The reward is stated."))
            return redirect("recognition:rewards", space_slug=access.space.slug)
    return render_rewards(request, access, form)


def render_person(
    request: HttpRequest,
    access: SpaceAccess,
    public_id: uuid.UUID,
    *,
    grant_form: GrantRewardForm | None = None,
    thank_form: ThankYouForm | None = None,
) -> HttpResponse:
    person = access_person(public_id)
    if grant_form is None and access.is_owner:
        grant_form = GrantRewardForm(rewards=rewards_of(access.space))
    return render(
        request,
        "recognition/person_in_space.html",
        {
            "access": access,
            "space": access.space,
            "person": person,
            "part": person_in_space(person, access.space),
            "grant_form": grant_form,
            "thank_form": thank_form or ThankYouForm(),
        },
    )


@login_required
@require_GET
def person(request: HttpRequest, space_slug: str, public_id: uuid.UUID) -> HttpResponse:
    """What one person's part in the space came to, outcomes first; thank or reward them."""
    access = access_space(request.user, space_slug, min_role=Role.MODERATOR)
    return render_person(request, access, public_id)


@login_required
@require_POST
def grant_reward(request: HttpRequest, space_slug: str, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.OWNER)
    person = access_person(public_id)
    form = GrantRewardForm(request.POST, rewards=rewards_of(access.space))
    if form.is_valid():
        try:
            do_grant_reward(user, form.cleaned_data["reward"], person, form.cleaned_data["reason"])
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(name)s has the reward, and is told about it.") % {"name": person.public_name},
            )
            return redirect("recognition:person_in_space", access.space.slug, person.public_id)
    return render_person(request, access, public_id, grant_form=form)


@login_required
@require_POST
def send_thank_you(request: HttpRequest, space_slug: str, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    access = access_space(user, space_slug, min_role=Role.MODERATOR)
    person = access_person(public_id)
    # The recipient is the person of this address alone: the form has no field for another.
    form = ThankYouForm(request.POST)
    if form.is_valid():
        try:
            do_send_thank_you(user, access.space, person, form.cleaned_data["text"])
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request, _("Your note is on its way to %(name)s.") % {"name": person.public_name}
            )
            return redirect("recognition:person_in_space", access.space.slug, person.public_id)
    return render_person(request, access, public_id, thank_form=form)


@login_required
@require_GET
def my_thank_yous(request: HttpRequest) -> HttpResponse:
    """The personal notes organisers wrote to the signed-in person."""
    return render(
        request,
        "recognition/thank_yous.html",
        {"notes": thank_yous_to(signed_in_user(request))[:100]},
    )
