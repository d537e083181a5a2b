"""What people may report in an open call: ideas, and the comments in their discussions."""

from collections.abc import Collection

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.comments.actions import do_hide_comment, do_restore_comment
from sammen.comments.models import Comment
from sammen.moderation.registry import (
    Description,
    Hidden,
    Reportable,
    ReportPlace,
    locking,
    register_reportable,
)
from sammen.spaces.models import Space

from .actions import do_hide_idea, do_restore_idea
from .discussion import comment_url
from .models import Idea
from .permissions import (
    access_call,
    access_comment_to_moderate,
    access_idea,
    access_idea_to_moderate,
    access_reportable_comment,
)

IDEA_RELATIONS = ("call__activity__space", "author__user", "hidden_by")
COMMENT_RELATIONS = ("thread__idea__call__activity__space", "author__user", "hidden_by")


def hidden_of(target: Idea | Comment) -> Hidden | None:
    if target.hidden_at is None:
        return None
    return Hidden(at=target.hidden_at, by=target.hidden_by, reason=target.hidden_reason)


def idea_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, idea_id: int
) -> ReportPlace[Idea]:
    access = access_call(request, space_slug, activity_slug)
    idea = access_idea(access, idea_id)
    return ReportPlace(access.activity_access, idea, idea.get_absolute_url(), idea.title)


def ideas_in_bulk(ids: Collection[int]) -> dict[int, Idea]:
    return Idea.objects.select_related(*IDEA_RELATIONS).in_bulk(ids)


def hidden_ideas(space: Space, limit: int) -> list[Idea]:
    return list(
        Idea.objects.filter(call__activity__space=space, hidden_at__isnull=False)
        .select_related(*IDEA_RELATIONS)
        .order_by("-hidden_at")[:limit]
    )


def describe_idea(idea: Idea) -> Description:
    return Description(
        activity=idea.call.activity,
        url=idea.get_absolute_url(),
        link_text=idea.title,
        link_text_is_content=True,
        excerpt=idea.body,
        title=idea.title,
        author=idea.author,
        # Blind calls keep an idea's author from the organisers too, until it is answered.
        show_author=not idea.author_is_hidden(),
        hidden_author_note=_("By an anonymous author (blind call)"),
    )


def comment_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, comment_id: int
) -> ReportPlace[Comment]:
    access = access_call(request, space_slug, activity_slug)
    comment = access_reportable_comment(access, comment_id)
    idea = comment.thread.idea
    return ReportPlace(access.activity_access, comment, comment_url(comment, idea), idea.title)


def comments_in_bulk(ids: Collection[int]) -> dict[int, Comment]:
    return Comment.objects.select_related(*COMMENT_RELATIONS).in_bulk(ids)


def hidden_comments(space: Space, limit: int) -> list[Comment]:
    return list(
        Comment.objects.filter(
            thread__space=space, thread__idea__isnull=False, hidden_at__isnull=False
        )
        .select_related(*COMMENT_RELATIONS)
        .order_by("-hidden_at")[:limit]
    )


def describe_comment(comment: Comment) -> Description:
    idea = comment.thread.idea
    return Description(
        activity=idea.call.activity,
        url=comment_url(comment, idea),
        link_text=_("Comment on “%(title)s”") % {"title": idea.title},
        link_text_is_content=True,
        excerpt=comment.body,
        author=comment.author,
        show_author=comment.author is not None,
        gone_note=_("Its author deleted this comment.") if comment.deleted_at is not None else "",
    )


def connect() -> None:
    register_reportable(
        Reportable(
            type_name="idea",
            model=Idea,
            label=gettext_lazy("Idea"),
            report_heading=gettext_lazy("Report this idea"),
            access_for_report=idea_to_report,
            access_for_moderator=access_idea_to_moderate,
            in_bulk=ideas_in_bulk,
            hidden_in=hidden_ideas,
            space_id_of=lambda idea: idea.call.activity.space_id,
            hidden=hidden_of,
            out_of_view=lambda idea: idea.hidden_at is not None,
            lock=locking("hidden_at"),
            hide=do_hide_idea,
            restore=do_restore_idea,
            describe=describe_idea,
        )
    )
    register_reportable(
        Reportable(
            type_name="comment",
            model=Comment,
            label=gettext_lazy("Comment"),
            report_heading=gettext_lazy("Report this comment"),
            access_for_report=comment_to_report,
            access_for_moderator=access_comment_to_moderate,
            in_bulk=comments_in_bulk,
            hidden_in=hidden_comments,
            space_id_of=lambda comment: comment.thread.space_id,
            hidden=hidden_of,
            out_of_view=lambda comment: not comment.is_visible,
            lock=locking("hidden_at"),
            hide=do_hide_comment,
            restore=do_restore_comment,
            describe=describe_comment,
        )
    )
