from django.urls import path

from .views import comments, decisions, mapping, organiser, participate, report

app_name = "journeys"

# Kinds share the URLs under an activity: these must not collide with those of
# activities and the other kinds (the call has report/, ideas/; the conversation
# opinion-map/, statements/). A journey's own start with journey/ or touchpoints/.
prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/"
touchpoint = f"{prefix}touchpoints/<id:touchpoint_id>/"

urlpatterns = [
    # The organiser's settings and map.
    path(f"{prefix}journey/", organiser.journey_settings, name="settings"),
    path(f"{prefix}journey/waves/", organiser.start_wave, name="start_wave"),
    path(f"{prefix}journey/map/", mapping.journey_map_editor, name="map"),
    path(f"{prefix}journey/map/stages/", mapping.add_stage, name="add_stage"),
    path(f"{prefix}journey/map/stages/<id:stage_id>/", mapping.change_stage, name="change_stage"),
    path(
        f"{prefix}journey/map/stages/<id:stage_id>/touchpoints/",
        mapping.add_touchpoint,
        name="add_touchpoint",
    ),
    path(
        f"{prefix}journey/map/touchpoints/<id:touchpoint_id>/",
        mapping.edit_touchpoint,
        name="edit_touchpoint",
    ),
    path(
        f"{prefix}journey/map/touchpoints/<id:touchpoint_id>/change/",
        mapping.change_touchpoint,
        name="change_touchpoint",
    ),
    path(f"{prefix}journey/map/example/", mapping.apply_starter, name="apply_starter"),
    path(f"{prefix}journey/map/import/", mapping.import_map, name="import_map"),
    path(f"{prefix}journey/map/csv/", mapping.export_map, name="export_map"),
    # Rating, for participants.
    path(f"{prefix}journey/rate/", participate.rate_next, name="rate_next"),
    path(f"{touchpoint}rate/", participate.rate_touchpoint, name="rate"),
    path(f"{touchpoint}propose/", participate.propose_touchpoint, name="propose"),
    path(f"{prefix}journey/closing/", participate.closing_questions, name="closing"),
    path(f"{prefix}journey/thanks/", participate.thanks, name="thanks"),
    path(f"{prefix}journey/email/", participate.verify_email, name="verify_email"),
    path(f"{prefix}journey/email/<str:token>/", participate.confirm_email, name="confirm_email"),
    # The figures, decisions and exports.
    path(f"{prefix}journey/figures/", report.figures_page, name="figures"),
    path(
        f"{prefix}journey/figures/touchpoints.csv",
        report.export_touchpoints,
        name="export_touchpoints",
    ),
    path(f"{prefix}journey/figures/ratings.csv", report.export_ratings, name="export_ratings"),
    path(f"{prefix}journey/figures/figures.json", report.export_json, name="export_json"),
    path(f"{prefix}journey/figures/curve.svg", report.export_curve, name="export_curve"),
    path(f"{prefix}journey/figures/journey.mmd", report.export_mermaid, name="export_mermaid"),
    path(f"{touchpoint}decision/", decisions.decide, name="decide"),
    path(f"{touchpoint}comments/", comments.touchpoint_comments, name="comments"),
    path(f"{touchpoint}plans/", decisions.add_plan, name="add_plan"),
    path(f"{touchpoint}plans/<id:plan_id>/delete/", decisions.delete_plan, name="delete_plan"),
    path(f"{touchpoint}open-call/", decisions.open_call, name="open_call"),
]
