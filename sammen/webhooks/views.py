from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused
from sammen.core.http import HtmxHttpRequest

from . import actions
from .forms import EventsForm, WebhookForm
from .permissions import WebhookAccess, access_delivery, access_webhook, access_webhooks
from .queries import deliveries_of, webhooks_of

DELIVERIES_PER_PAGE = 25
# The secret of a webhook just created is shown once, on the page the owner lands on.
JUST_CREATED = "webhooks-just-created"


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, space_slug: str) -> HttpResponse:
    """List the space's webhooks and add one."""
    user = signed_in_user(request)
    access = access_webhooks(user, space_slug)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = actions.do_create_webhook(
                user, access.space, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            request.session[JUST_CREATED] = webhook.pk
            messages.success(request, _("The webhook is ready. Copy its secret now."))
            return redirect(webhook)
    return render(
        request,
        "webhooks/list.html",
        {
            "access": access,
            "space": access.space,
            "form": form,
            "webhooks": webhooks_of(access.space),
            "max_webhooks": actions.MAX_WEBHOOKS_PER_SPACE,
        },
    )


def detail_context(
    request: HttpRequest, found: WebhookAccess, *, secret: str | None = None
) -> dict[str, object]:
    webhook = found.webhook
    page = Paginator(deliveries_of(webhook), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "access": found.space_access,
        "space": found.space_access.space,
        "webhook": webhook,
        "events_form": EventsForm(initial={"events": webhook.events}),
        "page": page,
        "secret": secret,
        "max_attempts": actions.MAX_ATTEMPTS,
        "disable_after": actions.DISABLE_AFTER_FAILURES,
    }


@login_required
@require_GET
def webhook_detail(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    """Show a webhook: its events, its secret on request, and its delivery log."""
    found = access_webhook(signed_in_user(request), space_slug, webhook_id)
    secret = None
    if request.session.get(JUST_CREATED) == found.webhook.pk:
        del request.session[JUST_CREATED]
        secret = found.webhook.secret
    return render(request, "webhooks/detail.html", detail_context(request, found, secret=secret))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def show_secret(request: HtmxHttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    """Show the webhook's secret to an owner who asks (noted in the audit log)."""
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    secret = actions.do_show_webhook_secret(user, found.webhook)
    context = detail_context(request, found, secret=secret)
    if request.htmx:
        return render(request, "webhooks/detail.html#secret", context)
    return render(request, "webhooks/detail.html", context)


@login_required
@require_POST
def update_webhook(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    """Change the events a webhook subscribes to."""
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    form = EventsForm(request.POST)
    if form.is_valid():
        try:
            actions.do_update_webhook_events(user, found.webhook, form.cleaned_data["events"])
        except ActionRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The webhook's events are saved."))
            return redirect(found.webhook)
    context = detail_context(request, found)
    context["events_form"] = form
    return render(request, "webhooks/detail.html", context)


def after_action(
    request: HttpRequest, found: WebhookAccess, done: str, refusal: str = ""
) -> HttpResponse:
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, done)
    return redirect(found.webhook)


@login_required
@require_POST
def ping_webhook(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    """Send the webhook a test event now."""
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    try:
        actions.do_ping_webhook(user, found.webhook)
    except ActionRefused as refused:
        return after_action(request, found, "", refused.message)
    return after_action(
        request, found, _("A test ping is on its way. The log below shows how it went.")
    )


@login_required
@require_POST
def enable_webhook(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    actions.do_enable_webhook(user, found.webhook)
    return after_action(request, found, _("The webhook is on."))


@login_required
@require_POST
def disable_webhook(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    actions.do_disable_webhook(user, found.webhook)
    return after_action(
        request, found, _("The webhook is off. Nothing is sent to it until you turn it on.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_webhook(request: HttpRequest, space_slug: str, webhook_id: int) -> HttpResponse:
    """Ask first, then delete the webhook with its delivery log."""
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    if request.method == "POST":
        actions.do_delete_webhook(user, found.webhook)
        messages.success(request, _("The webhook is deleted."))
        return redirect("webhooks:list", space_slug=found.space_access.space.slug)
    return render(
        request,
        "webhooks/delete.html",
        {"access": found.space_access, "space": found.space_access.space, "webhook": found.webhook},
    )


@login_required
@require_POST
def redeliver(
    request: HttpRequest, space_slug: str, webhook_id: int, delivery_id: int
) -> HttpResponse:
    """Send one delivery's event again."""
    user = signed_in_user(request)
    found = access_webhook(user, space_slug, webhook_id)
    delivery = access_delivery(found, delivery_id)
    try:
        actions.do_redeliver(user, delivery)
    except ActionRefused as refused:
        return after_action(request, found, "", refused.message)
    return after_action(request, found, _("The event is on its way again."))
