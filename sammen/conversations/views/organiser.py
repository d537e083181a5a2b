"""Pages organisers use: the conversation's settings, its statements, moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest, parse_id

from .. import actions
from ..forms import ConversationSettingsForm, HideStatementForm, SeedStatementsForm
from ..permissions import ConversationAccess, access_conversation, access_statement
from ..queries import (
    MODERATION_FILTERS,
    MODERATION_PAGE_SIZE,
    moderation_counts,
    statements_for_moderation,
)
from ..tasks import schedule_recompute


def organiser_context(access: ConversationAccess, tab: str) -> dict[str, object]:
    return {
        "access": access.space_access,
        "conversation_access": access,
        "conversation": access.conversation,
        "activity": access.activity,
        "space": access.space,
        "tab": tab,
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation_settings(
    request: HttpRequest, space_slug: str, activity_slug: str
) -> HttpResponse:
    """Set what the conversation asks, who may take part and how statements are moderated."""
    access = access_conversation(request, space_slug, activity_slug, manage=True)
    conversation = access.conversation
    form = ConversationSettingsForm(
        request.POST or None, initial=ConversationSettingsForm.initial_from(conversation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_conversation(
                signed_in_user(request), conversation, **form.cleaned_data
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The conversation's settings are saved."))
            return redirect("conversations:settings", space_slug, activity_slug)
    return render(
        request,
        "conversations/settings.html",
        {"form": form, **organiser_context(access, "settings")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """List the statements to review, and add the organisers' own (seed) statements."""
    access = access_conversation(request, space_slug, activity_slug, manage=True)
    conversation = access.conversation
    show = request.GET.get("show", "all")
    if show not in MODERATION_FILTERS:
        show = "all"
    seed_form = SeedStatementsForm(request.POST or None)
    if request.method == "POST" and seed_form.is_valid():
        try:
            added = actions.do_seed_statements(
                signed_in_user(request),
                conversation,
                seed_form.lines(),
                meta=seed_form.cleaned_data["meta"],
            )
        except ActionRefused as refusal:
            seed_form.add_error("texts", refusal.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s statement added.", "%(count)s statements added.", len(added))
                % {"count": len(added)},
            )
            return redirect("conversations:statements", space_slug, activity_slug)
    number = request.GET.get("number", "")
    only = parse_id(number)
    counts = moderation_counts(conversation)
    page = Paginator(
        statements_for_moderation(conversation, show, number=only), MODERATION_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/statements.html",
        {
            "seed_form": seed_form,
            "page": page,
            "show": show,
            "only": only,
            "filters": [(key, label, counts[key]) for key, label in MODERATION_FILTERS.items()],
            "hide_form": HideStatementForm(),
            **organiser_context(access, "statements"),
        },
    )


MODERATION_STEPS = {"approve", "hide", "restore", "meta", "not_meta"}


@login_required
@require_POST
@vary_on_headers("HX-Request")
def moderate_statement(
    request: HtmxHttpRequest, space_slug: str, activity_slug: str, statement_id: int
) -> HttpResponse:
    """Approve, hide, restore or (un)mark as meta one statement."""
    access = access_conversation(request, space_slug, activity_slug, manage=True)
    statement = access_statement(access, statement_id)
    actor = signed_in_user(request)
    step = request.POST.get("step", "")
    back = request.POST.get("show", "all")
    error = ""
    try:
        if step == "approve":
            actions.do_approve_statement(actor, statement)
        elif step == "hide":
            form = HideStatementForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(" ".join(str(error) for error in form.errors.get("reason", [])))
            actions.do_hide_statement(actor, statement, form.cleaned_data["reason"])
        elif step == "restore":
            actions.do_restore_statement(actor, statement)
        elif step in {"meta", "not_meta"}:
            actions.do_set_statement_meta(actor, statement, step == "meta")
        else:
            raise ActionRefused(_("Choose what to do with the statement."))
    except ActionRefused as refusal:
        error = refusal.message
    if request.htmx:
        statement = statements_for_moderation(access.conversation, "all").get(pk=statement.pk)
        return render(
            request,
            "conversations/statements.html#statement-row",
            {
                "statement": statement,
                "error": error,
                "show": back,
                "hide_form": HideStatementForm(),
                **organiser_context(access, "statements"),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The statement is updated."))
    url = reverse("conversations:statements", args=[space_slug, activity_slug])
    return redirect(f"{url}?show={back if back in MODERATION_FILTERS else 'all'}")


@login_required
@require_POST
def recompute(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Ask for the opinion map to be recomputed now (in the background)."""
    access = access_conversation(request, space_slug, activity_slug, manage=True)
    schedule_recompute(access.conversation.pk)
    messages.success(
        request, _("The opinion map is being updated. Reload the page in a few seconds.")
    )
    return redirect("conversations:report", space_slug, activity_slug)


@login_required
@require_POST
def report_visibility(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Make the report public, or keep it to the organisers."""
    access = access_conversation(request, space_slug, activity_slug, manage=True)
    public = request.POST.get("public") == "1"
    actions.do_set_report_public(signed_in_user(request), access.conversation, public)
    messages.success(
        request,
        _("Everyone can read the report now.")
        if public
        else _("Only the organisers can read the report now."),
    )
    return redirect("conversations:report", space_slug, activity_slug)
