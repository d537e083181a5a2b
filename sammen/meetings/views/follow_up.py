"""The follow-up page an attendee opens from the one-time link in their email, weeks after
the meeting: their own planned action, and whether it happened. No account needed.

Opening the link answers nothing (mail scanners open links); sending the form does, once.
"""

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sammen.accounts.email_links import read_email_link
from sammen.core.errors import ActionRefused

from .. import actions
from ..actions.follow_ups import impact_objectives
from ..follow_up_mail import FOLLOW_UP_LINK, FOLLOW_UP_LINK_DAYS
from ..forms import FollowUpForm
from ..models import FollowUp, ImpactEstimate, Meeting, PlannedAction
from ..permissions import access_meeting
from .organiser import meeting_context

TOKEN_MAX_LENGTH = 500


class LinkRefused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def is_expired(token: str) -> bool:
    """Tell a link signed for follow-ups that has grown too old from a forged one."""
    try:
        signing.loads(token, salt=FOLLOW_UP_LINK.salt)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return True


def follow_up_from_link(meeting: Meeting, token: str) -> FollowUp:
    """Return the follow-up a link names, sent to the address it carries, in this meeting."""
    invalid = LinkRefused(
        _("This link is not valid. Open the link in our email as it is, without changing it."),
        404,
    )
    if len(token) > TOKEN_MAX_LENGTH:
        raise invalid
    try:
        opened = read_email_link(FOLLOW_UP_LINK, token)
    except ActionRefused:
        if is_expired(token):
            raise LinkRefused(
                _("This link has expired: the questions were open for %(days)s days.")
                % {"days": FOLLOW_UP_LINK_DAYS},
                410,
            ) from None
        raise invalid from None
    follow_up = (
        FollowUp.objects.filter(
            pk=opened.payload["f"], registration__meeting=meeting, sent_at__isnull=False
        )
        .select_related("registration")
        .first()
    )
    if follow_up is None or follow_up.registration.email.strip().lower() != opened.email:
        raise invalid
    follow_up.registration.meeting = meeting
    return follow_up


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Ask whether the planned action happened, how often, what helped and what hindered,
    and the meeting's share in each business measure; once."""
    access = access_meeting(request, space_slug, activity_slug)
    try:
        found = follow_up_from_link(access.meeting, token)
    except LinkRefused as refusal:
        return render(
            request,
            "meetings/follow_up_closed.html",
            {**meeting_context(access), "message": refusal.message},
            status=refusal.status,
        )
    if found.answered_at is not None:
        return render(
            request, "meetings/follow_up_done.html", {**meeting_context(access), "follow_up": found}
        )
    objectives = impact_objectives(access.meeting)
    # Their own estimates from another round: a new one replaces each, so the form says it.
    earlier = {
        estimate.objective_id: estimate
        for estimate in ImpactEstimate.objects.filter(
            registration=found.registration, objective__in=objectives
        )
    }
    form = FollowUpForm(request.POST or None, objectives=objectives, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_answer_follow_up(found, form.to_input())
        except ActionRefused as refusal:
            found.refresh_from_db(fields=["answered_at"])
            if found.answered_at is not None:  # answered in another tab meanwhile
                return redirect(request.path)
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            return redirect(request.path)
    return render(
        request,
        "meetings/follow_up.html",
        {
            **meeting_context(access),
            "follow_up": found,
            "planned": PlannedAction.objects.filter(registration=found.registration).first(),
            "form": form,
            "objectives": objectives,
        },
    )
