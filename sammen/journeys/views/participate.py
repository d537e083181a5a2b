"""Pages participants use: rating the touchpoints one at a time, the closing questions,
proposing a missing touchpoint, and proving an email address."""

import dataclasses

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from sammen.accounts.email_link_pages import ask_for_email, confirm_email_link
from sammen.accounts.email_links import EmailLinkPurpose
from sammen.accounts.models import Participant
from sammen.accounts.participants import participant_for, remember_participant
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest
from sammen.core.ratelimit import allow, client_ip

from ..actions import do_answer_closing_questions, do_rate, do_skip
from ..actions.proposals import do_propose_touchpoint
from ..forms import ClosingForm, ProposalForm, RatingForm
from ..models import Audience, Touchpoint
from ..permissions import (
    JourneyAccess,
    access_journey,
    access_touchpoint,
    can_propose,
    rating_refusal,
)
from ..queries import own_ratings, rateable_touchpoints
from ..queries.participate import (
    asks_closing_questions,
    faces_by_score,
    map_for,
    own_respondent,
    place_in,
    proposals_after,
    rating_order,
)

NEW_PARTICIPANTS_PER_IP_PER_HOUR = 60
RATINGS_PER_PARTICIPANT_PER_MINUTE = 60
PROPOSALS_PER_IP_PER_DAY = 20
# Valid three days, at most ten an hour from one network and three to one address.
TAKE_PART_LINK = EmailLinkPurpose(
    salt="sammen.journeys.email",
    bucket="journey-email",
    url_name="journeys:confirm_email",
    subject=gettext_lazy("Confirm your email address to take part"),
    template="journeys/email/verify.txt",
)


def page_context(access: JourneyAccess) -> dict[str, object]:
    return {
        "access": access.space_access,
        "activity_access": access.activity_access,
        "journey_access": access,
        "journey": access.journey,
        "activity": access.activity,
        "space": access.space,
    }


def journey_url(access: JourneyAccess, name: str, *args: object) -> str:
    return reverse(f"journeys:{name}", args=[access.space.slug, access.activity.slug, *args])


def rate_url(access: JourneyAccess, touchpoint: Touchpoint) -> str:
    return journey_url(access, "rate", touchpoint.pk)


def after_last_url(access: JourneyAccess) -> str:
    """Where the last touchpoint leads: the closing questions, if the journey asks any."""
    return journey_url(access, "closing" if asks_closing_questions(access.journey) else "thanks")


def acting_participant(request: HttpRequest, access: JourneyAccess) -> tuple[Participant, bool]:
    """Return the participant who acts (a new anonymous one if needed) and whether it is
    new; refuse when this network has brought too many new participants lately."""
    return participant_for(
        request,
        access.participant,
        bucket="journey-new-participant",
        per_hour=NEW_PARTICIPANTS_PER_IP_PER_HOUR,
    )


