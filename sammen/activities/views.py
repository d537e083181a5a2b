from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.spaces.permissions import access_space

from . import actions
from .forms import (
    ActivitySettingsForm,
    AnswerForm,
    BriefForm,
    NewActivityForm,
    ResultsForm,
    measure_formset,
)
from .kinds import metrics_of
from .models import ANSWER_MAX_LENGTH, Activity, Phase
from .permissions import access_activity, can_create_activity
from .queries import linked_activities, measure_outcomes, opening_blockers
from .selfcheck import check_format, questions


@login_required
@require_http_methods(["GET", "POST"])
def new_activity(request: HttpRequest, space_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    space_access = access_space(user, space_slug)
    if not can_create_activity(space_access):
        raise PermissionDenied
    form = NewActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.do_create_activity(
                user,
                space_access.space,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Start with why: write the brief of your activity."))
            return redirect(
                "activities:brief", space_slug=space_access.space.slug, activity_slug=activity.slug
            )
    return render(
        request,
        "activities/new.html",
        {"form": form, "access": space_access, "space": space_access.space},
    )


@require_GET
def activity_detail(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_activity(request.user, space_slug, activity_slug)
    activity = access.activity
    kind = activity.kind_info
    context = {
        "access": access.space_access,
        "activity_access": access,
        "space": activity.space,
        "activity": activity,
        "brief": activity.brief,
        "measures": activity.brief.measures.all(),
        "kind": kind,
        "blockers": opening_blockers(activity) if access.can_manage and activity.is_draft else [],
        "outcomes": measure_outcomes(activity) if activity.phase == Phase.ANSWERED else [],
        "links": linked_activities(activity, drafts=access.can_manage),
    }
    if kind is not None and kind.context is not None:
        context.update(kind.context(request, activity, access))
    return render(request, "activities/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_activity(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    activity = access.activity
    initial = {
        "title": activity.title,
        "summary": activity.summary,
        "opens_at": activity.opens_at,
        "closes_at": activity.closes_at,
    }
    form = ActivitySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_activity(user, activity, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(activity)
    return render(
        request,
        "activities/settings.html",
        {
            "form": form,
            "access": access.space_access,
            "space": activity.space,
            "activity": activity,
        },
    )


def self_check_for(data: dict[str, str], activity: Activity) -> tuple[dict[str, str], str]:
    answers = {question.key: data.get(f"check_{question.key}", "") for question in questions()}
    return answers, data.get("kind", activity.kind)


def kind_brief_warnings(activity: Activity, chosen_kind: str) -> list[str]:
    """Return what the activity's kind warns about its own setup, while that kind is the
    one chosen (a draft switching to another kind leaves the old kind's rows behind)."""
    kind = activity.kind_info
    if kind is None or kind.brief_warnings is None or chosen_kind != activity.kind:
        return []
    return kind.brief_warnings(activity)


@login_required
@require_http_methods(["GET", "POST"])
def edit_brief(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    activity = access.activity
    form = BriefForm(request.POST or None, initial=BriefForm.initial_from(activity))
    formset = measure_formset(request.POST or None, activity)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            actions.do_update_brief(
                user,
                activity,
                texts=form.texts(),
                measures=formset.measures(),
                self_check=form.self_check(),
                kind=form.cleaned_data["kind"] if activity.is_draft else None,
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The brief is saved."))
            if request.POST.get("stay"):
                return redirect(
                    "activities:brief", space_slug=activity.space.slug, activity_slug=activity.slug
                )
            return redirect(activity)
    answers, kind = self_check_for(
        request.POST
        if request.method == "POST"
        else {f"check_{key}": value for key, value in activity.brief.self_check.items()},
        activity,
    )
    return render(
        request,
        "activities/brief_form.html",
        {
            "form": form,
            "formset": formset,
            "access": access.space_access,
            "space": activity.space,
            "activity": activity,
            "check": check_format(answers, kind),
            "brief_warnings": kind_brief_warnings(activity, kind),
        },
    )


@login_required
@require_POST
def check_brief(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Return the self-check for the answers being written, without saving anything."""
    access = access_activity(request.user, space_slug, activity_slug, manage=True)
    answers, kind = self_check_for(request.POST, access.activity)
    return render(
        request,
        "activities/brief_form.html#self-check-result",
        {
            "check": check_format(answers, kind),
            "brief_warnings": kind_brief_warnings(access.activity, kind),
        },
    )


PHASE_ACTIONS = {
    "open": (
        actions.do_open_activity,
        gettext_lazy("The activity is open. Participants can take part now."),
    ),
    "close": (
        actions.do_close_activity,
        gettext_lazy("The activity is closed. Time to write its answer."),
    ),
    "reopen": (actions.do_reopen_activity, gettext_lazy("The activity is open again.")),
}


@login_required
@require_POST
def change_phase(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    step = PHASE_ACTIONS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("That step does not exist."))
        return redirect(access.activity)
    if request.POST.get("step") == "close" and request.POST.get("confirm") != "yes":
        return redirect("activities:close", space_slug=space_slug, activity_slug=activity_slug)
    action, success_message = step
    try:
        action(user, access.activity)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, str(success_message))
    return redirect(access.activity)


@login_required
@require_GET
def confirm_closing(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Ask before closing: participants can no longer take part once it is closed."""
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    if not access.activity.is_open:
        return redirect(access.activity)
    return render(
        request,
        "activities/close.html",
        {
            "access": access.space_access,
            "space": access.activity.space,
            "activity": access.activity,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_activity(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    activity = access.activity
    # A kind may offer a draft to start from (the journey's decisions): `?draft=`.
    draft = request.GET.get("draft", "")[:ANSWER_MAX_LENGTH].strip()
    form = AnswerForm(request.POST or None, initial={"answer": draft or activity.answer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_answer_activity(user, activity, form.cleaned_data["answer"])
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Your answer is public. Thank you for closing the loop."))
            return redirect(activity)
    return render(
        request,
        "activities/answer.html",
        {
            "form": form,
            "access": access.space_access,
            "space": activity.space,
            "activity": activity,
            "can_answer": activity.phase in {Phase.CLOSED, Phase.ANSWERED},
            "from_draft": bool(draft) and request.method == "GET",
        },
    )


@login_required
@require_POST
def delete_activity(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    try:
        actions.do_delete_activity(user, access.activity)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(access.activity)
    messages.success(request, _("The draft is deleted."))
    return redirect(access.space_access.space)


@login_required
@require_http_methods(["GET", "POST"])
def record_results(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Let organisers say how each success measure turned out."""
    user = signed_in_user(request)
    access = access_activity(user, space_slug, activity_slug, manage=True)
    activity = access.activity
    metrics = metrics_of(activity)
    form = ResultsForm(
        request.POST or None, measures=list(activity.brief.measures.all()), metrics=metrics
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_results(user, activity, form.results())
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The results are saved."))
            return redirect(activity)
    return render(
        request,
        "activities/results.html",
        {
            "form": form,
            "access": access.space_access,
            "space": activity.space,
            "activity": activity,
        },
    )
