from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "sammen.calls"
    label = "calls"
    verbose_name = _("Open calls")

    def ready(self) -> None:
        from sammen.api.registry import register_api_router
        from sammen.audit.registry import register_audit_actions
        from sammen.recognition.registry import register_deeds, register_profile_section

        from . import contributions, reportables
        from .api import router
        from .audit_actions import AuditAction
        from .deeds import CALL_DEEDS
        from .kind import connect
        from .profile import ideas_section, rewards_section

        connect()
        contributions.connect()
        register_audit_actions(AuditAction)
        register_deeds(*CALL_DEEDS)
        register_profile_section(rewards_section)
        register_profile_section(ideas_section)
        reportables.connect()
        register_api_router("", router, tag="Open calls")
