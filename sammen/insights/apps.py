from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "sammen.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from sammen.audit.registry import register_audit_actions
        from sammen.core.schedule import register_daily_job

        from . import sources
        from .audit_actions import AuditAction
        from .jobs import count_all_spaces

        register_audit_actions(AuditAction)
        register_daily_job("insights", count_all_spaces)
        sources.register()
