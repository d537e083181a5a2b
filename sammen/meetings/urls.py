from django.urls import path

from .views import answers, checkin, organiser, registration
from .views import design as design_views
from .views import follow_up as follow_up_views
from .views import return_report as return_views

app_name = "meetings"

# Kinds share the URLs under an activity: these must not collide with those of
# activities and the other kinds. A meeting's own start with meeting/, programme/,
# registration/, sessions/, follow-up/ or return/.
prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/"

urlpatterns = [
    # The planner's settings and design.
    path(f"{prefix}meeting/", organiser.meeting_settings, name="settings"),
    # The design: objectives, the programme (and its calendar files), costs.
    path(f"{prefix}meeting/objectives/", design_views.meeting_objectives, name="objectives"),
    path(
        f"{prefix}meeting/objectives/<id:objective_id>/",
        design_views.edit_objective,
        name="edit_objective",
    ),
    path(
        f"{prefix}meeting/objectives/<id:objective_id>/change/",
        design_views.change_objective,
        name="change_objective",
    ),
    path(f"{prefix}programme/", design_views.meeting_programme, name="programme"),
    path(f"{prefix}programme/meeting.ics", design_views.meeting_ics, name="meeting_ics"),
    path(f"{prefix}programme/<id:session_id>/", design_views.edit_session, name="edit_session"),
    path(
        f"{prefix}programme/<id:session_id>/delete/",
        design_views.delete_session,
        name="delete_session",
    ),
    path(
        f"{prefix}programme/<id:session_id>/session.ics",
        design_views.session_ics,
        name="session_ics",
    ),
    path(f"{prefix}meeting/costs/", design_views.meeting_costs, name="costs"),
    path(f"{prefix}meeting/costs/<id:cost_id>/", design_views.edit_cost, name="edit_cost"),
    path(
        f"{prefix}meeting/costs/<id:cost_id>/delete/", design_views.delete_cost, name="delete_cost"
    ),
    path(f"{prefix}meeting/costs/benefits/", design_views.add_intangible, name="add_intangible"),
    path(
        f"{prefix}meeting/costs/benefits/<id:intangible_id>/delete/",
        design_views.delete_intangible,
        name="delete_intangible",
    ),
    # Registration and check-in.
    path(f"{prefix}registration/", registration.register, name="register"),
    path(
        f"{prefix}registration/confirm/<str:token>/",
        registration.confirm_registration,
        name="confirm_registration",
    ),
    path(f"{prefix}registration/yours/", registration.your_registration, name="your_registration"),
    path(f"{prefix}registration/ticket/<str:token>/", registration.ticket, name="ticket"),
    path(
        f"{prefix}registration/ticket/<str:token>/resend/",
        registration.resend_confirmation,
        name="resend_confirmation",
    ),
    path(
        f"{prefix}registration/ticket/<str:token>/cancel/",
        registration.cancel_registration,
        name="cancel_registration",
    ),
    path(f"{prefix}registration/list/", checkin.registrations, name="registrations"),
    path(f"{prefix}registration/list.csv", checkin.registrations_csv, name="registrations_csv"),
    path(f"{prefix}check-in/", checkin.check_in, name="check_in"),
    path(
        f"{prefix}check-in/<id:registration_id>/",
        checkin.check_in_attendee,
        name="check_in_attendee",
    ),
    path(f"{prefix}check-in/scan/", checkin.scan, name="scan"),
    path(f"{prefix}check-in/code/", checkin.check_in_code, name="check_in_code"),
    # During and after: ratings, planned actions, learning, follow-ups.
    path(f"{prefix}sessions/yours/", answers.your_answers, name="your_answers"),
    path(
        f"{prefix}sessions/<id:session_id>/live/",
        answers.add_live_session,
        name="add_live_session",
    ),
    path(f"{prefix}sessions/<str:token>/", answers.meeting_answers, name="answers"),
    path(f"{prefix}sessions/<str:token>/plan/", answers.plan_action, name="plan_action"),
    path(
        f"{prefix}sessions/<str:token>/<id:session_id>/",
        answers.rate_session,
        name="rate_session",
    ),
    path(f"{prefix}learning/<str:token>/", answers.learning_before, name="learning"),
    path(
        f"{prefix}learning/<str:token>/<id:objective_id>/",
        answers.answer_learning,
        name="answer_learning",
    ),
    path(f"{prefix}follow-up/<str:token>/", follow_up_views.follow_up, name="follow_up"),
    # The return.
    path(f"{prefix}return/", return_views.return_report, name="return"),
    path(
        f"{prefix}return/impact/<id:objective_id>/",
        return_views.record_impact,
        name="record_impact",
    ),
    path(
        f"{prefix}return/sessions/<id:session_id>/comments/",
        return_views.list_session_comments,
        name="session_comments",
    ),
    path(f"{prefix}return/return.csv", return_views.export_return_csv, name="return_csv"),
    path(f"{prefix}return/return.json", return_views.export_return_json, name="return_json"),
]
