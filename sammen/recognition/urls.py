from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("people/<uuid:public_id>/", views.person_profile, name="profile"),
    path("people/<uuid:public_id>/badges/", views.award_badge, name="award_badge"),
    path(
        "people/<uuid:public_id>/badges/<id:badge_id>/revoke/",
        views.revoke_badge,
        name="revoke_badge",
    ),
]
