"""Supporting ideas: one click for members, a one-time email link, or once per browser."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.actions import do_create_anonymous_participant, do_verify_participant_email
from sammen.accounts.participants import remember_participant
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest
from sammen.core.ratelimit import allow, client_ip
from sammen.core.tasks import send_email

from .. import actions
from ..forms import SupportEmailForm
from ..models import Idea, Supporters
from ..permissions import (
    CallAccess,
    access_call,
    access_idea,
    can_support,
    needs_email_verification,
)

EMAIL_TOKEN_SALT = "sammen.calls.support-email"  # noqa: S105 - a namespace, not a secret
EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
ANONYMOUS_SUPPORTS_PER_HOUR = 60
NEW_PARTICIPANTS_PER_IP_PER_HOUR = 30
EMAILS_PER_IP_PER_HOUR = 10


def support_refusal(access: CallAccess) -> str:
    """Explain, in the visitor's terms, why they cannot support here."""
    if access.is_blocked:
        return _("You cannot take part in this space.")
    if not access.call.accepts_support:
        return _("Support for this call has closed.")
    if access.call.supporters == Supporters.MEMBERS:
        if access.participant is None or access.participant.user_id is None:
            return _("Sign in and join the space to support ideas.")
        return _("Join the space to support ideas.")
    return _("This idea no longer takes support.")


def render_support(
    request: HtmxHttpRequest, access: CallAccess, idea: Idea, supported: bool
) -> HttpResponse:
    return render(
        request,
        "calls/_support.html",
        {
            "idea": idea,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "supported": supported,
            "can_support": can_support(access, idea),
            "needs_email": needs_email_verification(access),
        },
    )


@require_POST
@vary_on_headers("HX-Request")
def support_idea(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    """Add or take back one's support. Doing it twice changes nothing."""
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    wants_support = request.POST.get("support", "1") == "1"
    if not can_support(access, idea):
        messages.error(request, support_refusal(access))
        return redirect(idea)
    if needs_email_verification(access):
        return redirect("calls:support_email", space_slug, activity_slug, idea.pk)
    participant, created = access.participant, False
    ip = client_ip(request)
    if participant is None:
        if not allow(f"call-new-participant:{ip}", NEW_PARTICIPANTS_PER_IP_PER_HOUR, 3600):
            messages.error(request, _("Too many new visitors from your network. Try again later."))
            return redirect(idea)
        participant, created = do_create_anonymous_participant(), True
    if participant.user_id is None and not allow(
        f"call-anonymous-support:{ip}", ANONYMOUS_SUPPORTS_PER_HOUR, 3600
    ):
        messages.error(request, _("That was a lot of support in a short time. Try again later."))
        return redirect(idea)
    try:
        if wants_support:
            actions.do_support_idea(participant, idea)
        else:
            actions.do_unsupport_idea(participant, idea)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(idea)
    # The actions left the idea's count and status as they committed them.
    if request.htmx:
        response = render_support(request, access, idea, wants_support)
    else:
        messages.success(
            request,
            _("Thank you for your support!") if wants_support else _("Your support is withdrawn."),
        )
        response = redirect(idea)
    if created:
        remember_participant(response, participant)
    return response


@require_http_methods(["GET", "POST"])
def support_email(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    """Ask for an email address and send the one-time link that confirms a support."""
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if access.call.supporters != Supporters.VERIFIED_EMAIL:
        return redirect(idea)
    form = SupportEmailForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not allow(
            f"call-support-email-from:{client_ip(request)}", EMAILS_PER_IP_PER_HOUR, 3600
        ) or not allow(f"call-support-email-to:{email}", 3, 3600):
            form.add_error(
                "email", _("We sent several links already. Check your inbox, or try later.")
            )
        else:
            token = signing.dumps({"e": email, "i": idea.pk}, salt=EMAIL_TOKEN_SALT)
            link = request.build_absolute_uri(
                reverse("calls:confirm_support", args=[space_slug, activity_slug, token])
            )
            context = {"idea": idea, "link": link, "space": access.call.activity.space}
            send_email.enqueue(
                _("Confirm your support for an idea"),
                render_to_string("calls/email/confirm_support.txt", context, request=request),
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            sent = True
    return render(
        request,
        "calls/support_email.html",
        {
            "form": form,
            "sent": sent,
            "idea": idea,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "access": access.space_access,
        },
    )


@require_http_methods(["GET", "POST"])
def confirm_support(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Confirm a support from the emailed link. A click (POST) confirms, not the mere visit,
    so mail scanners that open links do not support on anyone's behalf."""
    access = access_call(request, space_slug, activity_slug)
    try:
        data = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=EMAIL_TOKEN_MAX_AGE)
        idea = access_idea(access, int(data["i"]))
        email = str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(request, _("This link is not valid or has expired. Ask for a new one."))
        return redirect(access.call.activity)
    if request.method == "POST":
        participant = do_verify_participant_email(access.participant, email)
        try:
            actions.do_support_idea(participant, idea)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your email address is confirmed and your support counts."))
        response = redirect(idea)
        if participant.user_id is None:
            remember_participant(response, participant)
        return response
    return render(
        request,
        "calls/support_confirm.html",
        {
            "idea": idea,
            "email": email,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "access": access.space_access,
        },
    )
