"""Reads for organisers: statements to moderate, their counts, similar statements."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Conversation, Statement, StatementState
from ..permissions import ConversationAccess
from ..similarity import most_similar

MODERATION_PAGE_SIZE = 50
MODERATION_FILTERS = {
    "pending": _("Waiting for approval"),
    "unreviewed": _("Shown, not yet reviewed"),
    "shown": _("Shown"),
    "hidden": _("Hidden"),
    "all": _("All"),
}


def similar_statements(
    access: ConversationAccess, text: str, *, exclude: int | None = None
) -> list[Statement]:
    """Return the statements already in the conversation that read much like `text`."""
    visible = Q(state=StatementState.SHOWN)
    if access.participant is not None:
        visible |= Q(state=StatementState.PENDING, author=access.participant)
    candidates = Statement.objects.filter(visible, conversation=access.conversation).only(
        "pk", "text", "number", "state"
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    return [
        statement for statement, _score in most_similar(text, ((s, s.text) for s in candidates))
    ]


def statements_for_moderation(
    conversation: Conversation, show: str, *, number: int | None = None
) -> QuerySet[Statement]:
    """Return the statements an organiser reviews, with their votes counted, newest first;
    only the one with `number` when given (the moderation queue links to it)."""
    statements = Statement.objects.filter(conversation=conversation)
    if number is not None:
        statements = statements.filter(number=number)
    if show == "pending":
        statements = statements.filter(state=StatementState.PENDING)
    elif show == "unreviewed":
        statements = statements.filter(state=StatementState.SHOWN, reviewed_at__isnull=True)
    elif show == "shown":
        statements = statements.filter(state=StatementState.SHOWN)
    elif show == "hidden":
        statements = statements.filter(state=StatementState.HIDDEN)
    return (
        statements.select_related("author__user")
        .annotate(
            agree_count=Count("votes", filter=Q(votes__value=1)),
            disagree_count=Count("votes", filter=Q(votes__value=-1)),
            pass_count=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("-created_at", "-number")
    )


def moderation_counts(conversation: Conversation) -> dict[str, int]:
    counts = Statement.objects.filter(conversation=conversation).aggregate(
        pending=Count("pk", filter=Q(state=StatementState.PENDING)),
        unreviewed=Count("pk", filter=Q(state=StatementState.SHOWN, reviewed_at__isnull=True)),
        shown=Count("pk", filter=Q(state=StatementState.SHOWN)),
        hidden=Count("pk", filter=Q(state=StatementState.HIDDEN)),
        all=Count("pk"),
    )
    return {key: int(value) for key, value in counts.items()}
