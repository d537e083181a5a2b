from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "sammen.calls"
    label = "calls"
    verbose_name = _("Open calls")

    def ready(self) -> None:
        from . import reportables
        from .kind import connect

        connect()
        reportables.connect()
