from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("s/<slug:space_slug>/insights/", views.space_insights_page, name="space"),
    path("s/<slug:space_slug>/insights/insights.csv", views.insights_csv, name="csv"),
    path("s/<slug:space_slug>/insights/insights.json", views.insights_json, name="json"),
    path("s/<slug:space_slug>/insights/refresh/", views.refresh_insights, name="refresh"),
    path("s/<slug:space_slug>/insights/minutes/", views.edit_minutes, name="minutes"),
]
