from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.forms import Form
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.encoding import force_str

from sammen.core.tasks import send_email

from .actions import do_attach_participant
from .models import DISPLAY_NAME_MAX_LENGTH, User
from .participants import anonymous_participant_from


@dataclass(frozen=True)
class EmailSite:
    """What allauth's emails call the current site; Sammen runs without contrib.sites."""

    name: str
    domain: str


def email_site(request: HttpRequest | None) -> EmailSite:
    domain = (
        request.get_host() if request is not None else urlsplit(settings.SAMMEN_BASE_URL).netloc
    )
    return EmailSite(name=settings.SAMMEN_NAME, domain=domain)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.SAMMEN_SIGNUP_OPEN)

    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        user.display_name = form.cleaned_data.get("display_name", "")
        # What they read in now is no choice: a later visit in another language keeps
        # that one (core.middleware.language_for); only emails need it until they choose.
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in {code for code, _name in settings.LANGUAGES}:
            user.reading_language = language
        saved = super().save_user(request, user, form, commit=commit)
        if commit:
            do_attach_participant(saved, anonymous_participant_from(request))
        return saved

    def format_email_subject(self, subject: str) -> str:
        prefix = allauth_settings.EMAIL_SUBJECT_PREFIX
        if prefix is None:
            prefix = f"[{settings.SAMMEN_NAME}] "
        return prefix + force_str(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail now, in the reader's language, and send it from the task worker."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": email_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        send_email.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            from_email=str(message.from_email),
            to=list(message.to),
            html=str(html) if html is not None else None,
            headers=dict(message.extra_headers),
        )


def display_name_from(data: dict[str, Any]) -> str:
    """Return a display name made of what a provider says of the person: one line, short."""
    name = data.get("name") or " ".join(
        part for part in (data.get("first_name"), data.get("last_name")) if part
    )
    if not isinstance(name, str):
        return ""
    printable = "".join(char if char.isprintable() else " " for char in name)
    return " ".join(printable.split())[:DISPLAY_NAME_MAX_LENGTH].strip()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's sign-in through an organisation's OpenID Connect provider, Sammen's way."""

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse to switch a signed-in person to another account without saying so.

        allauth signs out whoever is signed in and signs in the provider's account. An
        organiser asked to sign in with single sign-on expects to stay who they are; if
        the provider's account is not theirs (not linked, no verified address in common),
        say so instead of handing them a different or new account.
        """
        current = request.user
        process = sociallogin.state.get("process")
        if (
            process != AuthProcess.LOGIN
            or not current.is_authenticated
            or (sociallogin.user is not None and sociallogin.user.pk == current.pk)
        ):
            return
        raise ImmediateHttpResponse(
            render(
                request,
                "socialaccount/not_your_account.html",
                {"provider": sociallogin.provider},
                status=409,
            )
        )

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        user.display_name = display_name_from(data)
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in {code for code, _name in settings.LANGUAGES}:
            user.reading_language = language
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> User:
        saved: User = super().save_user(request, sociallogin, form)
        do_attach_participant(saved, anonymous_participant_from(request))
        return saved

    def get_signup_form_initial_data(self, sociallogin: SocialLogin) -> dict[str, Any]:
        initial = super().get_signup_form_initial_data(sociallogin)
        if sociallogin.user is not None:
            initial["display_name"] = getattr(sociallogin.user, "display_name", "")
        return initial
