from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sammen.core.errors import ActionRefused
from sammen.core.exports import dated_filename, json_download

from . import hooks
from .actions import do_delete_account, do_update_profile
from .forms import DeleteAccountForm, ProfileForm
from .models import User
from .queries import personal_data_of


def signed_in_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "email_notifications": user.email_notifications,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        do_update_profile(
            user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            avatar=form.cleaned_data["avatar"],
            remove_avatar=form.cleaned_data["remove_avatar"],
            email_notifications=form.cleaned_data["email_notifications"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile_user": user})


@login_required
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return json_download(personal_data_of(user), dated_filename("sammen", "my-data", "json"))


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    blockers = [reason for blocker in hooks.deletion_blockers for reason in blocker(user)]
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and not blockers:
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            messages.error(request, _("Too many attempts. Wait a few minutes and try again."))
        elif form.is_valid():
            try:
                do_delete_account(user)
            except ActionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                logout(request)
                messages.success(request, _("Your account is deleted. Thank you for taking part."))
                return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "blockers": blockers})
