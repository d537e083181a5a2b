from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "sammen.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from sammen.audit.registry import register_audit_actions
        from sammen.core.schedule import register_daily_job

        from .actions import do_forget_old_deliveries
        from .audit_actions import AuditAction

        register_audit_actions(AuditAction)
        register_daily_job("webhooks: forget old deliveries", do_forget_old_deliveries)
