"""The project's URLs and the test-only sample kind's discussion, for the engine's tests."""

from django.urls import include, path

from sammen.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("", include("sammen.activities.tests.sample_kind.urls")),
]
