from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sammen.core"
    label = "core"

    def ready(self) -> None:
        from django.urls import register_converter

        from .http import IdConverter

        # Before any URLconf is read: every app's paths name their ids `<id:…>`.
        register_converter(IdConverter, "id")
