from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sammen.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from sammen.accounts import hooks

        from .queries import personal_notification_data

        hooks.personal_data_sections.append(personal_notification_data)
