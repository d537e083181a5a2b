"""What the notifications of participants' part of a journey say (registered in apps.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sammen.notifications.kinds import register_notification


def touchpoint_proposed(params: Mapping[str, Any]) -> str:
    return _("A proposed touchpoint waits for your approval in “%(journey)s”: “%(touchpoint)s”") % {
        "touchpoint": params["touchpoint"],
        "journey": params["journey"],
    }


def connect() -> None:
    register_notification("touchpoint_proposed", touchpoint_proposed)
