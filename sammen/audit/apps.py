from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sammen.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from sammen.accounts import hooks

        from .queries import personal_audit_data

        hooks.personal_data_sections.append(personal_audit_data)
