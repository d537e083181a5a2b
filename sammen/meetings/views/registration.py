"""Pages people register with: register, confirm by the emailed link, see their
registration with its QR code, send the link again, and cancel."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.email_links import EmailLinkPurpose, read_email_link, send_email_link
from sammen.accounts.participants import (
    has_verified_email,
    participant_for,
    remember_participant,
)
from sammen.core.errors import ActionRefused
from sammen.core.qr import qr_svg
from sammen.core.ratelimit import allow, client_ip

from .. import actions
from ..attendees import places_left, registration_from_ticket, waiting_place
from ..forms import RegistrationForm
from ..models import Registration, RegistrationState
from ..permissions import MeetingAccess, access_meeting, registration_refusal
from ..tasks import ticket_url
from .organiser import meeting_context, refuse

REGISTRATIONS_PER_IP_PER_HOUR = 30
NEW_PARTICIPANTS_PER_IP_PER_HOUR = 30
# Valid three days; at most ten an hour from one network and three to one address.
REGISTRATION_LINK = EmailLinkPurpose(
    salt="sammen.meetings.registration",
    bucket="meeting-registration",
    url_name="meetings:confirm_registration",
    subject=gettext_lazy("Confirm your registration"),
    template="meetings/email/confirm.txt",
    payload_keys=("r",),
)


def placed_message(registration: Registration) -> str:
    """Say where a confirmed registration stands: a place, or one on the waiting list."""
    if registration.state == RegistrationState.WAITING:
        return _("You're on the waiting list (number %(place)s).") % {
            "place": waiting_place(registration)
        }
    return _("You're registered.")


def send_confirmation_link(
    request: HttpRequest, access: MeetingAccess, registration: Registration
) -> None:
    send_email_link(
        request,
        REGISTRATION_LINK,
        registration.email,
        url_args=(access.space.slug, access.activity.slug),
        payload={"r": registration.pk},
        context={"activity": access.activity, "space": access.space},
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Register with an account (at once) or with a name and an address to confirm."""
    access = access_meeting(request, space_slug, activity_slug)
    current = access.registration
    if current is not None and current.state != RegistrationState.CANCELLED:
        current.meeting = access.meeting
        messages.info(request, _("You have registered for this meeting already."))
        return redirect(ticket_url(current))
    refusal = registration_refusal(access)
    user = access.user
    form = RegistrationForm(
        request.POST or None,
        with_email=user is None,
        initial={"name": user.display_name if user else (current.name if current else "")},
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            return register_and_answer(request, access, form.cleaned_data)
        except ActionRefused as refused:
            refuse(form, refused)
    return render(
        request,
        "meetings/register.html",
        {
            **meeting_context(access),
            "form": form,
            "refusal": refusal,
            "places_left": places_left(access.meeting),
        },
        status=403 if refusal and request.method == "POST" else 200,
    )


def register_and_answer(
    request: HttpRequest, access: MeetingAccess, data: dict[str, str]
) -> HttpResponse:
    """Register the visitor; send the link where their address is not proved yet.

    Visitors without an account are counted per network: each of their registrations
    may make a participant and send an email. People with an account hold one place
    per meeting each, so a whole office behind one address can register.
    """
    if access.user is None and not allow(
        f"meeting-register:{client_ip(request)}", REGISTRATIONS_PER_IP_PER_HOUR, 3600
    ):
        raise ActionRefused(_("Many people registered from your network. Try again later."))
    participant, is_new = participant_for(
        request,
        access.participant,
        bucket="meeting-new-participant",
        per_hour=NEW_PARTICIPANTS_PER_IP_PER_HOUR,
    )
    if access.user is not None:
        email = access.user.email.lower()
        confirmed = has_verified_email(participant)
    else:
        email = data["email"]
        confirmed = participant.verified_emails.filter(email=email).exists()
    registration = actions.do_register(
        access.meeting, participant, name=data["name"], email=email, confirmed=confirmed
    )
    if confirmed:
        messages.success(request, placed_message(registration))
    else:
        try:
            send_confirmation_link(request, access, registration)
        except ActionRefused as refused:
            messages.warning(request, refused.message)
        else:
            messages.success(
                request,
                _("Almost done: open the link we sent to %(email)s to confirm.") % {"email": email},
            )
    response = redirect(ticket_url(registration))
    if is_new:
        remember_participant(response, participant)
    return response


@require_http_methods(["GET", "POST"])
def confirm_registration(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Confirm a registration from the emailed link. A click (POST) confirms, not the visit,
    so mail scanners that open links confirm no one."""
    access = access_meeting(request, space_slug, activity_slug)
    try:
        opened = read_email_link(REGISTRATION_LINK, token)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect(access.activity)
    registration = Registration.objects.filter(
        meeting=access.meeting, pk=opened.payload["r"], email=opened.email
    ).first()
    if registration is None:
        messages.error(request, _("This link is not valid or has expired. Ask for a new one."))
        return redirect(access.activity)
    registration.meeting = access.meeting
    if registration.state == RegistrationState.CANCELLED:
        messages.error(request, _("This registration was cancelled. Register again if you like."))
        return redirect(access.activity)
    if registration.state != RegistrationState.UNCONFIRMED:
        messages.info(request, _("This link was used already: your registration is confirmed."))
        return redirect(ticket_url(registration))
    if request.method == "POST":
        registration, changed = actions.do_confirm_registration_by_email(registration, opened.email)
        registration.meeting = access.meeting
        if changed:
            messages.success(request, placed_message(registration))
        else:
            messages.info(request, _("This address is registered for this meeting already."))
        response = redirect(ticket_url(registration))
        if registration.participant.user_id is None:
            remember_participant(response, registration.participant)
        return response
    return render(
        request,
        "meetings/confirm_registration.html",
        {**meeting_context(access), "email": opened.email},
    )


@require_GET
def your_registration(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Open the viewer's own registration of this meeting."""
    access = access_meeting(request, space_slug, activity_slug)
    registration = access.registration
    if registration is None or registration.state == RegistrationState.CANCELLED:
        messages.info(request, _("You have not registered for this meeting."))
        return redirect(access.activity)
    registration.meeting = access.meeting
    return redirect(ticket_url(registration))


def registration_qr(registration: Registration) -> str:
    """Return the registration's code as an SVG QR code, labelled for screen readers."""
    return qr_svg(
        registration.code,
        label=_("QR code of your registration, to show at the door"),
        svgclass="ticket__qr",
    )


def can_cancel(registration: Registration) -> bool:
    meeting = registration.meeting
    return (
        registration.state != RegistrationState.CANCELLED
        and registration.checked_in_at is None
        and (meeting.starts_at is None or meeting.starts_at > timezone.now())
    )


@never_cache
@require_GET
def ticket(request: HttpRequest, space_slug: str, activity_slug: str, token: str) -> HttpResponse:
    """One registration, from the link in its emails or the viewer's own: where it stands,
    the QR code for the door, the calendar, and cancelling."""
    access = access_meeting(request, space_slug, activity_slug)
    registration = registration_from_ticket(access.meeting, token)
    return render(
        request,
        "meetings/ticket.html",
        {
            **meeting_context(access),
            "registration": registration,
            "token": token,
            "place": waiting_place(registration),
            "qr": registration_qr(registration) if registration.is_confirmed else "",
            "can_cancel": can_cancel(registration),
        },
    )


@require_POST
def resend_confirmation(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Send the confirmation link of an unconfirmed registration again."""
    access = access_meeting(request, space_slug, activity_slug)
    registration = registration_from_ticket(access.meeting, token)
    if registration.state == RegistrationState.UNCONFIRMED:
        try:
            send_confirmation_link(request, access, registration)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("We sent the link again to %(email)s.") % {"email": registration.email}
            )
    return redirect(ticket_url(registration))


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_registration(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Ask, then cancel: the place goes to the first on the waiting list."""
    access = access_meeting(request, space_slug, activity_slug)
    registration = registration_from_ticket(access.meeting, token)
    if not can_cancel(registration):
        if registration.state == RegistrationState.CANCELLED:
            messages.info(request, _("This registration is cancelled already."))
        else:
            messages.error(request, _("The meeting has begun: a registration stays as it is."))
        return redirect(ticket_url(registration))
    if request.method == "POST":
        actions.do_cancel_registration(registration)
        messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
        return redirect(access.activity)
    return render(
        request,
        "meetings/cancel_registration.html",
        {**meeting_context(access), "registration": registration, "token": token},
    )
