from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Max

from sammen.accounts.models import User

from .kinds import render_notification
from .models import Notification

PAGE_SIZE = 30


@dataclass(frozen=True)
class ShownNotification:
    """A notification with its text, rendered in the language active for the reader."""

    notification: Notification
    text: str

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


def notification_page(user: User, page_number: str | None) -> Page[Notification]:
    """Return one page of the person's notifications, newest first."""
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return Paginator(notifications, PAGE_SIZE).get_page(page_number)


def shown(notifications: Page[Notification]) -> list[ShownNotification]:
    return [
        ShownNotification(notification, render_notification(notification.kind, notification.params))
        for notification in notifications
    ]


def newest_notification_id(user: User) -> int | None:
    """Return the id of the person's newest notification, so "mark all" stops there."""
    return Notification.objects.filter(user=user).aggregate(newest=Max("pk"))["newest"]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def personal_notification_data(user: User) -> dict[str, Any]:
    """Return the person's follows and notifications for "Download my data"."""
    return {
        "following": [
            {
                "activity": follow.activity.title if follow.activity else None,
                "discussion": follow.thread_id,
                "since": follow.created_at.isoformat(),
            }
            for follow in user.follows.select_related("activity").order_by("created_at")
        ],
        "notifications": [
            {
                "text": render_notification(notification.kind, notification.params),
                "url": notification.url,
                "at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
            }
            for notification in user.notifications.order_by("created_at", "id")
        ],
    }
