from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "sammen.spaces"
    label = "spaces"
    verbose_name = _("Spaces")

    def ready(self) -> None:
        from sammen.accounts import hooks
        from sammen.audit.registry import register_audit_actions

        from .audit_actions import AuditAction
        from .queries import personal_spaces_data, spaces_blocking_deletion

        hooks.personal_data_sections.append(personal_spaces_data)
        hooks.deletion_blockers.append(spaces_blocking_deletion)
        register_audit_actions(AuditAction)
