"""What customers wrote at a touchpoint, for the organisers: read, hide, show again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.http import parse_id

from ..actions.review import do_hide_rating_comment, do_restore_rating_comment
from ..emotions import bits_to_words, faces
from ..forms_figures import HideCommentForm
from ..models import Rating
from ..permissions import access_touchpoint
from .organiser import organiser_context
from .report import figures_access

COMMENTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def touchpoint_comments(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> HttpResponse:
    """List the comments customers wrote at a touchpoint, newest first, with hide and
    restore (the rating itself keeps counting either way)."""
    access = figures_access(request, space_slug, activity_slug)
    touchpoint = access_touchpoint(access, touchpoint_id)
    ratings = (
        Rating.objects.filter(touchpoint=touchpoint)
        .exclude(comment="")
        .select_related("wave")
        .order_by("-updated_at", "-pk")
    )
    if request.method == "POST":
        rating_id = parse_id(request.POST.get("rating"))
        rating = get_object_or_404(ratings, pk=rating_id) if rating_id else None
        if rating is None:
            messages.error(request, _("Choose a comment of this touchpoint."))
        else:
            rating.journey = access.journey
            form = HideCommentForm(request.POST)
            try:
                if request.POST.get("step") == "restore":
                    do_restore_rating_comment(signed_in_user(request), rating)
                    messages.success(request, _("The comment is shown again."))
                elif form.is_valid():
                    do_hide_rating_comment(
                        signed_in_user(request), rating, form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The comment is hidden; its rating still counts."))
                else:
                    for errors in form.errors.values():
                        messages.error(request, " ".join(str(error) for error in errors))
            except ActionRefused as refusal:
                messages.error(request, refusal.message)
        return redirect(request.get_full_path())
    page = Paginator(ratings, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    labels = {face.score: face for face in faces(access.journey.scale)}
    rows = [
        {
            "rating": rating,
            "face": labels.get(rating.score) if rating.score else None,
            "words": bits_to_words(rating.words),
        }
        for rating in page.object_list
    ]
    return render(
        request,
        "journeys/comments.html",
        {
            **organiser_context(access, "figures"),
            "touchpoint": touchpoint,
            "page": page,
            "rows": rows,
            "hide_form": HideCommentForm(),
        },
    )
