from django.urls import path

from sammen.comments import views as comments

from .discussion import comment_in_call, discussion_of_idea
from .views import ideas, organiser, report, support

app_name = "calls"

prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/"
idea = f"{prefix}ideas/<id:idea_id>/"
comment = f"{prefix}comments/<id:comment_id>/"
# The discussion under an idea is the comments engine's, found through the call's access.
under_idea = {"find_discussion": discussion_of_idea}
in_call = {"find_comment": comment_in_call}

urlpatterns = [
    path("media/ideas/<str:name>", ideas.idea_image, name="idea_image"),
    path(f"{prefix}ideas/", ideas.idea_list, name="ideas"),
    path(f"{prefix}ideas/new/", ideas.submit_idea, name="submit"),
    path(f"{prefix}ideas/new/co-authors/", ideas.find_co_authors, name="find_co_authors"),
    path(f"{prefix}follow/", ideas.follow_call, name="follow_call"),
    path(idea, ideas.idea_detail, name="idea"),
    path(f"{idea}edit/", ideas.edit_idea, name="edit_idea"),
    path(f"{idea}withdraw/", ideas.withdraw_idea, name="withdraw_idea"),
    path(f"{idea}co-author/", ideas.respond_to_co_authorship, name="co_author"),
    path(f"{idea}follow/", ideas.follow_idea, name="follow_idea"),
    path(f"{idea}support/", support.support_idea, name="support"),
    path(f"{idea}support/email/", support.support_email, name="support_email"),
    path(f"{prefix}support/confirm/<str:token>/", support.confirm_support, name="confirm_support"),
    path(f"{idea}comments/", comments.add_comment, under_idea, name="comment"),
    path(f"{comment}edit/", comments.edit_comment, in_call, name="edit_comment"),
    path(f"{comment}delete/", comments.delete_comment, in_call, name="delete_comment"),
    path(f"{comment}helpful/", comments.mark_helpful, in_call, name="helpful"),
    path(f"{prefix}call/", organiser.call_rules, name="settings"),
    path(f"{prefix}call/stages/", organiser.call_schedule, name="schedule"),
    path(f"{prefix}call/jury/", organiser.call_jury, name="jury"),
    path(f"{prefix}answers/", organiser.answer_list, name="answers"),
    path(f"{idea}answer/", organiser.answer_idea, name="answer_idea"),
    path(f"{idea}score/", organiser.score_idea, name="score"),
    path(f"{prefix}report/", report.closing_report, name="report"),
    path(f"{prefix}report/ideas.csv", report.export_csv, name="export_csv"),
    path(f"{prefix}report/report.json", report.export_json, name="export_json"),
]
