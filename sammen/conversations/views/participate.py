"""Pages participants use: voting, adding a statement, proving an email address."""

import dataclasses

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.email_link_pages import ask_for_email, confirm_email_link
from sammen.accounts.email_links import EmailLinkPurpose
from sammen.accounts.models import Participant
from sammen.accounts.participants import participant_for, remember_participant
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest, parse_id
from sammen.core.ratelimit import allow, client_ip

from .. import actions
from ..forms import ChangeVoteForm, StatementForm, VoteForm
from ..kind import visitor_seed
from ..models import Participation, Statement, StatementState, VoteValue
from ..permissions import (
    ConversationAccess,
    access_conversation,
    access_own_vote,
    can_add_statement,
    can_see_report,
    voting_refusal,
)
from ..queries import (
    YOUR_VOTES_PAGE_SIZE,
    similar_statements,
    taking_part,
    unshown_statements_of_viewer,
    votes_of_viewer,
)

NEW_PARTICIPANTS_PER_IP_PER_HOUR = 60
VOTES_PER_PARTICIPANT_PER_MINUTE = 40
ANONYMOUS_VOTES_PER_IP_PER_HOUR = 3000
STATEMENTS_PER_IP_PER_HOUR = 30
# Valid three days, at most ten an hour from one network and three to one address.
TAKE_PART_LINK = EmailLinkPurpose(
    salt="sammen.conversations.email",
    bucket="conversation-email",
    url_name="conversations:confirm_email",
    subject=gettext_lazy("Confirm your email address to take part"),
    template="conversations/email/verify.txt",
)
SIMILAR_QUERY_MAX_LENGTH = 300
SIMILAR_CHECKS_PER_IP_PER_MINUTE = 60

VOTE_SAVED = {
    VoteValue.AGREE: gettext_lazy("Saved: you agree."),
    VoteValue.DISAGREE: gettext_lazy("Saved: you disagree."),
    VoteValue.PASS: gettext_lazy("Saved: you passed."),
}


def take_part_url(access: ConversationAccess) -> str:
    return f"{access.activity.get_absolute_url()}#take-part"


def page_context(access: ConversationAccess) -> dict[str, object]:
    return {
        "access": access.space_access,
        "conversation_access": access,
        "conversation": access.conversation,
        "activity": access.activity,
        "activity_access": access.activity_access,
        "space": access.space,
    }


def render_card(
    request: HtmxHttpRequest, access: ConversationAccess, *, notice: str = "", error: str = ""
) -> HttpResponse:
    """Render the voting card with the next statement, and where the viewer stands now."""
    refusal = voting_refusal(access)
    context = {
        **page_context(access),
        "part": taking_part(access, refusal, visitor_seed(request, access.participant)),
        "can_add_statement": can_add_statement(access),
        "can_see_report": can_see_report(access),
        "notice": notice,
        "error": error,
        "swap_place": True,
    }
    return render(request, "conversations/_vote_card.html", context)


def refuse(request: HtmxHttpRequest, access: ConversationAccess, message: str) -> HttpResponse:
    if request.htmx:
        return render_card(request, access, error=message)
    messages.error(request, message)
    return redirect(take_part_url(access))


def acting_participant(
    request: HttpRequest, access: ConversationAccess
) -> tuple[Participant, bool]:
    """Return the participant who acts (a new anonymous one if needed) and whether it is
    new; refuse when this network has brought too many new participants lately."""
    return participant_for(
        request,
        access.participant,
        bucket="conversation-new-participant",
        per_hour=NEW_PARTICIPANTS_PER_IP_PER_HOUR,
    )


def vote_flood_refusal(request: HttpRequest, participant: Participant) -> str:
    """Count one more vote (first or changed) and return why to slow down, or ""."""
    ip = client_ip(request)
    if not allow(f"conversation-votes:{participant.pk}", VOTES_PER_PARTICIPANT_PER_MINUTE, 60) or (
        participant.user_id is None
        and not allow(f"conversation-votes-ip:{ip}", ANONYMOUS_VOTES_PER_IP_PER_HOUR, 3600)
    ):
        return _(
            "That was a lot of votes in a short time. Take a breath and try again in a minute."
        )
    return ""


