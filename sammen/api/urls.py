from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<id:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("api/docs/", views.api_docs, name="docs"),
]
