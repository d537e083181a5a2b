from django.urls import path

from . import views

app_name = "moderation"

activity = "s/<slug:space_slug>/a/<slug:activity_slug>/"
moderation = "s/<slug:space_slug>/moderation/"

urlpatterns = [
    path(f"{activity}ideas/<int:idea_id>/report/", views.report_idea, name="report_idea"),
    path(
        f"{activity}comments/<int:comment_id>/report/",
        views.report_comment,
        name="report_comment",
    ),
    path(
        f"{activity}statements/<int:statement_id>/report/",
        views.report_statement,
        name="report_statement",
    ),
    path(moderation, views.queue, name="queue"),
    path(f"{moderation}ideas/<int:idea_id>/hide/", views.hide_idea, name="hide_idea"),
    path(f"{moderation}ideas/<int:idea_id>/restore/", views.restore_idea, name="restore_idea"),
    path(f"{moderation}comments/<int:comment_id>/hide/", views.hide_comment, name="hide_comment"),
    path(
        f"{moderation}comments/<int:comment_id>/restore/",
        views.restore_comment,
        name="restore_comment",
    ),
    path(
        f"{moderation}statements/<int:statement_id>/hide/",
        views.hide_statement,
        name="hide_statement",
    ),
    path(
        f"{moderation}statements/<int:statement_id>/restore/",
        views.restore_statement,
        name="restore_statement",
    ),
    path(
        f"{moderation}reports/<int:report_id>/dismiss/",
        views.dismiss_report,
        name="dismiss_report",
    ),
    path(
        f"{moderation}members/<int:membership_id>/block/", views.block_member, name="block_member"
    ),
    path(f"{moderation}blocks/<int:block_id>/unblock/", views.unblock_member, name="unblock"),
]
