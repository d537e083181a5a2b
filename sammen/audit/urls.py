from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("s/<slug:space_slug>/audit/", views.audit_log, name="log"),
]
