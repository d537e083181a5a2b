from django.urls import path, re_path

from . import views

app_name = "core"

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    # Ideas' images are served by the calls app, as their idea allows.
    re_path(r"^media/(?!ideas/)(?P<path>[A-Za-z0-9_./-]+)$", views.serve_media, name="media"),
]
