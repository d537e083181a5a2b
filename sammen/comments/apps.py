from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "sammen.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from sammen.accounts import hooks
        from sammen.audit.registry import register_audit_actions
        from sammen.recognition.registry import register_deeds

        from .actions import do_merge_comments
        from .audit_actions import AuditAction
        from .deeds import COMMENT_HELPFUL, COMMENTED
        from .queries import personal_comment_data

        hooks.participant_mergers.append(do_merge_comments)
        hooks.personal_data_sections.append(personal_comment_data)
        register_deeds(COMMENTED, COMMENT_HELPFUL)
        register_audit_actions(AuditAction)
