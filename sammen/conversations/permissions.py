from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import has_verified_email, participant_of
from sammen.activities.models import Phase
from sammen.activities.permissions import ActivityAccess, KindAccess, access_activity
from sammen.spaces.models import Block
from sammen.spaces.permissions import SpaceAccess

from .models import Conversation, Participation, Statement, StatementState, Vote


@dataclass(frozen=True)
class ConversationAccess(KindAccess):
    """A conversation as one viewer may use it: their role, participant and standing."""

    conversation: Conversation
    participant: Participant | None
    user: User | None
    is_blocked: bool


def access_conversation(
    request: HttpRequest, space_slug: str, activity_slug: str, *, manage: bool = False
) -> ConversationAccess:
    """Return the conversation behind an activity page; 404 unless it is a conversation."""
    activity_access = access_activity(request.user, space_slug, activity_slug, manage=manage)
    return conversation_access_for(request, activity_access)


def conversation_access_for(
    request: HttpRequest, activity_access: ActivityAccess
) -> ConversationAccess:
    """Return the conversation of an activity the viewer may already see; 404 unless it is one."""
    conversation = Conversation.objects.filter(activity=activity_access.activity).first()
    if conversation is None:
        raise Http404
    conversation.activity = activity_access.activity
    user = request.user if isinstance(request.user, User) else None
    is_blocked = (
        user is not None
        and Block.objects.filter(space=activity_access.activity.space, user=user).exists()
    )
    return ConversationAccess(
        conversation=conversation,
        activity_access=activity_access,
        participant=participant_of(request),
        user=user,
        is_blocked=is_blocked,
    )


def needs_sign_in(access: ConversationAccess) -> bool:
    return access.conversation.participation == Participation.ACCOUNT and access.user is None


def needs_email_verification(access: ConversationAccess) -> bool:
    return access.conversation.participation == Participation.VERIFIED_EMAIL and (
        not has_verified_email(access.participant)
    )


def voting_refusal(access: ConversationAccess) -> str:
    """Return why the viewer cannot vote now (translated), or "" when they can."""
    if access.is_blocked:
        return _("The organisers of this space have blocked you, so you cannot take part.")
    phase = access.activity.phase
    if phase == Phase.DRAFT:
        return _("This conversation has not opened yet.")
    if phase != Phase.OPEN:
        return _("This conversation is closed. Thank you to everyone who took part.")
    if needs_sign_in(access):
        return _("Sign in to take part in this conversation.")
    if needs_email_verification(access):
        return _("Confirm your email address to take part in this conversation.")
    return ""


def can_vote(access: ConversationAccess) -> bool:
    return not voting_refusal(access)


def can_add_statement(access: ConversationAccess) -> bool:
    """Participants add statements when the organisers allow it (organisers seed theirs)."""
    return can_vote(access) and access.conversation.participants_add_statements


def can_see_statement(access: ConversationAccess, statement: Statement) -> bool:
    """Statements waiting or hidden stay visible to their author and the organisers only."""
    if statement.state == StatementState.SHOWN or access.can_manage:
        return True
    return access.participant is not None and statement.author_id == access.participant.pk


def access_statement(access: ConversationAccess, statement_id: int) -> Statement:
    statement = get_object_or_404(Statement, pk=statement_id, conversation=access.conversation)
    statement.conversation = access.conversation
    if not can_see_statement(access, statement):
        raise Http404
    return statement


def access_own_vote(access: ConversationAccess, statement_id: int) -> Vote:
    """Return the viewer's vote on a statement of the conversation; 404 when they have none."""
    if access.participant is None:
        raise Http404
    vote = (
        Vote.objects.select_related("statement")
        .filter(
            conversation=access.conversation,
            participant=access.participant,
            statement_id=statement_id,
        )
        .first()
    )
    if vote is None:
        raise Http404
    vote.statement.conversation = access.conversation
    vote.participant = access.participant
    return vote


def can_see_report(access: ConversationAccess) -> bool:
    """Organisers see the report at any time; everyone else once it is made public."""
    return access.can_manage or access.conversation.report_public


def access_statement_to_moderate(access: SpaceAccess, statement_id: int) -> Statement:
    """Return a statement of the space for its moderators; 404 when it is not in the space."""
    return get_object_or_404(
        Statement.objects.select_related("conversation__activity__space", "author__user"),
        pk=statement_id,
        conversation__activity__space=access.space,
    )
