from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.calls.models import Idea
from sammen.calls.permissions import CallAccess, access_idea
from sammen.comments.models import Comment
from sammen.conversations.models import Statement
from sammen.spaces.models import Block, Membership, Role
from sammen.spaces.permissions import SpaceAccess, access_space

from .models import Report


def access_moderation(user: User, space_slug: str) -> SpaceAccess:
    """Return the space for its owners and moderators; 403 for others who may see it."""
    return access_space(user, space_slug, min_role=Role.MODERATOR)


def can_report(user: User, target: Idea | Comment | Statement) -> bool:
    """Anyone signed in may report what they see, except what they wrote themselves."""
    return target.author is None or target.author.user_id != user.pk


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


def moderated_idea(access: SpaceAccess, idea_id: int) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related("call__activity__space", "author__user"),
        pk=idea_id,
        call__activity__space=access.space,
    )


def moderated_comment(access: SpaceAccess, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("thread__space", "author__user"),
        pk=comment_id,
        thread__space=access.space,
    )


def moderated_statement(access: SpaceAccess, statement_id: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("conversation__activity__space", "author__user"),
        pk=statement_id,
        conversation__activity__space=access.space,
    )


def access_report(access: SpaceAccess, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("space"), pk=report_id, space=access.space
    )


def access_membership_to_block(access: SpaceAccess, user: User, membership_id: int) -> Membership:
    """Return a member the viewer may block: not an owner, not themselves.

    Only owners block moderators, so moderators cannot push each other out.
    """
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, space=access.space
    )
    if membership.user_id == user.pk or membership.role == Role.OWNER:
        raise PermissionDenied
    if membership.role == Role.MODERATOR and not access.is_owner:
        raise PermissionDenied
    return membership


def access_block(access: SpaceAccess, block_id: int) -> Block:
    return get_object_or_404(
        Block.objects.select_related("user", "space"), pk=block_id, space=access.space
    )
