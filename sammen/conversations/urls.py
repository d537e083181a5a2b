from django.urls import path

from .views import organiser, participate, report

app_name = "conversations"

# Kinds share the URLs under an activity: these must not collide with those of
# activities and the other kinds (the open call has report/, ideas/, answers/...).
prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/"
statement = f"{prefix}statements/<id:statement_id>/"

urlpatterns = [
    path(f"{prefix}vote/", participate.vote, name="vote"),
    path(f"{prefix}your-votes/", participate.your_votes, name="your_votes"),
    path(f"{prefix}your-votes/<id:statement_id>/", participate.change_vote, name="change_vote"),
    path(f"{prefix}statements/new/", participate.add_statement, name="add_statement"),
    path(f"{prefix}statements/similar/", participate.similar, name="similar"),
    path(f"{prefix}email/", participate.verify_email, name="verify_email"),
    path(f"{prefix}email/<str:token>/", participate.confirm_email, name="confirm_email"),
    path(f"{prefix}conversation/", organiser.conversation_settings, name="settings"),
    path(f"{prefix}statements/", organiser.statements, name="statements"),
    path(f"{statement}moderate/", organiser.moderate_statement, name="moderate"),
    path(f"{prefix}opinion-map/recompute/", organiser.recompute, name="recompute"),
    path(f"{prefix}opinion-map/", report.report, name="report"),
    path(f"{prefix}opinion-map/visibility/", organiser.report_visibility, name="report_visibility"),
    path(f"{prefix}opinion-map/statements.csv", report.export_csv, name="export_csv"),
    path(f"{prefix}opinion-map/report.json", report.export_json, name="export_json"),
    path(f"{prefix}opinion-map/polis.zip", report.export_polis, name="export_polis"),
]
