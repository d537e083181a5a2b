from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def describe_invitation(params: Mapping[str, Any]) -> str:
    return gettext("%(space)s invites you to be one of its ambassadors") % {
        "space": params["space"]
    }


class AmbassadorsConfig(AppConfig):
    name = "sammen.ambassadors"
    label = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self) -> None:
        from sammen.accounts import hooks
        from sammen.activities.kinds import register_shared_metrics
        from sammen.audit.registry import register_audit_actions
        from sammen.notifications.kinds import register_notification
        from sammen.recognition.registry import register_space_part

        from .actions import do_merge_arrivals
        from .audit_actions import AuditAction
        from .metrics import ambassador_metrics
        from .queries import ambassador_part, personal_ambassador_data

        hooks.participant_mergers.append(do_merge_arrivals)
        hooks.personal_data_sections.append(personal_ambassador_data)
        register_notification("ambassador_invited", describe_invitation)
        register_audit_actions(AuditAction)
        register_shared_metrics(ambassador_metrics)
        register_space_part(ambassador_part)
