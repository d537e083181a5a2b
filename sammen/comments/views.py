"""A discussion's views: post a comment or a reply, edit, delete, mark helpful.

A kind wires these views to URLs of its own and passes, as the URL's extra argument,
how to find what the request is about: `find_discussion` (for `add_comment`) or
`find_comment` (for the views of one comment), called with the request and the URL's
arguments. They check the kind's own access and return a `DiscussionAccess`:

    path(f"{idea}comments/", views.add_comment, {"find_discussion": discussion_of_idea},
         name="comment")

The kind's page shows the discussion by including `comments/_discussion.html` with
`discussion_context()`, and answers "Show more comments" with `render_more_comments()`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest
from sammen.core.ratelimit import allow

from . import actions
from .forms import CommentForm
from .models import Comment
from .permissions import DiscussionAccess, FindComment, FindDiscussion, is_comment_author
from .queries import CommentPage, comment_page_number, comments_for, page_number_of

COMMENTS_PER_HOUR = 60


def requested_comments(request: HttpRequest, access: DiscussionAccess) -> CommentPage:
    """Return the page of the discussion a request asks for.

    `?comment=<id>` opens the page that shows that comment, `?comments=<n>` a page by
    its number; without either, the first page.
    """
    if "comment" in request.GET and "comments" not in request.GET:
        page_number = comment_page_number(access, request.GET["comment"])
    else:
        page_number = page_number_of(request.GET.get("comments"))
    return comments_for(access, page_number)


def wants_more_comments(request: HtmxHttpRequest) -> bool:
    """Return whether htmx asks for the next comments alone ("Show more comments")."""
    return bool(request.htmx) and "comments" in request.GET


def discussion_context(
    access: DiscussionAccess, comments: CommentPage, form: CommentForm | None = None
) -> dict[str, Any]:
    """Return what `comments/_discussion.html` needs, for the context of a kind's page."""
    return {
        "discussion": access,
        "comments": comments,
        "comment_form": form if form is not None else CommentForm(),
    }


def render_more_comments(
    request: HttpRequest, access: DiscussionAccess, comments: CommentPage
) -> HttpResponse:
    """Render one page of comments alone, to add below the ones shown."""
    return render(
        request, "comments/_discussion.html#comment-page", discussion_context(access, comments)
    )


def render_discussion(
    request: HttpRequest, access: DiscussionAccess, form: CommentForm, shown: Comment | None
) -> HttpResponse:
    """Render the discussion at the page that shows `shown` (else the last, where new ones go)."""
    page_number = comment_page_number(access, shown.pk if shown else None)
    comments = comments_for(access, page_number)
    return render(request, "comments/_discussion.html", discussion_context(access, comments, form))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def add_comment(
    request: HtmxHttpRequest, find_discussion: FindDiscussion, **url_kwargs: Any
) -> HttpResponse:
    access = find_discussion(request, **url_kwargs)
    participant = access.participant
    if participant is None or not access.can_comment:
        raise PermissionDenied
    form = CommentForm(request.POST)
    shown: Comment | None = None
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], thread=access.thread
            ).first()
            if parent is None:
                form.add_error(None, _("You can only reply to a comment in the same discussion."))
        if not allow(f"comments-post:{participant.pk}", COMMENTS_PER_HOUR, 3600):
            form.add_error(None, _("You wrote many comments in a short time. Take a breath."))
        shown = parent
        if not form.errors:
            try:
                shown = actions.do_add_comment(
                    participant, access.thread, form.cleaned_data["body"], parent=parent
                )
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                form = CommentForm()
                if not request.htmx:
                    messages.success(request, _("Your comment is posted."))
                    return redirect(access.urls.to_comment(shown.pk))
    if request.htmx:
        return render_discussion(request, access, form, shown)
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect(access.urls.page)


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(
    request: HttpRequest, find_comment: FindComment, **url_kwargs: Any
) -> HttpResponse:
    access, comment = find_comment(request, **url_kwargs)
    if access.participant is None or not is_comment_author(access, comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_comment(access.participant, comment, form.cleaned_data["body"])
        except ActionRefused as refusal:
            form.add_error("body", refusal.message)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(access.urls.to_comment(comment.pk))
    return render(
        request,
        "comments/comment_form.html",
        {
            "form": form,
            "comment": comment,
            "discussion": access,
            "back_url": access.urls.to_comment(comment.pk),
            "space": access.space_access.space,
            "access": access.space_access,
        },
    )


@login_required
@require_POST
def delete_comment(
    request: HttpRequest, find_comment: FindComment, **url_kwargs: Any
) -> HttpResponse:
    access, comment = find_comment(request, **url_kwargs)
    if access.participant is None or not is_comment_author(access, comment):
        raise PermissionDenied
    actions.do_delete_comment(access.participant, comment)
    messages.success(request, _("Your comment is deleted."))
    return redirect(access.urls.page)


@login_required
@require_POST
def mark_helpful(
    request: HttpRequest, find_comment: FindComment, **url_kwargs: Any
) -> HttpResponse:
    access, comment = find_comment(request, **url_kwargs)
    if access.participant is None:
        raise PermissionDenied
    # The action holds the rule (only the thread's owner, never on their own comment).
    try:
        actions.do_mark_helpful(
            access.participant, comment, helpful=request.POST.get("helpful") == "1"
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(access.urls.to_comment(comment.pk))
