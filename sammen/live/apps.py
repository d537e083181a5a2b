from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "sammen.live"
    label = "live"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        from sammen.api.registry import register_api_router
        from sammen.audit.registry import register_audit_actions

        from . import contributions
        from .api import router
        from .audit_actions import AuditAction
        from .kind import connect

        connect()
        contributions.connect()
        register_audit_actions(AuditAction)
        register_api_router("", router, tag="Live sessions")