def wants_card(request: HtmxHttpRequest) -> bool:
    """htmx swaps the card in place; restoring history it needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_card(
    request: HtmxHttpRequest,
    access: JourneyAccess,
    touchpoint: Touchpoint,
    *,
    form: RatingForm | None = None,
    notice: str = "",
    error: str = "",
    swapped: bool = False,
) -> HttpResponse:
    """Render the rating card of one touchpoint: the whole page, or the card for htmx."""
    journey = access.journey
    stages = map_for(access)
    order = rateable_touchpoints(stages)
    ratings = own_ratings(journey, access.participant)
    rating = ratings.get(touchpoint.pk)
    if form is None:
        form = RatingForm(
            initial=RatingForm.initial_from(rating), scale=journey.scale, touchpoint=touchpoint
        )
    place = place_in(order, touchpoint)
    context = {
        **page_context(access),
        "touchpoint": touchpoint,
        "place": place,
        "rating": rating,
        "rating_face": faces_by_score(journey).get(rating.score or 0) if rating else None,
        "done": sum(1 for row in order if row.pk in ratings),
        "form": form,
        "refusal": rating_refusal(access),
        "can_propose": can_propose(access),
        "waiting": proposals_after(stages, touchpoint),
        "next_url": rate_url(access, place.following) if place.following else "",
        "previous_url": rate_url(access, place.previous) if place.previous else "",
        "finish_url": after_last_url(access),
        "notice": notice,
        "error": error,
        "swapped": swapped,
    }
    template = "journeys/rate.html#card" if wants_card(request) else "journeys/rate.html"
    return render(request, template, context)


def rating_flood_refusal(request: HttpRequest, participant: Participant) -> str:
    """Count one more rating (first or changed) and return why to slow down, or ""."""
    if not allow(f"journey-ratings:{participant.pk}", RATINGS_PER_PARTICIPANT_PER_MINUTE, 60):
        return _(
            "That was a lot of answers in a short time. Take a breath and try again in a minute."
        )
    return ""


@require_GET
def rate_next(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Send the viewer to the first touchpoint they have not rated yet (or on, when done)."""
    access = access_journey(request, space_slug, activity_slug)
    order = rating_order(access.journey)
    if not order:
        return redirect(access.activity)
    ratings = own_ratings(access.journey, access.participant)
    left = next((touchpoint for touchpoint in order if touchpoint.pk not in ratings), None)
    if left is None and rating_refusal(access) == "":
        return redirect(after_last_url(access))
    return redirect(rate_url(access, left or order[0]))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rate_touchpoint(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """Rate one touchpoint: how it felt, words, a comment, a person or a machine; or say
    "I didn't go through this". Each answer is saved at once, then the next one shows."""
    access = access_journey(request, space_slug, activity_slug)
    touchpoint = access_touchpoint(access, touchpoint_id)
    if not touchpoint.is_shown:
        raise Http404  # a proposal waits for approval before anyone rates it
    if request.method == "GET":
        return render_card(request, access, touchpoint)
    refusal = rating_refusal(access)
    if refusal:
        return refuse(request, access, touchpoint, refusal)
    skipping = "skip" in request.POST
    form = RatingForm(request.POST, scale=access.journey.scale, touchpoint=touchpoint)
    if not skipping and not form.is_valid():
        return render_card(request, access, touchpoint, form=form)
    try:
        # A newcomer whose answer is refused leaves nothing behind: no participant either.
        with transaction.atomic():
            participant, created = acting_participant(request, access)
            flood = rating_flood_refusal(request, participant)
            if flood:
                raise ActionRefused(flood)
            if skipping:
                do_skip(access.journey, participant, touchpoint)
            else:
                do_rate(access.journey, participant, touchpoint, **form.cleaned_data)
    except ActionRefused as refused:
        return refuse(request, access, touchpoint, refused.message, form=None if skipping else form)
    access = dataclasses.replace(access, participant=participant)
    if skipping:
        notice = _("Saved: you didn't go through “%(touchpoint)s”.") % {"touchpoint": touchpoint}
    else:
        notice = _("Saved: “%(touchpoint)s”.") % {"touchpoint": touchpoint}
    following = place_in(rating_order(access.journey), touchpoint).following
    next_url = rate_url(access, following) if following else after_last_url(access)
    if request.htmx and following is not None:
        response = render_card(request, access, following, notice=notice, swapped=True)
        response["HX-Push-Url"] = next_url
    elif request.htmx:
        response = HttpResponseClientRedirect(next_url)
    else:
        messages.success(request, notice)
        response = redirect(next_url)
    if created:
        remember_participant(response, participant)
    return response


def refuse(
    request: HtmxHttpRequest,
    access: JourneyAccess,
    touchpoint: Touchpoint,
    message: str,
    *,
    form: RatingForm | None = None,
) -> HttpResponse:
    """Say why the answer was not saved, on the card that keeps what they gave."""
    return render_card(request, access, touchpoint, form=form, error=message)


@require_http_methods(["GET", "POST"])
def closing_questions(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Ask the journey's closing questions: the segment, and 0-10 to recommend us."""
    access = access_journey(request, space_slug, activity_slug)
    journey = access.journey
    if not asks_closing_questions(journey):
        return redirect(journey_url(access, "thanks"))
    refusal = rating_refusal(access)
    respondent = own_respondent(journey, access.participant)
    form = ClosingForm(
        request.POST or None, journey=journey, initial=ClosingForm.initial_from(respondent)
    )
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
    elif request.method == "POST" and form.is_valid():
        response = save_closing_answers(request, access, form)
        if response is not None:
            return response
    order = rating_order(journey)
    return render(
        request,
        "journeys/closing.html",
        {
            **page_context(access),
            "form": form,
            "refusal": refusal,
            "last_url": rate_url(access, order[-1]) if order else "",
        },
    )


def save_closing_answers(
    request: HttpRequest, access: JourneyAccess, form: ClosingForm
) -> HttpResponse | None:
    """Save the answers; return the redirect, or None with the form's errors set."""
    segment = form.cleaned_data.get("segment")
    try:
        with transaction.atomic():
            participant, created = acting_participant(request, access)
            do_answer_closing_questions(
                access.journey,
                participant,
                segment_id=segment.pk if segment is not None else None,
                recommendation=form.cleaned_data.get("recommendation"),
            )
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None
    response = redirect(journey_url(access, "thanks"))
    if created:
        remember_participant(response, participant)
    return response


@require_GET
def thanks(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Thank the participant, show what they gave, and offer to keep it with an account."""
    access = access_journey(request, space_slug, activity_slug)
    order = rating_order(access.journey)
    ratings = own_ratings(access.journey, access.participant)
    return render(
        request,
        "journeys/thanks.html",
        {
            **page_context(access),
            "rated": sum(1 for row in order if row.pk in ratings),
            "total": len(order),
            "first_url": rate_url(access, order[0]) if order else "",
            "refusal": rating_refusal(access),
            "claimable": access.user is None and bool(ratings),
        },
    )


@require_http_methods(["GET", "POST"])
def propose_touchpoint(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """Propose a touchpoint missing between this one and the next; it waits for approval."""
    access = access_journey(request, space_slug, activity_slug)
    after = access_touchpoint(access, touchpoint_id)
    if not after.is_shown:
        raise Http404
    if not can_propose(access):
        messages.error(
            request,
            rating_refusal(access) or _("This journey takes no proposals at the moment."),
        )
        return redirect(rate_url(access, after))
    order = rating_order(access.journey)
    following = place_in(order, after).following
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = submit_proposal(request, access, after, form)
        if response is not None:
            return response
    return render(
        request,
        "journeys/propose.html",
        {**page_context(access), "form": form, "after": after, "following": following},
    )


def submit_proposal(
    request: HttpRequest, access: JourneyAccess, after: Touchpoint, form: ProposalForm
) -> HttpResponse | None:
    """Propose the touchpoint; return the redirect, or None with the form's errors set."""
    if not allow(f"journey-proposals-ip:{client_ip(request)}", PROPOSALS_PER_IP_PER_DAY, 24 * 3600):
        form.add_error(None, _("Many proposals came from your network today. Try again tomorrow."))
        return None
    try:
        with transaction.atomic():
            participant, created = acting_participant(request, access)
            do_propose_touchpoint(access.journey, participant, after, **form.cleaned_data)
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None
    messages.success(
        request,
        _("Thank you! Your touchpoint waits for the organisers' approval before others see it."),
    )
    response = redirect(rate_url(access, after))
    if created:
        remember_participant(response, participant)
    return response


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Ask for an email address and send the one-time link that lets its owner rate."""
    access = access_journey(request, space_slug, activity_slug)
    if access.journey.audience != Audience.VERIFIED_EMAIL:
        return redirect(access.activity)
    return ask_for_email(
        request,
        TAKE_PART_LINK,
        url_args=(space_slug, activity_slug),
        page=page_context(access),
        lead=_(
            "The organisers ask each participant to confirm an email address, so everyone "
            "rates once. You need no account, and your address is not shown to anyone."
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm_email(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Confirm an address from the emailed link, then rate."""
    access = access_journey(request, space_slug, activity_slug)
    return confirm_email_link(
        request,
        TAKE_PART_LINK,
        token,
        participant=access.participant,
        page=page_context(access),
        invitation=_("Confirm that %(email)s is yours, and rate the journey."),
        back_url=access.activity.get_absolute_url(),
        next_url=journey_url(access, "rate_next"),
    )
