from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sammen.core"
    label = "core"
