"""Pages organisers use: the call's rules, stages and jury; answering; the jury's scoring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sammen.accounts.models import User
from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused

from .. import actions
from ..forms import (
    AnswerIdeaForm,
    CallRulesForm,
    CallScheduleForm,
    EvaluatorsForm,
    ScoreForm,
    criterion_formset,
    momentum_formset,
    review_date_formset,
)
from ..models import Evaluator, Score
from ..permissions import CallAccess, access_call, access_idea, can_score
from ..queries import ideas_to_answer, jury_summary


def organiser_context(access: CallAccess, tab: str) -> dict[str, object]:
    return {
        "access": access.space_access,
        "call": access.call,
        "activity": access.call.activity,
        "space": access.call.activity.space,
        "tab": tab,
    }


@login_required
@require_http_methods(["GET", "POST"])
def call_rules(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug, manage=True)
    call = access.call
    form = CallRulesForm(
        request.POST or None, request.FILES or None, initial=CallRulesForm.initial_from(call)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_call_rules(
                signed_in_user(request),
                call,
                description=data["description"],
                scope=data["scope"],
                criteria=data["criteria"],
                after_selection=data["after_selection"],
                reward=data["reward"],
                blind=data["blind"],
                supporters=data["supporters"],
                cover=data["cover"],
                remove_cover=data["remove_cover"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The call's rules are saved."))
            return redirect("calls:settings", space_slug, activity_slug)
    return render(
        request, "calls/settings_rules.html", {"form": form, **organiser_context(access, "rules")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_schedule(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug, manage=True)
    call = access.call
    data = request.POST or None
    form = CallScheduleForm(data, initial=CallScheduleForm.initial_from(call))
    momentum = momentum_formset(data, call)
    reviews = review_date_formset(data, call)
    if request.method == "POST" and form.is_valid() and momentum.is_valid() and reviews.is_valid():
        try:
            actions.do_update_call_schedule(
                signed_in_user(request),
                call,
                **form.cleaned_data,
                momentum=momentum.stages(),
                review_dates=reviews.dates(),
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The call's stages are saved."))
            return redirect("calls:schedule", space_slug, activity_slug)
    return render(
        request,
        "calls/settings_schedule.html",
        {
            "form": form,
            "momentum": momentum,
            "reviews": reviews,
            **organiser_context(access, "schedule"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_jury(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug, manage=True)
    call = access.call
    members = User.objects.filter(memberships__space=call.activity.space).order_by("display_name")
    data = request.POST or None
    criteria = criterion_formset(data, call)
    evaluators = EvaluatorsForm(
        data,
        members=members,
        initial={"evaluators": list(call.evaluators.values_list("user_id", flat=True))},
    )
    if request.method == "POST" and criteria.is_valid() and evaluators.is_valid():
        try:
            actions.do_update_jury(
                signed_in_user(request),
                call,
                criteria=criteria.criteria(),
                evaluators=list(evaluators.cleaned_data["evaluators"]),
            )
        except ActionRefused as refusal:
            evaluators.add_error(None, refusal.message)
        else:
            messages.success(request, _("The jury is saved."))
            return redirect("calls:jury", space_slug, activity_slug)
    return render(
        request,
        "calls/settings_jury.html",
        {"criteria": criteria, "evaluators": evaluators, **organiser_context(access, "jury")},
    )


@login_required
@require_GET
def answer_list(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the organiser every idea with public support and jury score side by side."""
    access = access_call(request, space_slug, activity_slug, manage=True)
    scores = jury_summary(access.call)
    rows = [(idea, scores.get(idea.pk)) for idea in ideas_to_answer(access.call)]
    return render(
        request,
        "calls/answers.html",
        {
            "rows": rows,
            "has_jury": access.call.evaluators.exists(),
            **organiser_context(access, "answers"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    access = access_call(request, space_slug, activity_slug, manage=True)
    idea = access_idea(access, idea_id)
    initial = {"status": idea.status, "text": idea.answer} if idea.answered_at else None
    form = AnswerIdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_answer_idea(
                signed_in_user(request),
                idea,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Your answer is public, and everyone involved is told."))
            return redirect("calls:answers", space_slug, activity_slug)
    return render(
        request,
        "calls/answer_form.html",
        {
            "form": form,
            "idea": idea,
            "jury": jury_summary(access.call).get(idea.pk),
            **organiser_context(access, "answers"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_idea(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> HttpResponse:
    """Let an evaluator score an idea under review, privately."""
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    if not can_score(access, idea):
        raise PermissionDenied
    evaluator = get_object_or_404(Evaluator, call=access.call, user=signed_in_user(request))
    criteria = list(access.call.jury_criteria.all())
    existing = {
        f"criterion_{score.criterion_id}": score.value
        for score in Score.objects.filter(idea=idea, evaluator=evaluator)
    }
    form = ScoreForm(request.POST or None, criteria=criteria, initial=existing)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_score_idea(evaluator, idea, form.scores())
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your scores are saved. Only the organisers see them."))
            return redirect(idea)
    return render(
        request,
        "calls/score_form.html",
        {"form": form, "idea": idea, **organiser_context(access, "score")},
    )
