from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    name = "sammen.journeys"
    label = "journeys"
    verbose_name = _("Journeys")

    def ready(self) -> None:
        from sammen.api.registry import register_api_router
        from sammen.audit.registry import register_audit_actions
        from sammen.recognition.registry import register_deeds

        from . import contributions, notices_figures, reportables
        from .api import router
        from .audit_actions import AuditAction
        from .deeds import JOURNEY_DEEDS
        from .kind import connect
        from .notices import register_notifications
        from .notices_rating import connect as connect_rating_notices

        connect()
        contributions.connect()
        connect_rating_notices()
        notices_figures.connect()
        register_audit_actions(AuditAction)
        reportables.connect()
        register_notifications()
        register_deeds(*JOURNEY_DEEDS)
        register_api_router("", router, tag="Journeys")
