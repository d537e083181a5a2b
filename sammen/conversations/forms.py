from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import IdField
from sammen.core.validators import no_control_characters

from .models import (
    DESCRIPTION_MAX_LENGTH,
    HIDDEN_REASON_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    Conversation,
    Moderation,
    Participation,
    VoteValue,
)

STATEMENT_TOO_LONG = _(
    "Keep a statement to %(limit_value)d characters or fewer: this one has %(show_value)d."
)


class ConversationSettingsForm(forms.Form):
    description = forms.CharField(
        label=_("What do you ask?"),
        help_text=_(
            "The open question, in plain words, and what you will do with the answers. "
            "You can use **bold**, *italics*, lists and links."
        ),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    participation = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Participation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Asking for an account keeps many people out. A verified email address means "
            "one person, one set of votes, without an account."
        ),
    )
    moderation = forms.ChoiceField(
        label=_("New statements from participants"),
        choices=Moderation.choices,
        widget=forms.RadioSelect,
    )
    participants_add_statements = forms.BooleanField(
        label=_("Participants may add their own statements"), required=False
    )
    report_public = forms.BooleanField(
        label=_("Everyone may read the report with the opinion groups"),
        required=False,
        help_text=_("Until then, only the organisers see it."),
    )

    @classmethod
    def initial_from(cls, conversation: Conversation) -> dict[str, Any]:
        return {
            "description": conversation.description,
            "participation": conversation.participation,
            "moderation": conversation.moderation,
            "participants_add_statements": conversation.participants_add_statements,
            "report_public": conversation.report_public,
        }


class SeedStatementsForm(forms.Form):
    texts = forms.CharField(
        label=_("New statements, one per line"),
        help_text=_(
            "Up to 140 characters each. Write statements people can agree or disagree "
            "with, one idea each, and cover the different views you expect."
        ),
        max_length=20_000,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    meta = forms.BooleanField(
        label=_("These statements are about the process (left out of the opinion groups)"),
        required=False,
    )

    def lines(self) -> list[str]:
        return [line for line in self.cleaned_data["texts"].splitlines() if line.strip()]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        help_text=_("One idea, in at most 140 characters, that others can agree or disagree with."),
        max_length=STATEMENT_MAX_LENGTH,
        error_messages={
            "max_length": STATEMENT_TOO_LONG,
            "required": _("Write your statement first."),
        },
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
    )
    different = forms.BooleanField(
        label=_("My statement says something the similar ones do not"),
        required=False,
    )


class ChangeVoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[(str(value), label) for value, label in VoteValue.choices], coerce=int
    )


class VoteForm(ChangeVoteForm):
    statement = IdField()


class HideStatementForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the author sees it, optional)"),
        required=False,
        max_length=HIDDEN_REASON_MAX_LENGTH,
        validators=[no_control_characters],
    )
