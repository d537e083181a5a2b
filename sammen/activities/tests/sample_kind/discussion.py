"""The sample kind's discussion, so tests can show the comments engine serves a kind it
does not know.

A sample activity owns one thread (a real kind's rows own theirs, as an idea does).
Members of the space comment while the activity is open; the thread's owner marks
comments helpful; nobody reports them (the sample registers no reportable comment).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.models import Participant
from sammen.accounts.participants import participant_of
from sammen.activities.models import Activity, Phase
from sammen.activities.permissions import ActivityAccess, access_activity
from sammen.comments.actions import do_start_thread
from sammen.comments.models import Comment, Thread
from sammen.comments.permissions import DiscussionAccess, DiscussionUrls
from sammen.comments.views import (
    discussion_context,
    render_more_comments,
    requested_comments,
    wants_more_comments,
)
from sammen.core.http import HtmxHttpRequest

CLOSED_NOTE = "Members talk about samples while they are open."


def do_start_sample_discussion(activity: Activity, owner: Participant) -> Thread:
    return do_start_thread(activity, owner)


def sample_discussion(
    request: HttpRequest, access: ActivityAccess, thread: Thread
) -> DiscussionAccess:
    activity = access.activity
    slugs = (activity.space.slug, activity.slug)
    participant = participant_of(request)
    return DiscussionAccess(
        thread=thread,
        urls=DiscussionUrls(
            page=reverse("sample_kind:discussion", args=slugs),
            post=reverse("sample_kind:comment", args=slugs),
            edit="sample_kind:edit_comment",
            delete="sample_kind:delete_comment",
            helpful="sample_kind:helpful",
            comment_args=slugs,
        ),
        space_access=access.space_access,
        participant=participant,
        can_comment=access.space_access.is_member and activity.phase == Phase.OPEN,
        can_moderate=access.can_manage,
        can_mark_helpful=participant is not None and participant.pk == thread.owner_id,
        title=activity.title,
        owner_badge_id=thread.owner_id,
        closed_note=CLOSED_NOTE,
    )


def sample_access(request: HttpRequest, space_slug: str, activity_slug: str) -> ActivityAccess:
    access = access_activity(request.user, space_slug, activity_slug)
    if access.activity.kind != "sample":
        raise Http404
    return access


def discussion_of_sample(
    request: HttpRequest, space_slug: str, activity_slug: str
) -> DiscussionAccess:
    access = sample_access(request, space_slug, activity_slug)
    thread = get_object_or_404(Thread, activity=access.activity)
    return sample_discussion(request, access, thread)


def comment_of_sample(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> tuple[DiscussionAccess, Comment]:
    access = sample_access(request, space_slug, activity_slug)
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "author"),
        pk=comment_id,
        thread__activity=access.activity,
    )
    return sample_discussion(request, access, comment.thread), comment


@require_GET
@vary_on_headers("HX-Request")
def discussion_page(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show a sample and a page of its discussion; htmx asks for the next page alone."""
    discussion = discussion_of_sample(request, space_slug, activity_slug)
    comments = requested_comments(request, discussion)
    if wants_more_comments(request):
        return render_more_comments(request, discussion, comments)
    return render(
        request,
        "sample_kind/discussion.html",
        {
            "space": discussion.space_access.space,
            "access": discussion.space_access,
            **discussion_context(discussion, comments),
        },
    )
