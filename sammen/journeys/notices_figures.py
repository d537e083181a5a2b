"""Closing the loop: when a journey's answer is published, the people who rated it hear.

`answered` is the journey kind's hook (activities' ActivityKind.answered), run once the
first answer is committed. Only people with an account get a notification: an
anonymous participant has nowhere to receive one.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.notifications.actions import do_notify

JOURNEY_ANSWERED = "journey_answered"


def answered(activity: Activity) -> None:
    """Tell everyone with an account who rated the journey that its answer is out."""
    raters = User.objects.filter(
        participant__journey_ratings__journey__activity=activity, is_active=True
    ).distinct()
    do_notify(
        raters,
        JOURNEY_ANSWERED,
        {"journey": activity.title},
        activity.get_absolute_url(),
    )


def describe_journey_answered(params: Mapping[str, Any]) -> str:
    return _("“%(journey)s” has its answer: see what was decided with your ratings.") % {
        "journey": params["journey"]
    }


def connect() -> None:
    from sammen.notifications.kinds import register_notification

    register_notification(JOURNEY_ANSWERED, describe_journey_answered)