@require_POST
@vary_on_headers("HX-Request")
def vote(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Agree, disagree or pass on a statement, then show the next one."""
    access = access_conversation(request, space_slug, activity_slug)
    refusal = voting_refusal(access)
    if refusal:
        return refuse(request, access, refusal)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return refuse(request, access, _("Choose agree, disagree or pass."))
    statement = Statement.objects.filter(
        pk=form.cleaned_data["statement"],
        conversation=access.conversation,
        state=StatementState.SHOWN,
    ).first()
    if statement is None:
        return refuse(request, access, _("That statement is no longer in the conversation."))
    statement.conversation = access.conversation
    try:
        participant, created = acting_participant(request, access)
    except ActionRefused as too_many:
        return refuse(request, access, too_many.message)
    flood = vote_flood_refusal(request, participant)
    if flood:
        return refuse(request, access, flood)
    value = form.cleaned_data["value"]
    try:
        actions.do_vote(participant, statement, value)
    except ActionRefused as refusal_error:
        return refuse(request, access, refusal_error.message)
    access = dataclasses.replace(access, participant=participant)
    if request.htmx:
        response = render_card(request, access, notice=str(VOTE_SAVED[VoteValue(value)]))
    else:
        messages.success(request, str(VOTE_SAVED[VoteValue(value)]))
        response = redirect(take_part_url(access))
    if created:
        remember_participant(response, participant)
    return response


@require_GET
def your_votes(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """List the statements the viewer voted on, with their vote, to change while it is open."""
    access = access_conversation(request, space_slug, activity_slug)
    page = Paginator(votes_of_viewer(access), YOUR_VOTES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "conversations/your_votes.html",
        {
            **page_context(access),
            "page": page,
            "page_number": page.number,
            "refusal": voting_refusal(access),
            "unshown": unshown_statements_of_viewer(access),
        },
    )


def your_votes_url(access: ConversationAccess, page: str, statement_id: int) -> str:
    url = reverse("conversations:your_votes", args=[access.space.slug, access.activity.slug])
    if (number := parse_id(page)) is not None:
        url += f"?page={number}"
    return f"{url}#vote-{statement_id}"


@require_POST
@vary_on_headers("HX-Request")
def change_vote(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, statement_id: int
) -> HttpResponse:
    """Change one's vote on a statement voted on earlier, while the conversation is open."""
    access = access_conversation(request, space_slug, activity_slug)
    vote = access_own_vote(access, statement_id)
    form = ChangeVoteForm(request.POST)
    error = voting_refusal(access)
    if not error and not form.is_valid():
        error = _("Choose agree, disagree or pass.")
    if not error:
        error = vote_flood_refusal(request, vote.participant)
    if not error:
        try:
            actions.do_vote(vote.participant, vote.statement, form.cleaned_data["value"])
        except ActionRefused as refusal:
            error = refusal.message
        else:
            vote.refresh_from_db(fields=["value", "updated_at"])
    notice = "" if error else str(VOTE_SAVED[VoteValue(vote.value)])
    page = request.POST.get("page", "")
    if request.htmx:
        return render(
            request,
            "conversations/your_votes.html#vote-row",
            {
                **page_context(access),
                "vote": vote,
                "refusal": voting_refusal(access),
                "page_number": parse_id(page) or 1,
                "notice": notice,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(your_votes_url(access, page, vote.statement_id))


@require_http_methods(["GET", "POST"])
def add_statement(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Add one's own statement, after seeing the ones much like it."""
    access = access_conversation(request, space_slug, activity_slug)
    if not can_add_statement(access):
        messages.error(
            request,
            voting_refusal(access) or _("This conversation does not take new statements."),
        )
        if access.conversation.participation == Participation.ACCOUNT and access.user is None:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return redirect(access.activity)
    form = StatementForm(request.POST or None)
    similar: list[Statement] = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        similar = similar_statements(access, text)
        if similar and not form.cleaned_data["different"]:
            form.add_error(
                "different",
                _(
                    "Statements much like yours are in the conversation already. Vote on them "
                    "instead, or tick the box if yours says something they do not."
                ),
            )
        else:
            response = submit_statement(request, access, form, text)
            if response is not None:
                return response
    return render(
        request,
        "conversations/statement_form.html",
        {**page_context(access), "form": form, "similar": similar},
    )


def submit_statement(
    request: HttpRequest, access: ConversationAccess, form: StatementForm, text: str
) -> HttpResponse | None:
    """Add the statement; return the redirect, or None with the form's errors set."""
    if not allow(f"conversation-statements:{client_ip(request)}", STATEMENTS_PER_IP_PER_HOUR, 3600):
        form.add_error(None, _("Many statements came from your network lately. Try again later."))
        return None
    try:
        # A newcomer whose statement is refused leaves nothing behind: no participant either.
        with transaction.atomic():
            participant, created = acting_participant(request, access)
            statement = actions.do_add_statement(participant, access.conversation, text)
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None
    if statement.state == StatementState.PENDING:
        messages.success(
            request,
            _("Thank you! Your statement appears once the organisers have read it."),
        )
    else:
        messages.success(request, _("Thank you! Your statement is in the conversation."))
    response = redirect(take_part_url(access))
    if created:
        remember_participant(response, participant)
    return response


@require_GET
def similar(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show, as someone types, the statements much like theirs (an htmx fragment)."""
    access = access_conversation(request, space_slug, activity_slug)
    text = request.GET.get("text", "")[:SIMILAR_QUERY_MAX_LENGTH]
    if not allow(
        f"conversation-similar:{client_ip(request)}", SIMILAR_CHECKS_PER_IP_PER_MINUTE, 60
    ):
        text = ""  # a flood gets no answer; the check on submitting still happens
    return render(
        request,
        "conversations/statement_form.html#similar",
        {**page_context(access), "similar": similar_statements(access, text) if text else []},
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Ask for an email address and send the one-time link that lets its owner take part."""
    access = access_conversation(request, space_slug, activity_slug)
    if access.conversation.participation != Participation.VERIFIED_EMAIL:
        return redirect(access.activity)
    return ask_for_email(
        request,
        TAKE_PART_LINK,
        url_args=(space_slug, activity_slug),
        page=page_context(access),
        lead=_(
            "The organisers ask each participant to confirm an email address, so everyone "
            "votes once. You need no account, and your address is not shown to anyone."
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm_email(
    request: HttpRequest, space_slug: str, activity_slug: str, token: str
) -> HttpResponse:
    """Confirm an address from the emailed link, then take part."""
    access = access_conversation(request, space_slug, activity_slug)
    return confirm_email_link(
        request,
        TAKE_PART_LINK,
        token,
        participant=access.participant,
        page=page_context(access),
        invitation=_("Confirm that %(email)s is yours, and take part in the conversation."),
        back_url=access.activity.get_absolute_url(),
        next_url=take_part_url(access),
    )
