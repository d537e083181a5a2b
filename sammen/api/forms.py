from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User
from sammen.core.forms import IdsChoiceField, RadioSelectWithHelp
from sammen.core.validators import no_control_characters, single_line

from .models import NAME_MAX_LENGTH
from .queries import spaces_for_tokens

READ, WRITE = "read", "write"
LIFETIMES = [(7, _("7 days")), (30, _("30 days")), (90, _("90 days")), (365, _("One year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the token is for, such as “Newsroom graphic”."),
        validators=[no_control_characters, single_line],
    )
    spaces = IdsChoiceField(
        label=_("Spaces it may reach"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only spaces you belong to.")},
    )
    access = forms.ChoiceField(
        label=_("What it may do"),
        choices=[(READ, _("Read")), (WRITE, _("Read and write"))],
        initial=READ,
        widget=RadioSelectWithHelp(
            option_help={
                READ: _("Read spaces, activities, contributions and results."),
                WRITE: _(
                    "Also take part as you: submit ideas, comment, support, vote and, where "
                    "you organise, answer."
                ),
            }
        ),
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=90
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spaces = self.fields["spaces"]
        assert isinstance(spaces, IdsChoiceField)
        spaces.queryset = spaces_for_tokens(user)
