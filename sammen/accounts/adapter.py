from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.forms import Form
from django.http import HttpRequest

from sammen.core.tasks import send_email

from .actions import do_attach_participant
from .models import User
from .participants import anonymous_participant_from


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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail now, in the reader's language, and send it from the task worker."""
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
