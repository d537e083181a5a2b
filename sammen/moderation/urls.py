from django.urls import path

from . import views

app_name = "moderation"

activity = "s/<slug:space_slug>/a/<slug:activity_slug>/"
moderation = "s/<slug:space_slug>/moderation/"

urlpatterns = [
    path(f"{activity}ideas/<id:idea_id>/report/", views.report_idea, name="report_idea"),
    path(
        f"{activity}comments/<id:comment_id>/report/",
        views.report_comment,
        name="report_comment",
    ),
    path(
        f"{activity}statements/<id:statement_id>/report/",
        views.report_statement,
        name="report_statement",
    ),
    path(moderation, views.queue, name="queue"),
    *[
        path(
            f"{moderation}{kind}s/<id:target_id>/{step}/",
            view,
            {"kind": kind},
            name=f"{step}_{kind}",
        )
        for kind in ("idea", "comment", "statement")
        for step, view in (("hide", views.hide), ("restore", views.restore))
    ],
    path(
        f"{moderation}reports/<id:report_id>/dismiss/",
        views.dismiss_report,
        name="dismiss_report",
    ),
    path(f"{moderation}members/<id:membership_id>/block/", views.block_member, name="block_member"),
    path(f"{moderation}blocks/<id:block_id>/unblock/", views.unblock_member, name="unblock"),
]
