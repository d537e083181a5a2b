"""Bringing a Pol.is open-data export into a space as a new conversation: all or nothing."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from .audit_actions import AuditAction
from .models import (
    DESCRIPTION_MAX_LENGTH,
    STORED_STATEMENT_MAX_LENGTH,
    Conversation,
    Moderation,
    Statement,
    StatementState,
    Vote,
    Voter,
)

if TYPE_CHECKING:
    from sammen.spaces.models import Space

    from .polis import PolisConversation

IMPORT_BATCH = 5000


def polis_moment(timestamp_ms: int | None, fallback: datetime) -> datetime:
    if timestamp_ms is None:
        return fallback
    return datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)


def check_polis_comments(data: "PolisConversation") -> None:
    """Refuse an export whose statements Sammen cannot hold, before anything is written."""
    if not data.comments:
        raise ActionRefused(
            _("comments.csv is missing or empty: the statements' texts are needed.")
        )
    for comment in data.comments.values():
        text = " ".join(comment.body.split())
        if not text:
            raise ActionRefused(
                _("comments.csv: comment %(id)s has no text.") % {"id": comment.statement_id}
            )
        if len(text) > STORED_STATEMENT_MAX_LENGTH:
            raise ActionRefused(
                _("comments.csv: comment %(id)s is longer than %(count)s characters.")
                % {"id": comment.statement_id, "count": STORED_STATEMENT_MAX_LENGTH}
            )
        if comment.statement_id < 0:
            raise ActionRefused(
                _("comments.csv: comment id %(id)s is negative.") % {"id": comment.statement_id}
            )
    unknown = set(data.votes.statement_ids.tolist()) - set(data.comments)
    if unknown:
        raise ActionRefused(
            _("The votes name comments that comments.csv does not have: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(unknown)[:10])}
        )
    if len(data.votes.participant_ids) and int(data.votes.participant_ids.min()) < 0:
        raise ActionRefused(_("The votes name a negative participant id."))


def do_import_polis(
    actor: User, space: "Space", data: "PolisConversation", *, title: str = ""
) -> Conversation:
    """Bring a Pol.is open-data export into the space as a new conversation (a draft).

    Statements keep their Pol.is comment ids as numbers and participants their Pol.is
    ids, so an export of the imported conversation lines up with the original. Pol.is
    participants become anonymous participants nobody can sign in as. All or nothing.
    """
    from sammen.activities.actions import do_create_activity
    from sammen.activities.models import TITLE_MAX_LENGTH

    check_polis_comments(data)
    title = " ".join((title or data.summary.get("topic", "") or "").split())
    title = (title or _("Conversation imported from Pol.is"))[:TITLE_MAX_LENGTH]
    now = timezone.now()
    pids, tids, values = data.votes.triplets()
    author_ids = {c.author_id for c in data.comments.values() if c.author_id is not None}
    everyone = sorted(set(data.votes.participant_ids.tolist()) | author_ids)
    first_vote: dict[int, int] = {}
    for (number, _statement), moment in data.vote_times.items():
        first_vote[number] = min(moment, first_vote.get(number, moment))
    with transaction.atomic():
        activity = do_create_activity(actor, space, title=title, kind="conversation")
        conversation = activity.conversation
        conversation.description = data.summary.get("conversation-description", "")[
            :DESCRIPTION_MAX_LENGTH
        ]
        conversation.moderation = Moderation.AFTER
        conversation.save(update_fields=["description", "moderation"])
        participants = Participant.objects.bulk_create(
            (Participant() for _number in everyone), batch_size=IMPORT_BATCH
        )
        participant_of = {
            number: participant.pk
            for number, participant in zip(everyone, participants, strict=True)
        }
        Voter.objects.bulk_create(
            (
                Voter(
                    conversation=conversation,
                    participant_id=participant_of[number],
                    number=number,
                    joined_at=polis_moment(first_vote.get(number), now),
                )
                for number in everyone
            ),
            batch_size=IMPORT_BATCH,
        )
        states = {1: StatementState.SHOWN, 0: StatementState.SHOWN, -1: StatementState.HIDDEN}
        statements = Statement.objects.bulk_create(
            (
                Statement(
                    conversation=conversation,
                    number=comment.statement_id,
                    text=" ".join(comment.body.split()),
                    author_id=participant_of.get(comment.author_id)
                    if comment.author_id is not None
                    else None,
                    is_seed=comment.is_seed,
                    is_meta=comment.is_meta,
                    state=states[comment.moderated],
                    created_at=polis_moment(comment.timestamp, now),
                    reviewed_at=now if comment.moderated != 0 else None,
                    reviewed_by=actor if comment.moderated != 0 else None,
                )
                for comment in sorted(data.comments.values(), key=lambda c: c.statement_id)
            ),
            batch_size=IMPORT_BATCH,
        )
        statement_of = {statement.number: statement.pk for statement in statements}
        Vote.objects.bulk_create(
            (
                Vote(
                    conversation=conversation,
                    statement_id=statement_of[tid],
                    participant_id=participant_of[pid],
                    value=int(value),
                    created_at=polis_moment(data.vote_times.get((pid, tid)), now),
                    updated_at=polis_moment(data.vote_times.get((pid, tid)), now),
                )
                for pid, tid, value in zip(
                    pids.tolist(), tids.tolist(), values.tolist(), strict=True
                )
            ),
            batch_size=IMPORT_BATCH,
        )
        do_log_audit_entry(
            actor,
            space,
            AuditAction.CONVERSATION_IMPORTED,
            activity,
            statements=len(statements),
            participants=len(everyone),
            votes=len(values),
            source=data.summary.get("url", ""),
        )
    return conversation
