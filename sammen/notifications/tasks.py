from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from sammen.accounts.models import User

from .kinds import render_notification
from .models import Notification


def absolute(url: str) -> str:
    return f"{settings.SAMMEN_BASE_URL}{url}" if url.startswith("/") else url


def mail_notifications(user: User, notifications: list[Notification], template: str) -> None:
    """Send one email with these notifications, in the reader's language."""
    with translation.override(user.email_language):
        items = [
            {"text": render_notification(n.kind, n.params), "url": absolute(n.url)}
            for n in notifications
        ]
        context = {"user": user, "items": items, "settings_url": absolute("/accounts/profile/")}
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> None:
    """Email each notification to its reader right away (their choice in the profile)."""
    pending = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        if notification.user.email_notifications == "immediate":
            by_user.setdefault(notification.user_id, []).append(notification)
    for notifications in by_user.values():
        mail_notifications(notifications[0].user, notifications, "immediate")


@task()
def send_daily_digests() -> None:
    """Email people who chose a daily digest everything unread they were not mailed yet."""
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, user__email_notifications="daily"
        )
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    for notifications in by_user.values():
        mail_notifications(notifications[0].user, notifications, "digest")
