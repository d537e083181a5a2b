from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sammen.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from sammen.accounts import hooks

        from .queries import personal_token_data

        hooks.personal_data_sections.append(personal_token_data)
