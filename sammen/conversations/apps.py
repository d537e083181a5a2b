from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "sammen.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from . import reportables
        from .kind import connect

        connect()
        reportables.connect()
