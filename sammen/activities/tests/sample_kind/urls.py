"""The sample kind's discussion URLs: the comments engine's views, with the sample's access.

Not in the project's URLconf: tests that need them use `sammen.comments.tests.urls`.
"""

from django.urls import path

from sammen.comments import views as comments

from .discussion import comment_of_sample, discussion_of_sample, discussion_page

app_name = "sample_kind"

prefix = "s/<slug:space_slug>/a/<slug:activity_slug>/sample/"
comment = f"{prefix}comments/<id:comment_id>/"
in_sample = {"find_discussion": discussion_of_sample}
of_sample = {"find_comment": comment_of_sample}

urlpatterns = [
    path(prefix, discussion_page, name="discussion"),
    path(f"{prefix}comments/", comments.add_comment, in_sample, name="comment"),
    path(f"{comment}edit/", comments.edit_comment, of_sample, name="edit_comment"),
    path(f"{comment}delete/", comments.delete_comment, of_sample, name="delete_comment"),
    path(f"{comment}helpful/", comments.mark_helpful, of_sample, name="helpful"),
]
