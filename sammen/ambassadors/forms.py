from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User
from sammen.core.forms import IdChoiceField


class MemberChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class InviteAmbassadorForm(forms.Form):
    member = MemberChoiceField(
        label=_("Member"),
        queryset=User.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={"invalid_choice": _("Choose one of the members offered.")},
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, MemberChoiceField)
        field.queryset = members
