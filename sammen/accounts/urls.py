from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.edit_profile, name="profile"),
    path("data/", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete"),
]
