from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sammen.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import hooks, signals  # noqa: F401
        from .sso import personal_sso_data

        hooks.personal_data_sections.append(personal_sso_data)
