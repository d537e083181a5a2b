from django.urls import path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("a/<str:token>/", views.space_link, name="space_link"),
    path("a/<str:token>/<str:activity_slug>/", views.activity_link, name="link"),
    path("s/<slug:space_slug>/ambassadors/", views.ambassadors, name="list"),
    path("s/<slug:space_slug>/ambassadors/invite/", views.invite_ambassador, name="invite"),
    path(
        "s/<slug:space_slug>/ambassadors/<id:ambassador_id>/withdraw/",
        views.withdraw_ambassador,
        name="withdraw",
    ),
    path("s/<slug:space_slug>/ambassador/", views.my_links, name="mine"),
    path("s/<slug:space_slug>/ambassador/answer/", views.answer_invitation, name="answer"),
]
