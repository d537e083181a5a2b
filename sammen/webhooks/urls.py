from django.urls import path

from . import views

app_name = "webhooks"

webhook = "s/<slug:space_slug>/webhooks/<id:webhook_id>/"

urlpatterns = [
    path("s/<slug:space_slug>/webhooks/", views.webhook_list, name="list"),
    path(webhook, views.webhook_detail, name="detail"),
    path(f"{webhook}secret/", views.show_secret, name="secret"),
    path(f"{webhook}events/", views.update_webhook, name="update"),
    path(f"{webhook}ping/", views.ping_webhook, name="ping"),
    path(f"{webhook}enable/", views.enable_webhook, name="enable"),
    path(f"{webhook}disable/", views.disable_webhook, name="disable"),
    path(f"{webhook}delete/", views.delete_webhook, name="delete"),
    path(f"{webhook}deliveries/<id:delivery_id>/redeliver/", views.redeliver, name="redeliver"),
]
