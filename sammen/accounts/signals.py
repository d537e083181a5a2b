from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .actions import do_attach_participant
from .models import User
from .participants import anonymous_participant_from


@receiver(user_logged_in)
def bring_anonymous_work_along(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    """Move what this browser did anonymously to the person who just signed in."""
    do_attach_participant(user, anonymous_participant_from(request))
