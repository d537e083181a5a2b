from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sammen.core.middleware import remember_language

from .actions import do_attach_participant, do_note_reading_language
from .models import User
from .participants import anonymous_participant_from


@receiver(user_logged_in)
def bring_anonymous_work_along(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    """Move what this browser did anonymously to the person who just signed in."""
    do_attach_participant(user, anonymous_participant_from(request))


@receiver(user_logged_in)
def keep_the_language(
    sender: Any,
    request: HttpRequest,
    user: User,
    response: HttpResponse | None = None,
    **kwargs: Any,
) -> None:
    """Switch to the language the person chose, if any, else note the one they read in.

    allauth writes "Successfully signed in" right after this, so the message comes in
    the language of the page it shows on; the cookie keeps that language after signing
    out.
    """
    if not user.preferred_language:
        do_note_reading_language(user, translation.get_language())
        return
    translation.activate(user.preferred_language)
    request.LANGUAGE_CODE = user.preferred_language
    if response is not None:
        remember_language(response, user.preferred_language)
