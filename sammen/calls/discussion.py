"""The discussion under an idea: what the open call tells the comments engine.

`sammen.comments` holds the discussion itself (its pages, views and templates). The call
decides who may do what under an idea, and `urls.py` passes these finders to the
engine's views.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.comments.models import Comment
from sammen.comments.permissions import DiscussionAccess, DiscussionUrls, comment_link

from .models import Idea
from .permissions import CallAccess, access_call, access_idea, can_comment, is_author

CLOSED_NOTE = _("Members of the space can take part in the discussion while the call is open.")


def idea_discussion(access: CallAccess, idea: Idea) -> DiscussionAccess:
    """Return the idea's discussion as the viewer may take part in it."""
    activity = access.call.activity
    space = activity.space
    return DiscussionAccess(
        thread=idea.thread,
        urls=DiscussionUrls(
            page=idea.get_absolute_url(),
            post=reverse("calls:comment", args=[space.slug, activity.slug, idea.pk]),
            edit="calls:edit_comment",
            delete="calls:delete_comment",
            helpful="calls:helpful",
            report="moderation:report_comment",
            comment_args=(space.slug, activity.slug),
        ),
        space_access=access.space_access,
        participant=access.participant,
        can_comment=can_comment(access),
        can_moderate=access.can_manage,
        can_mark_helpful=is_author(access, idea),
        title=idea.title,
        # In a blind call nobody learns who wrote an idea from the badge either.
        owner_badge_id=None if idea.author_is_hidden() else idea.author_id,
        closed_note=str(CLOSED_NOTE),
    )


def discussion_of_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> DiscussionAccess:
    access = access_call(request, space_slug, activity_slug)
    return idea_discussion(access, access_idea(access, idea_id))


def comment_in_call(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> tuple[DiscussionAccess, Comment]:
    """Return a comment under one of the call's ideas, with the discussion it is in."""
    access = access_call(request, space_slug, activity_slug)
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "author"),
        pk=comment_id,
        thread__idea__call=access.call,
    )
    idea = access_idea(access, comment.thread.idea.pk)
    return idea_discussion(access, idea), comment


def comment_url(comment: Comment, idea: Idea) -> str:
    """Return the address of a comment: its idea's page, at the page of the discussion it is on."""
    return comment_link(idea.get_absolute_url(), comment.pk)
