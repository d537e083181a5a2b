from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.comments.models import Thread

from .models import Follow, Notification


def do_follow(
    user: User, *, activity: Activity | None = None, thread: Thread | None = None
) -> None:
    """Follow an activity or a discussion. Following twice changes nothing."""
    if activity is not None:
        Follow.objects.get_or_create(user=user, activity=activity)
    elif thread is not None:
        Follow.objects.get_or_create(user=user, thread=thread)


def do_unfollow(
    user: User, *, activity: Activity | None = None, thread: Thread | None = None
) -> None:
    if activity is not None:
        Follow.objects.filter(user=user, activity=activity).delete()
    elif thread is not None:
        Follow.objects.filter(user=user, thread=thread).delete()


def do_notify(
    users: Iterable[User | None],
    kind: str,
    params: dict[str, Any],
    url: str,
    *,
    skip: User | None = None,
    mailed_separately: bool = False,
) -> list[Notification]:
    """Tell each person once (never the one who caused it); emails go out after commit.

    `mailed_separately`: the caller emails the people itself (a personal note goes out
    as it was written), so the notification is shown in the app and mailed no more.
    """
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if skip is not None:
        recipients.pop(skip.pk, None)
    emailed_at = timezone.now() if mailed_separately else None
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, params=params, url=url, emailed_at=emailed_at)
        for user in recipients.values()
    )
    immediate = [
        notification.pk
        for notification in notifications
        if recipients[notification.user_id].email_notifications == "immediate"
        and not mailed_separately
    ]
    if immediate:
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))
    return notifications


def do_mark_read(
    user: User, notification_ids: Iterable[int] | None = None, *, up_to_id: int | None = None
) -> int:
    """Mark some (or all) of a person's notifications read; return how many changed.

    `up_to_id` leaves alone what arrived after the newest notification the person saw,
    so "mark all as read" never swallows one they have not seen.
    """
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    return unread.update(read_at=timezone.now())
