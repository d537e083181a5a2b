from django.urls import path

from . import views
from .registry import reportables

app_name = "moderation"

activity = "s/<slug:space_slug>/a/<slug:activity_slug>/"
moderation = "s/<slug:space_slug>/moderation/"

urlpatterns = [
    *[
        path(
            f"{activity}{reportable.segment}/<id:target_id>/report/",
            views.report,
            {"kind": reportable.type_name},
            name=f"report_{reportable.type_name}",
        )
        for reportable in reportables()
    ],
    path(moderation, views.queue, name="queue"),
    *[
        path(
            f"{moderation}{reportable.segment}/<id:target_id>/{step}/",
            view,
            {"kind": reportable.type_name},
            name=f"{step}_{reportable.type_name}",
        )
        for reportable in reportables()
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
