from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "sammen.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from sammen.api.registry import register_api_router
        from sammen.audit.registry import register_audit_actions

        from . import contributions, reportables
        from .audit_actions import AuditAction
        from .kind import connect

        connect()
        contributions.connect()
        register_audit_actions(AuditAction)
        reportables.connect()
        from .api import router

        register_api_router("", router, tag="Conversations")
