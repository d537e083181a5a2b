"""The signed-in person's notifications: the list, opening one, marking them all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sammen.accounts.views import signed_in_user
from sammen.core.http import HtmxHttpRequest, parse_id, safe_next_url

from .actions import do_mark_read
from .permissions import access_notification
from .queries import newest_notification_id, notification_page, shown


@login_required
@require_GET
@vary_on_headers("HX-Request")
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    """List the person's notifications, newest first, in their language; htmx gets the list."""
    user = signed_in_user(request)
    page = notification_page(user, request.GET.get("page"))
    context = {
        "page": page,
        "notifications": shown(page),
        "newest_id": newest_notification_id(user),
    }
    if request.htmx:
        return render(request, "notifications/list.html#notification-list", context)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark read everything the person had when the page was shown (all, without `up_to`)."""
    user = signed_in_user(request)
    up_to = request.POST.get("up_to", "")
    up_to_id = parse_id(up_to)
    if up_to and up_to_id is None:
        messages.error(
            request, _("Those notifications are not there. Reload the page and try again.")
        )
        return redirect("notifications:list")
    do_mark_read(user, up_to_id=up_to_id)
    messages.success(request, _("Your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go where it points, if that is a page of this site."""
    user = signed_in_user(request)
    notification = access_notification(user, notification_id)
    do_mark_read(user, [notification.pk])
    return HttpResponseRedirect(
        safe_next_url(request, notification.url, reverse("notifications:list"))
    )
