from django.urls import path

from .views import organiser, results, room, stream

app_name = "live"

prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/live/"
code = "live/<str:code>/"

urlpatterns = [
    path("join/", room.join_page, name="join"),
    path("j/<str:code>", room.short_link, name="short"),
    path(code, room.room, name="room"),
    path(f"{code}join/", room.join, name="join_session"),
    path(f"{code}name/", room.rename, name="rename"),
    path(f"{code}questions/", room.ask, name="ask"),
    path(f"{code}questions/<id:question_id>/upvote/", room.upvote, name="upvote"),
    path(f"{code}polls/<id:poll_id>/answer/", room.answer, name="answer"),
    path(f"{code}react/", room.react, name="react"),
    path(f"{code}events/", stream.events, name="events"),
    path(prefix, organiser.setup, name="setup"),
    path(f"{prefix}code/", organiser.renew_code, name="renew_code"),
    path(f"{prefix}crew/", organiser.crew, name="crew"),
    path(f"{prefix}polls/new/", organiser.edit_poll, name="new_poll"),
    path(f"{prefix}polls/<id:poll_id>/", organiser.edit_poll, name="edit_poll"),
    path(f"{prefix}polls/<id:poll_id>/move/", organiser.move_poll, name="move_poll"),
    path(f"{prefix}polls/<id:poll_id>/<slug:step>/", organiser.control_poll, name="control_poll"),
    path(f"{prefix}show/", organiser.show, name="show"),
    path(f"{prefix}present/", organiser.present, name="present"),
    path(f"{prefix}moderate/", organiser.moderate, name="moderate"),
    path(f"{prefix}moderate/questions/", organiser.moderate_questions, name="moderate_questions"),
    path(f"{prefix}questions/<id:question_id>/reply/", organiser.reply, name="reply"),
    path(f"{prefix}questions/lock/", organiser.lock_questions, name="lock_questions"),
    path(f"{prefix}answers/<id:response_id>/", organiser.moderate_answer, name="moderate_answer"),
    path(f"{prefix}results/", results.results, name="results"),
    path(f"{prefix}results/polls.csv", results.export_csv, name="export_csv"),
    path(f"{prefix}results/results.json", results.export_json, name="export_json"),
]
