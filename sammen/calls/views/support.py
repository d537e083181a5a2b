"""Supporting ideas: one click for members, a one-time email link, or once per browser."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.actions import do_verify_participant_email
from sammen.accounts.email_links import EmailLinkPurpose, read_email_link, send_email_link
from sammen.accounts.participants import participant_for, remember_participant
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest
from sammen.core.ratelimit import allow, client_ip

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

ANONYMOUS_SUPPORTS_PER_HOUR = 60
NEW_PARTICIPANTS_PER_IP_PER_HOUR = 30
# The link carries the idea's id ("i") beside the address; valid three days, at most
# ten an hour from one network and three to one address.
SUPPORT_LINK = EmailLinkPurpose(
    salt="sammen.calls.support-email",
    bucket="call-support-email",
    url_name="calls:confirm_support",
    subject=gettext_lazy("Confirm your support for an idea"),
    template="calls/email/confirm_support.txt",
    payload_keys=("i",),
)


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
    request: HtmxHttpRequest, access: CallAccess, idea: Idea, supported: bool, announcement: str
) -> HttpResponse:
    """Render the support box again, with what changed for screen readers to announce."""
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
            "announcement": announcement,
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
    try:
        participant, created = participant_for(
            request,
            access.participant,
            bucket="call-new-participant",
            per_hour=NEW_PARTICIPANTS_PER_IP_PER_HOUR,
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(idea)
    if participant.user_id is None and not allow(
        f"call-anonymous-support:{client_ip(request)}", ANONYMOUS_SUPPORTS_PER_HOUR, 3600
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
    done = _("Thank you for your support!") if wants_support else _("Your support is withdrawn.")
    # The actions left the idea's count and status as they committed them.
    if request.htmx:
        response = render_support(request, access, idea, wants_support, done)
    else:
        messages.success(request, done)
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
        try:
            send_email_link(
                request,
                SUPPORT_LINK,
                form.cleaned_data["email"],
                url_args=(space_slug, activity_slug),
                payload={"i": idea.pk},
                context={"idea": idea, "space": access.call.activity.space},
            )
        except ActionRefused as refusal:
            form.add_error("email", refusal.message)
        else:
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
        link = read_email_link(SUPPORT_LINK, token)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(access.call.activity)
    idea = access_idea(access, link.payload["i"])
    email = link.email
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
