from django.urls import path

from . import views

app_name = "activities"

prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/"

urlpatterns = [
    path("s/<slug:space_slug>/new/", views.new_activity, name="new"),
    path(prefix, views.activity_detail, name="detail"),
    path(f"{prefix}settings/", views.edit_activity, name="settings"),
    path(f"{prefix}brief/", views.edit_brief, name="brief"),
    path(f"{prefix}brief/check/", views.check_brief, name="check_brief"),
    path(f"{prefix}phase/", views.change_phase, name="phase"),
    path(f"{prefix}close/", views.confirm_closing, name="close"),
    path(f"{prefix}answer/", views.answer_activity, name="answer"),
    path(f"{prefix}results/", views.record_results, name="results"),
    path(f"{prefix}delete/", views.delete_activity, name="delete"),
]
