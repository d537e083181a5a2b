from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sammen.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from sammen.api.registry import register_api_router
        from sammen.audit.registry import register_audit_actions
        from sammen.recognition.registry import register_deeds

        from . import contributions, notices
        from .api import router
        from .audit_actions import AuditAction
        from .deeds import MEETING_DEEDS
        from .kind import connect

        connect()
        contributions.connect()
        notices.connect()
        register_audit_actions(AuditAction)
        register_deeds(*MEETING_DEEDS)
        register_api_router("", router, tag="Meetings")
