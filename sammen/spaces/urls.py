from django.urls import path

from . import views

app_name = "spaces"

urlpatterns = [
    path("spaces/", views.directory, name="directory"),
    path("spaces/new/", views.create_space, name="create"),
    path("s/<slug:space_slug>/", views.space_home, name="home"),
    path("s/<slug:space_slug>/settings/", views.edit_space, name="edit"),
    path("s/<slug:space_slug>/settings/sso/", views.require_sso, name="require_sso"),
    path("s/<slug:space_slug>/delete/", views.delete_space, name="delete"),
    path("s/<slug:space_slug>/join/", views.join_space, name="join"),
    path("s/<slug:space_slug>/leave/", views.leave_space, name="leave"),
    path("s/<slug:space_slug>/members/", views.members, name="members"),
    path(
        "s/<slug:space_slug>/members/<id:membership_id>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "s/<slug:space_slug>/members/<id:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("s/<slug:space_slug>/invites/", views.invites, name="invites"),
    path(
        "s/<slug:space_slug>/invites/<id:invite_id>/revoke/",
        views.revoke_invite,
        name="revoke_invite",
    ),
    path("invite/<str:token>/", views.invite, name="invite"),
]
