from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "sammen.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from sammen.accounts import hooks
        from sammen.audit.registry import register_audit_actions

        from .audit_actions import AuditAction
        from .queries import personal_moderation_data
        from .webhooks import register_events

        hooks.personal_data_sections.append(personal_moderation_data)
        register_audit_actions(AuditAction)
        register_events()
