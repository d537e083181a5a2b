from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def describe_badge_awarded(params: Mapping[str, Any]) -> str:
    return gettext("%(space)s thanked you with a badge: %(badge)s") % {
        "space": params["space"],
        "badge": params["badge"],
    }


def describe_reward_granted(params: Mapping[str, Any]) -> str:
    return gettext("%(space)s granted you a reward: %(reward)s") % {
        "space": params["space"],
        "reward": params["reward"],
    }


def describe_thank_you(params: Mapping[str, Any]) -> str:
    return gettext("%(sender)s of %(space)s wrote you a personal thank-you note") % {
        "sender": params["sender"],
        "space": params["space"],
    }


class RecognitionConfig(AppConfig):
    name = "sammen.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from sammen.accounts import hooks
        from sammen.audit.registry import register_audit_actions
        from sammen.notifications.kinds import register_notification

        from .actions import do_merge_recognition
        from .audit_actions import AuditAction
        from .queries import personal_recognition_data

        hooks.participant_mergers.append(do_merge_recognition)
        hooks.personal_data_sections.append(personal_recognition_data)
        register_notification("badge_awarded", describe_badge_awarded)
        register_notification("reward_granted", describe_reward_granted)
        register_notification("thank_you", describe_thank_you)
        register_audit_actions(AuditAction)
