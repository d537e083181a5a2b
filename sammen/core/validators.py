import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROL_CHARACTERS = {"\n", "\r", "\t"}


def no_control_characters(value: str) -> None:
    """Refuse invisible control characters (NUL, escape codes...) that no one types on purpose."""
    for character in value:
        if character in ALLOWED_CONTROL_CHARACTERS:
            continue
        if unicodedata.category(character) in {"Cc", "Cs", "Co"}:
            raise ValidationError(
                _("Remove the invisible control characters from this text."),
                code="control_characters",
            )


def single_line(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Keep this on one line."), code="single_line")
