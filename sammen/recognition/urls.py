from django.urls import path

from . import rewards_views, views

app_name = "recognition"

person = "s/<slug:space_slug>/people/<uuid:public_id>/"

urlpatterns = [
    path("people/<uuid:public_id>/", views.person_profile, name="profile"),
    path("people/<uuid:public_id>/badges/", views.award_badge, name="award_badge"),
    path(
        "people/<uuid:public_id>/badges/<id:badge_id>/revoke/",
        views.revoke_badge,
        name="revoke_badge",
    ),
    path("s/<slug:space_slug>/rewards/", rewards_views.rewards, name="rewards"),
    path("s/<slug:space_slug>/rewards/new/", rewards_views.state_reward, name="state_reward"),
    path(person, rewards_views.person, name="person_in_space"),
    path(f"{person}reward/", rewards_views.grant_reward, name="grant_reward"),
    path(f"{person}thank/", rewards_views.send_thank_you, name="send_thank_you"),
    path("thank-yous/", rewards_views.my_thank_yous, name="thank_yous"),
]
