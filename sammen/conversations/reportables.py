"""What people may report in a conversation: its statements.

A statement has no hidden_at of its own: it is hidden when its state says so, and
`reviewed_at`/`reviewed_by` tell when and by whom.
"""

from collections.abc import Collection

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.moderation.registry import (
    Description,
    Hidden,
    Reportable,
    ReportPlace,
    locking,
    register_reportable,
)
from sammen.spaces.models import Space

from .actions import do_hide_statement, do_restore_statement
from .models import Statement, StatementState
from .permissions import access_conversation, access_statement, access_statement_to_moderate

STATEMENT_RELATIONS = ("conversation__activity__space", "author__user", "reviewed_by")


def statement_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, statement_id: int
) -> ReportPlace[Statement]:
    access = access_conversation(request, space_slug, activity_slug)
    statement = access_statement(access, statement_id)
    back_url = f"{access.activity.get_absolute_url()}#take-part"
    return ReportPlace(access.activity_access, statement, back_url, access.activity.title)


def statements_in_bulk(ids: Collection[int]) -> dict[int, Statement]:
    return Statement.objects.select_related(*STATEMENT_RELATIONS).in_bulk(ids)


def hidden_statements(space: Space, limit: int) -> list[Statement]:
    """Return the hidden statements, rejected ones that nobody saw too."""
    return list(
        Statement.objects.filter(conversation__activity__space=space, state=StatementState.HIDDEN)
        .select_related(*STATEMENT_RELATIONS)
        .order_by("-reviewed_at")[:limit]
    )


def hidden_statement(statement: Statement) -> Hidden | None:
    if statement.state != StatementState.HIDDEN:
        return None
    return Hidden(
        at=statement.reviewed_at, by=statement.reviewed_by, reason=statement.hidden_reason
    )


def describe_statement(statement: Statement) -> Description:
    """Link organisers to the statement on its conversation's statements page, where they
    moderate it."""
    activity = statement.conversation.activity
    url = reverse("conversations:statements", args=[activity.space.slug, activity.slug])
    return Description(
        activity=activity,
        url=f"{url}?number={statement.number}#statement-{statement.pk}",
        link_text=_("Statement %(number)s, on the conversation's statements page")
        % {"number": statement.number},
        link_text_is_content=False,
        excerpt=statement.text,
        author=statement.author,
        show_author=statement.author is not None,
    )


def connect() -> None:
    register_reportable(
        Reportable(
            type_name="statement",
            model=Statement,
            label=gettext_lazy("Statement"),
            report_heading=gettext_lazy("Report this statement"),
            access_for_report=statement_to_report,
            access_for_moderator=access_statement_to_moderate,
            in_bulk=statements_in_bulk,
            hidden_in=hidden_statements,
            space_id_of=lambda statement: statement.conversation.activity.space_id,
            hidden=hidden_statement,
            out_of_view=lambda statement: statement.state != StatementState.SHOWN,
            lock=locking("state"),
            # Hiding also takes it out of the opinion map, and records it in the audit log.
            hide=do_hide_statement,
            restore=do_restore_statement,
            describe=describe_statement,
        )
    )
