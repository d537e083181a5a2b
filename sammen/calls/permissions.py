from dataclasses import dataclass

from django.db.models import Exists
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import anonymous_participant_from, has_verified_email
from sammen.activities.permissions import ActivityAccess, KindAccess, access_activity
from sammen.comments.models import Comment
from sammen.spaces.models import Block
from sammen.spaces.permissions import SpaceAccess

from .models import Call, Evaluator, Idea, IdeaStatus, Supporters

SUPPORTABLE = {IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW}


@dataclass(frozen=True)
class CallAccess(KindAccess):
    """An open call as one viewer may use it: their role, participant and standing."""

    call: Call
    participant: Participant | None
    is_blocked: bool
    is_evaluator: bool

    @property
    def is_member(self) -> bool:
        return self.space_access.is_member and not self.is_blocked


def access_call(
    request: HttpRequest, space_slug: str, activity_slug: str, *, manage: bool = False
) -> CallAccess:
    """Return the call behind an activity page; 404 unless the activity is an open call."""
    activity_access = access_activity(request.user, space_slug, activity_slug, manage=manage)
    return call_access_for(request, activity_access)


def call_access_for(request: HttpRequest, activity_access: ActivityAccess) -> CallAccess:
    """Return the call of an activity the viewer may already see; 404 unless it is a call."""
    call = Call.objects.filter(activity=activity_access.activity).first()
    if call is None:
        raise Http404
    call.activity = activity_access.activity
    user = request.user
    if not isinstance(user, User):
        return CallAccess(
            call=call,
            activity_access=activity_access,
            participant=anonymous_participant_from(request),
            is_blocked=False,
            is_evaluator=False,
        )
    # The person's participant and standing in one query: every page of a call asks.
    participant = (
        Participant.objects.filter(user=user)
        .annotate(
            blocked=Exists(Block.objects.filter(space=activity_access.activity.space, user=user)),
            evaluating=Exists(Evaluator.objects.filter(call=call, user=user)),
        )
        .first()
    )
    if participant is None:  # an account without its participant yet
        return CallAccess(
            call=call,
            activity_access=activity_access,
            participant=None,
            is_blocked=Block.objects.filter(
                space=activity_access.activity.space, user=user
            ).exists(),
            is_evaluator=Evaluator.objects.filter(call=call, user=user).exists(),
        )
    return CallAccess(
        call=call,
        activity_access=activity_access,
        participant=participant,
        is_blocked=participant.blocked,
        is_evaluator=participant.evaluating,
    )


def can_see_idea(access: CallAccess, idea: Idea) -> bool:
    """Hidden ideas stay visible to their author and the organisers only."""
    if not idea.is_hidden:
        return True
    return access.can_manage or (
        access.participant is not None and idea.author_id == access.participant.pk
    )


def access_idea(access: CallAccess, idea_id: int) -> Idea:
    idea = get_object_or_404(
        Idea.objects.select_related("author__user", "builds_on", "thread"),
        pk=idea_id,
        call=access.call,
    )
    idea.call = access.call
    if not can_see_idea(access, idea):
        raise Http404
    return idea


def can_submit_idea(access: CallAccess) -> bool:
    return access.is_member and access.call.accepts_ideas


def is_author(access: CallAccess, idea: Idea) -> bool:
    return access.participant is not None and idea.author_id == access.participant.pk


def can_edit_idea(access: CallAccess, idea: Idea) -> bool:
    """Authors edit while submissions are open and nobody has answered yet."""
    return (
        is_author(access, idea)
        and not access.is_blocked
        and access.call.accepts_ideas
        and idea.status == IdeaStatus.PUBLISHED
    )


def can_withdraw_idea(access: CallAccess, idea: Idea) -> bool:
    return is_author(access, idea) and idea.status not in {
        IdeaStatus.WITHDRAWN,
        IdeaStatus.ARCHIVED,
    }


def can_comment(access: CallAccess) -> bool:
    return access.is_member and access.call.accepts_comments


def can_support(access: CallAccess, idea: Idea) -> bool:
    """Return whether the viewer could support the idea now (perhaps after verifying email)."""
    if not access.call.accepts_support or idea.status not in SUPPORTABLE or idea.is_hidden:
        return False
    if access.is_blocked or is_author(access, idea):
        return False  # authors do not support their own idea
    if access.call.supporters == Supporters.MEMBERS:
        return access.is_member
    return True


def needs_email_verification(access: CallAccess) -> bool:
    """In a verified-email call, visitors without an account first prove an address is theirs."""
    if access.call.supporters != Supporters.VERIFIED_EMAIL:
        return False
    return not has_verified_email(access.participant)


def can_score(access: CallAccess, idea: Idea) -> bool:
    return access.is_evaluator and not access.is_blocked and idea.status == IdeaStatus.UNDER_REVIEW


def access_reportable_comment(access: CallAccess, comment_id: int) -> Comment:
    """Return a comment under one of the call's ideas, if the viewer sees both."""
    comment = get_object_or_404(
        Comment.objects.select_related("author__user", "thread"),
        pk=comment_id,
        thread__idea__call=access.call,
    )
    idea = access_idea(access, comment.thread.idea.pk)
    sees_hidden = access.can_manage or (
        access.participant is not None and comment.author_id == access.participant.pk
    )
    if comment.deleted_at is not None or (comment.hidden_at is not None and not sees_hidden):
        raise Http404
    comment.thread.idea = idea
    return comment


def access_idea_to_moderate(access: SpaceAccess, idea_id: int) -> Idea:
    """Return an idea of the space for its moderators; 404 when it is not in the space."""
    return get_object_or_404(
        Idea.objects.select_related("call__activity__space", "author__user"),
        pk=idea_id,
        call__activity__space=access.space,
    )


def access_comment_to_moderate(access: SpaceAccess, comment_id: int) -> Comment:
    """Return a comment of the space for its moderators; 404 when it is not in the space."""
    return get_object_or_404(
        Comment.objects.select_related("thread__space", "author__user"),
        pk=comment_id,
        thread__space=access.space,
    )
