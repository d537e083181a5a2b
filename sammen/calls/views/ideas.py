"""Pages participants use: the list of ideas, one idea, submitting and editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.models import User
from sammen.comments.views import (
    discussion_context,
    render_more_comments,
    requested_comments,
    wants_more_comments,
)
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest, parse_ids, parse_int
from sammen.core.views import serve_upload
from sammen.notifications.actions import do_follow, do_unfollow

from .. import actions
from ..actions import MAX_CO_AUTHORS
from ..caching import LIST, versions
from ..co_authors import CoAuthorChoices, co_author_choices
from ..discussion import idea_discussion
from ..forms import IdeaForm
from ..idea_cards import with_own_supports
from ..kind import shuffle_seed
from ..models import Idea, IdeaImage
from ..permissions import (
    CallAccess,
    access_call,
    access_idea,
    can_edit_idea,
    can_score,
    can_submit_idea,
    can_support,
    can_withdraw_idea,
    is_author,
    needs_email_verification,
)
from ..queries import (
    FILTERS,
    SORTS,
    idea_page,
    ideas_for,
    review_promise,
    supported_among,
)

# How long a shared list may show a name changed outside the call (a person renaming
# or erasing themselves); whatever the call's actions change shows at once.
LIST_CACHE_SECONDS = 120
# Only the first pages are kept: they are the ones many visitors share.
CACHED_PAGES = 10


def shared_list_key(
    request: HttpRequest, access: CallAccess, *, sort: str, status: str, query: str, seed: int
) -> str | None:
    """Return the cache key of the list as everyone in this viewer's place sees it.

    Visitors share one list. Signed-in members (and participants known by their cookie)
    share another, one for those who may share an idea and one for those who may not,
    kept without anyone's supports: `with_own_supports()` marks the viewer's own on the
    copy they get. None when the list is the viewer's own: an organiser's (archived
    ideas too), a known participant's random order (theirs alone), "mine", a search
    (too many to keep), or a page deeper than the first few.
    """
    if access.can_manage or query or status == "mine":
        return None
    known = request.user.is_authenticated or access.participant is not None
    if known and sort == "random":
        return None
    page = parse_int(request.GET.get("page") or "1", low=1, high=CACHED_PAGES)
    if page is None:
        return None
    version = versions(access.call.pk)[LIST]
    language = get_language()
    viewer = f"member-{int(can_submit_idea(access))}" if known else "visitor"
    seed = seed if sort == "random" else 0  # the other orders are everyone's
    return (
        f"calls:list:{access.call.pk}:{version}:{language}:{viewer}:{sort}:{status}:{seed}:{page}"
    )


def render_idea_list(
    request: HttpRequest,
    access: CallAccess,
    page: Page[Idea],
    *,
    sort: str,
    status: str,
    query: str,
) -> SafeString:
    """Render one page of ideas with the list's sorting, filters and pages."""
    context = {
        "call": access.call,
        "activity": access.call.activity,
        "space": access.call.activity.space,
        "page": page,
        "sorts": SORTS,
        "filters": FILTERS,
        "sort": sort,
        "status": status,
        "query": query,
        "can_submit": can_submit_idea(access),
    }
    return render_to_string("calls/ideas.html#idea-list", context, request=request)


def idea_list_html(request: HttpRequest, access: CallAccess) -> SafeString:
    """Render the list of ideas the request asks for; viewers in the same place share it
    through the cache, each with their own supports marked."""
    sort = request.GET.get("sort", "random")
    status = request.GET.get("status", "all")
    query = request.GET.get("q", "")[:200]
    sort = sort if sort in SORTS else "random"
    status = status if status in FILTERS else "all"
    seed = shuffle_seed(request, access.participant)
    key = shared_list_key(request, access, sort=sort, status=status, query=query, seed=seed)
    cached = cache.get(key) if key is not None else None
    if isinstance(cached, tuple):
        html, ids = cached
    else:
        page = ideas_for(
            access,
            sort=sort,
            status=status,
            query=query,
            seed=seed,
            page_number=request.GET.get("page"),
            mark_supports=key is None,
        )
        html = render_idea_list(request, access, page, sort=sort, status=status, query=query)
        if key is None:
            return html
        ids = [idea.pk for idea in page.object_list]
        cache.set(key, (str(html), ids), LIST_CACHE_SECONDS)
    if access.participant is None:
        return mark_safe(html)  # noqa: S308 - HTML this function rendered and stored
    return with_own_supports(html, supported_among(access.participant, ids))


