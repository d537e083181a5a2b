from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import IdField
from sammen.core.markdown import MARKDOWN_HELP
from sammen.core.validators import no_control_characters

from .models import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=MARKDOWN_HELP,
    )
    parent = IdField(required=False)
