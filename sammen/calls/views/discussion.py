"""The discussion under an idea: comments, replies, edits, and helpful marks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.comments import actions as comment_actions
from sammen.comments.models import Comment
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest
from sammen.core.ratelimit import allow

from ..forms import CommentForm
from ..models import Idea
from ..permissions import CallAccess, access_call, access_idea, can_comment, is_author
from ..queries import comment_page_number, comment_url, comments_for

COMMENTS_PER_HOUR = 60


def comment_of(access: CallAccess, comment_id: int) -> tuple[Comment, Idea]:
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "author"),
        pk=comment_id,
        thread__idea__call=access.call,
    )
    return comment, access_idea(access, comment.thread.idea.pk)


def render_thread(
    request: HtmxHttpRequest,
    access: CallAccess,
    idea: Idea,
    form: CommentForm,
    shown: Comment | None = None,
) -> HttpResponse:
    """Render the discussion at the page that shows `shown` (else the last, where new ones go)."""
    page_number = comment_page_number(access, idea, shown.pk if shown else None)
    return render(
        request,
        "calls/idea_detail.html#discussion",
        {
            "idea": idea,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "call_access": access,
            "comments": comments_for(access, idea, page_number),
            "comment_form": form,
            "can_comment": can_comment(access),
            "is_author": is_author(access, idea),
        },
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def add_comment(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if access.participant is None or not can_comment(access):
        raise PermissionDenied
    form = CommentForm(request.POST)
    shown: Comment | None = None
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], thread=idea.thread
            ).first()
            if parent is None:
                form.add_error(None, _("You can only reply to a comment in the same discussion."))
        if not allow(f"call-comment:{access.participant.pk}", COMMENTS_PER_HOUR, 3600):
            form.add_error(None, _("You wrote many comments in a short time. Take a breath."))
        shown = parent
        if not form.errors:
            try:
                shown = comment_actions.do_add_comment(
                    access.participant, idea.thread, form.cleaned_data["body"], parent=parent
                )
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                form = CommentForm()
                if not request.htmx:
                    messages.success(request, _("Your comment is posted."))
                    return redirect(comment_url(shown, idea))
    if request.htmx:
        return render_thread(request, access, idea, form, shown)
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect(idea)


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    comment, idea = comment_of(access, comment_id)
    if access.participant is None or comment.author_id != access.participant.pk:
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_actions.do_edit_comment(access.participant, comment, form.cleaned_data["body"])
        except ActionRefused as refusal:
            form.add_error("body", refusal.message)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(comment_url(comment, idea))
    return render(
        request,
        "calls/comment_form.html",
        {
            "form": form,
            "comment": comment,
            "idea": idea,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "access": access.space_access,
        },
    )


@login_required
@require_POST
def delete_comment(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    comment, idea = comment_of(access, comment_id)
    if access.participant is None or comment.author_id != access.participant.pk:
        raise PermissionDenied
    comment_actions.do_delete_comment(access.participant, comment)
    messages.success(request, _("Your comment is deleted."))
    return redirect(idea)


@login_required
@require_POST
def mark_helpful(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    comment, idea = comment_of(access, comment_id)
    if access.participant is None:
        raise PermissionDenied
    try:
        comment_actions.do_mark_helpful(
            access.participant, comment, helpful=request.POST.get("helpful") == "1"
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(comment_url(comment, idea))