@require_GET
@vary_on_headers("HX-Request")
def idea_list(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """List the call's ideas, sorted, filtered and searched; htmx gets just the list."""
    access = access_call(request, space_slug, activity_slug)
    idea_list = idea_list_html(request, access)
    if request.htmx:
        return HttpResponse(idea_list)
    context = {
        "access": access.space_access,
        "call_access": access,
        "call": access.call,
        "activity": access.call.activity,
        "space": access.call.activity.space,
        "idea_list": idea_list,
        "can_submit": can_submit_idea(access),
        "review_promise": review_promise(access.call, timezone.now()),
    }
    return render(request, "calls/ideas.html", context)


@require_GET
@vary_on_headers("HX-Request")
def idea_detail(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    """Show an idea and a page of its discussion; htmx asks for the next page alone."""
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    discussion = idea_discussion(access, idea)
    comments = requested_comments(request, discussion)
    if wants_more_comments(request):
        return render_more_comments(request, discussion, comments)
    user = request.user if isinstance(request.user, User) else None
    promise = review_promise(access.call, timezone.now(), count=False)
    return render(
        request,
        "calls/idea_detail.html",
        {
            "access": access.space_access,
            "call_access": access,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
            "idea": idea,
            "view": idea_page(access, idea, user, comments),
            **discussion_context(discussion, comments),
            "can_support": can_support(access, idea),
            "needs_email": needs_email_verification(access),
            "can_edit": can_edit_idea(access, idea),
            "can_withdraw": can_withdraw_idea(access, idea),
            "can_score": can_score(access, idea),
            "show_author": not idea.author_is_hidden() or is_author(access, idea),
            "idea_promise": promise if idea.awaits_answer else None,
        },
    )


def co_author_picker(access: CallAccess, data: QueryDict) -> CoAuthorChoices:
    """Return the picker's state from a form: the name typed, the co-authors chosen."""
    assert access.participant is not None
    chosen = parse_ids(data.getlist("co_authors")[: MAX_CO_AUTHORS * 2], limit=MAX_CO_AUTHORS * 2)
    return co_author_choices(
        access.call, access.participant, data.get("co_author_query", ""), chosen or []
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit_idea(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    if access.participant is None or not can_submit_idea(access):
        if not access.space_access.is_member:
            messages.info(request, _("Join the space to share your ideas."))
        else:
            messages.error(request, _("This call does not accept ideas right now."))
        return redirect(access.call.activity)
    picker = co_author_picker(access, request.POST)
    if "find_co_authors" in request.POST:
        # Without JavaScript, "Find" sends the whole form: show it again with the matches.
        form = IdeaForm(
            initial={key: request.POST.get(key, "") for key in ["title", "body", "builds_on"]},
            call=access.call,
            author=access.participant,
        )
    else:
        form = IdeaForm(
            request.POST or None, request.FILES or None, call=access.call, author=access.participant
        )
    if request.method == "POST" and form.is_valid():
        try:
            idea = actions.do_submit_idea(
                access.participant,
                access.call,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                builds_on=form.cleaned_data["builds_on"],
                images=form.chosen_images(),
                co_authors=list(form.cleaned_data["co_authors"]),
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Thank you! Your idea is published."))
            return redirect(idea)
    return render(
        request,
        "calls/idea_form.html",
        {
            "form": form,
            "picker": picker,
            "max_co_authors": MAX_CO_AUTHORS,
            "access": access.space_access,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
        },
    )


@login_required
@require_GET
def find_co_authors(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Return the picker's choices: members of the space whose name holds what was typed."""
    access = access_call(request, space_slug, activity_slug)
    if access.participant is None or not can_submit_idea(access):
        raise PermissionDenied
    return render(
        request,
        "calls/idea_form.html#co-author-choices",
        {"picker": co_author_picker(access, request.GET)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if access.participant is None or not can_edit_idea(access, idea):
        raise PermissionDenied
    images = list(idea.images.all())
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        call=access.call,
        author=access.participant,
        idea=idea,
        images_now=len(images),
        initial={"title": idea.title, "body": idea.body, "builds_on": idea.builds_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_idea(
                access.participant,
                idea,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                builds_on=form.cleaned_data["builds_on"],
                new_images=form.chosen_images(),
                remove_image_ids=[image.pk for image in form.cleaned_data["remove_image"]],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Your idea is updated."))
            return redirect(idea)
    return render(
        request,
        "calls/idea_form.html",
        {
            "form": form,
            "idea": idea,
            "images": images,
            "access": access.space_access,
            "call": access.call,
            "activity": access.call.activity,
            "space": access.call.activity.space,
        },
    )


@login_required
@require_POST
def withdraw_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if access.participant is None or not can_withdraw_idea(access, idea):
        raise PermissionDenied
    stays = actions.do_withdraw_idea(access.participant, idea)
    if stays:
        messages.success(
            request,
            _(
                "Your idea is withdrawn. It stays visible, marked as withdrawn, because others "
                "supported or discussed it."
            ),
        )
        return redirect(idea)
    messages.success(request, _("Your idea is withdrawn and removed."))
    return redirect(access.call.activity)


@login_required
@require_POST
def respond_to_co_authorship(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if access.participant is None:
        raise PermissionDenied
    accept = request.POST.get("accept") == "1"
    try:
        actions.do_respond_to_co_authorship(access.participant, idea, accept=accept)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("You are now a co-author of this idea.") if accept else _("You declined."),
        )
    return redirect(idea)


@login_required
@require_POST
def follow_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    assert isinstance(request.user, User)
    if request.POST.get("follow") == "1":
        do_follow(request.user, thread=idea.thread)
        messages.success(request, _("You follow this idea. We tell you when something happens."))
    else:
        do_unfollow(request.user, thread=idea.thread)
        messages.success(request, _("You no longer follow this idea."))
    return redirect(idea)


@login_required
@require_POST
def follow_call(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug)
    activity = access.call.activity
    assert isinstance(request.user, User)
    if request.POST.get("follow") == "1":
        do_follow(request.user, activity=activity)
        messages.success(request, _("You follow this call. We tell you about new ideas."))
    else:
        do_unfollow(request.user, activity=activity)
        messages.success(request, _("You no longer follow this call."))
    return redirect(activity)


@require_GET
def idea_image(request: HttpRequest, name: str) -> HttpResponseBase:
    """Serve an idea's image to whoever may see the idea.

    A hidden idea's images stay with its author and the organisers, a private
    space's with its members. Browsers ask again each time (``no-cache``), so hiding
    an idea takes its images out of view at once.
    """
    image = (
        IdeaImage.objects.select_related("idea__call__activity__space")
        .filter(image=f"ideas/{name}")
        .first()
    )
    if image is None:
        raise Http404
    activity = image.idea.call.activity
    access_idea(access_call(request, activity.space.slug, activity.slug), image.idea_id)
    return serve_upload(request, image.image.name, cache_control="private, no-cache")
