"""The two pages of taking part with a proven email address, for every kind that asks.

A kind's `verify_email` view asks for the address and sends its `EmailLinkPurpose`'s
link (`ask_for_email()`); its `confirm_email` view, the page the link opens, records the
address on a click (`confirm_email_link()`). The kind says what is at stake in its own
words, passes its page context (the activity, the space and the space header's `access`)
and where the visitor goes next.
"""

from collections.abc import Mapping

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused

from .actions import do_verify_participant_email
from .email_links import EmailLinkPurpose, read_email_link, send_email_link
from .forms import EmailLinkForm
from .models import Participant
from .participants import remember_participant


def ask_for_email(
    request: HttpRequest,
    purpose: EmailLinkPurpose,
    *,
    url_args: tuple[object, ...],
    page: Mapping[str, object],
    lead: str | Promise,
) -> HttpResponse:
    """Ask for an email address and send `purpose`'s one-time link to it; `lead` says why
    the organisers ask."""
    form = EmailLinkForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            send_email_link(request, purpose, form.cleaned_data["email"], url_args=url_args)
        except ActionRefused as refusal:
            form.add_error("email", refusal.message)
        else:
            sent = True
    return render(
        request,
        "accounts/verify_email.html",
        {**page, "form": form, "sent": sent, "lead": lead},
    )


def confirm_email_link(
    request: HttpRequest,
    purpose: EmailLinkPurpose,
    token: str,
    *,
    participant: Participant | None,
    page: Mapping[str, object],
    invitation: str | Promise,
    back_url: str,
    next_url: str,
) -> HttpResponse:
    """Confirm the address of `purpose`'s link for `participant` (or a new one). A click
    (POST) confirms, not the visit, so mail scanners that open links confirm for no one.

    `invitation` holds `%(email)s`; a link that is not valid leads to `back_url`, a
    confirmed address to `next_url`.
    """
    try:
        email = read_email_link(purpose, token).email
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(back_url)
    if request.method == "POST":
        participant = do_verify_participant_email(participant, email)
        messages.success(request, _("Your email address is confirmed. Welcome!"))
        response = redirect(next_url)
        if participant.user_id is None:
            remember_participant(response, participant)
        return response
    return render(
        request,
        "accounts/confirm_email.html",
        {**page, "email": email, "invitation": str(invitation) % {"email": email}},
    )
