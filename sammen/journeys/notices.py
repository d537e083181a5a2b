"""What the journey's notifications say, registered from apps.py."""

from django.utils.translation import gettext as _

from sammen.notifications.kinds import register_notification


def register_notifications() -> None:
    register_notification(
        "touchpoint_approved",
        lambda p: (
            _("The touchpoint you proposed, “%(touchpoint)s”, is now part of “%(journey)s”")
            % {"touchpoint": p["touchpoint"], "journey": p["journey"]}
        ),
    )
