"""Every write of the conversations app: settings, statements, votes, moderation, maps."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.notifications.actions import do_notify
from sammen.spaces.queries import organisers_of
from sammen.webhooks.actions import emit

from . import maps, webhooks
from .audit_actions import AuditAction
from .models import (
    DESCRIPTION_MAX_LENGTH,
    HIDDEN_REASON_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    STORED_MAP_FORMAT,
    Conversation,
    Moderation,
    Participation,
    Statement,
    StatementState,
    StoredMap,
    Vote,
    Voter,
    VoteValue,
)
from .similarity import normalised

MAX_STATEMENTS_PER_DAY = 20
MAX_SEEDS_AT_ONCE = 100


def schedule_recompute_after_commit(conversation: Conversation) -> None:
    """Ask for a fresh map once this transaction is safe (debounced in tasks.py)."""
    from .tasks import schedule_recompute

    conversation_id = conversation.pk
    transaction.on_commit(lambda: schedule_recompute(conversation_id))


def do_setup_conversation(activity: Activity) -> Conversation:
    """Give an activity of the conversation kind its conversation, once."""
    conversation, _created = Conversation.objects.get_or_create(activity=activity)
    return conversation


def do_update_conversation(
    actor: User,
    conversation: Conversation,
    *,
    description: str,
    participation: str,
    moderation: str,
    participants_add_statements: bool,
    report_public: bool,
) -> None:
    """Save what the conversation asks, who may take part and how statements are moderated."""
    if participation not in Participation.values:
        raise ActionRefused(_("Choose who may take part."), field="participation")
    if moderation not in Moderation.values:
        raise ActionRefused(_("Choose how new statements are moderated."), field="moderation")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the question to %(count)s characters or fewer.")
            % {"count": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    conversation.description = description
    conversation.participation = participation
    conversation.moderation = moderation
    conversation.participants_add_statements = participants_add_statements
    conversation.report_public = report_public
    with transaction.atomic():
        conversation.save(
            update_fields=[
                "description",
                "participation",
                "moderation",
                "participants_add_statements",
                "report_public",
            ]
        )
        do_log_audit_entry(
            actor,
            conversation.activity.space,
            AuditAction.CONVERSATION_UPDATED,
            conversation.activity,
            participation=participation,
            moderation=moderation,
            report_public=report_public,
        )


def do_set_report_public(actor: User, conversation: Conversation, public: bool) -> None:
    """Make the conversation's report public, or take it back to the organisers only."""
    if conversation.report_public == public:
        return
    conversation.report_public = public
    with transaction.atomic():
        conversation.save(update_fields=["report_public"])
        do_log_audit_entry(
            actor,
            conversation.activity.space,
            AuditAction.CONVERSATION_UPDATED,
            conversation.activity,
            report_public=public,
        )


def clean_statement_text(text: str) -> str:
    """Return the statement on one line with single spaces; refuse it empty or too long."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ActionRefused(_("Write your statement first."), field="text")
    if len(cleaned) > STATEMENT_MAX_LENGTH:
        raise ActionRefused(
            _(
                "Keep a statement to %(limit)s characters or fewer: this one has %(count)s. "
                "One idea per statement is easier to vote on."
            )
            % {"limit": STATEMENT_MAX_LENGTH, "count": len(cleaned)},
            field="text",
        )
    return cleaned


def existing_texts(conversation: Conversation) -> dict[str, Statement]:
    """Return the conversation's statements by normalised text (hidden ones included)."""
    return {
        normalised(statement.text): statement
        for statement in Statement.objects.filter(conversation=conversation).only("pk", "text")
    }


def next_statement_number(conversation: Conversation) -> int:
    """Return the next free statement number. Call inside the transaction that uses it,
    after locking the conversation row (lock_conversation)."""
    highest = Statement.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
    return 1 if highest is None else highest + 1


def lock_conversation(conversation: Conversation) -> None:
    """Lock the conversation's row until the transaction ends: numbers are given one by one."""
    list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk"))


def organiser_participant(actor: User) -> Participant:
    participant = Participant.objects.filter(user=actor).first()
    if participant is None:
        participant = Participant.objects.create(user=actor)
    return participant


def do_seed_statements(
    actor: User, conversation: Conversation, texts: Sequence[str], *, meta: bool = False
) -> list[Statement]:
    """Add the organisers' own statements, shown at once, so the first visitors can vote."""
    cleaned = [clean_statement_text(text) for text in texts if text.strip()]
    if not cleaned:
        raise ActionRefused(_("Write at least one statement, one per line."), field="texts")
    if len(cleaned) > MAX_SEEDS_AT_ONCE:
        raise ActionRefused(
            _("Add at most %(count)s statements at once.") % {"count": MAX_SEEDS_AT_ONCE},
            field="texts",
        )
    known = existing_texts(conversation)
    seen: set[str] = set()
    for text in cleaned:
        key = normalised(text)
        if key in known or key in seen:
            raise ActionRefused(
                _("“%(text)s” is in the conversation already.") % {"text": text}, field="texts"
            )
        seen.add(key)
    author = organiser_participant(actor)
    now = timezone.now()
    with transaction.atomic():
        lock_conversation(conversation)
        number = next_statement_number(conversation)
        statements = Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=number + offset,
                text=text,
                author=author,
                is_seed=True,
                is_meta=meta,
                state=StatementState.SHOWN,
                created_at=now,
                reviewed_at=now,
                reviewed_by=actor,
            )
            for offset, text in enumerate(cleaned)
        )
        do_log_audit_entry(
            actor,
            conversation.activity.space,
            AuditAction.STATEMENTS_SEEDED,
            conversation.activity,
            count=len(statements),
        )
    return statements


def do_add_statement(author: Participant, conversation: Conversation, text: str) -> Statement:
    """Add a participant's statement, which they agree with (as in Pol.is).

    With moderation before, it waits for an organiser; otherwise it is shown at once
    and an organiser may hide it afterwards.
    """
    if not conversation.accepts_statements:
        raise ActionRefused(_("This conversation does not take new statements right now."))
    text = clean_statement_text(text)
    duplicate = existing_texts(conversation).get(normalised(text))
    if duplicate is not None:
        raise ActionRefused(
            _("This statement is in the conversation already. Vote on it instead."),
            field="text",
        )
    since = timezone.now() - timedelta(days=1)
    if (
        Statement.objects.filter(author=author, conversation=conversation, created_at__gte=since)
        .exclude(is_seed=True)
        .count()
        >= MAX_STATEMENTS_PER_DAY
    ):
        raise ActionRefused(_("You have added many statements today. Please come back tomorrow."))
    waits = conversation.moderation == Moderation.BEFORE
    now = timezone.now()
    with transaction.atomic():
        lock_conversation(conversation)
        others_waiting = Statement.objects.filter(
            conversation=conversation, state=StatementState.PENDING
        ).exists()
        statement = Statement.objects.create(
            conversation=conversation,
            number=next_statement_number(conversation),
            text=text,
            author=author,
            state=StatementState.PENDING if waits else StatementState.SHOWN,
            created_at=now,
        )
        record_vote(author, statement, VoteValue.AGREE, now)
        emit(
            conversation.activity.space_id,
            webhooks.STATEMENT_ADDED,
            partial(webhooks.statement_data, statement.pk),
        )
        if waits and not others_waiting:
            tell_organisers_statement_waits(conversation)
        if not waits:
            schedule_recompute_after_commit(conversation)
    return statement


def tell_organisers_statement_waits(conversation: Conversation) -> None:
    """Tell the organisers when the queue of statements to approve stops being empty."""
    from django.urls import reverse

    activity = conversation.activity
    url = reverse("conversations:statements", args=[activity.space.slug, activity.slug])
    people = list(organisers_of(activity.space_id))
    transaction.on_commit(
        lambda: do_notify(
            people, "statement_waiting", {"conversation": activity.title}, f"{url}?show=pending"
        )
    )


def join_conversation(
    conversation: Conversation, participant: Participant, when: datetime
) -> Voter:
    """Return the participant's number in the conversation, giving them the next one once."""
    voter = Voter.objects.filter(conversation=conversation, participant=participant).first()
    if voter is not None:
        return voter
    with transaction.atomic():
        lock_conversation(conversation)
        voter = Voter.objects.filter(conversation=conversation, participant=participant).first()
        if voter is not None:
            return voter
        highest = Voter.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
        return Voter.objects.create(
            conversation=conversation,
            participant=participant,
            number=0 if highest is None else highest + 1,
            joined_at=when,
        )


def record_vote(participant: Participant, statement: Statement, value: int, when: datetime) -> bool:
    """Store the participant's vote, or change it. Return True when it is their first on it.

    The unique constraint keeps one vote per participant and statement, whatever
    arrives at once: the loser of a race updates the row the winner created.
    """
    join_conversation(statement.conversation, participant, when)
    changed = Vote.objects.filter(statement=statement, participant=participant).update(
        value=value, updated_at=when
    )
    if changed:
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(
                conversation_id=statement.conversation_id,
                statement=statement,
                participant=participant,
                value=value,
                created_at=when,
                updated_at=when,
            )
    except IntegrityError:
        Vote.objects.filter(statement=statement, participant=participant).update(
            value=value, updated_at=when
        )
        return False
    return True


def do_vote(participant: Participant, statement: Statement, value: int) -> bool:
    """Agree (1), disagree (-1) or pass (0) on a shown statement of an open conversation.

    Voting again changes the vote; there is never more than one. Return True when it
    is the participant's first vote on the statement.
    """
    if value not in VoteValue.values:
        raise ActionRefused(_("Choose agree, disagree or pass."))
    conversation = statement.conversation
    if not conversation.accepts_votes:
        raise ActionRefused(_("This conversation is closed, so it takes no more votes."))
    current_state = (
        Statement.objects.filter(pk=statement.pk, conversation=conversation)
        .values_list("state", flat=True)
        .first()
    )
    if current_state != StatementState.SHOWN:
        raise ActionRefused(_("That statement is no longer in the conversation."))
    with transaction.atomic():
        first = record_vote(participant, statement, value, timezone.now())
        schedule_recompute_after_commit(conversation)
    return first


def check_hidden_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) > HIDDEN_REASON_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the reason to %(count)s characters or fewer.")
            % {"count": HIDDEN_REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def moderated(conversation: Conversation) -> None:
    """Note that the statements the math counts changed, and ask for a fresh map."""
    Conversation.objects.filter(pk=conversation.pk).update(statements_changed_at=timezone.now())
    schedule_recompute_after_commit(conversation)


def do_approve_statement(actor: User, statement: Statement) -> None:
    """Show a waiting statement, or mark a statement shown at once as reviewed."""
    if statement.state == StatementState.HIDDEN:
        raise ActionRefused(_("This statement is hidden. Restore it to show it again."))
    if statement.state == StatementState.SHOWN and statement.reviewed_at is not None:
        return
    was_waiting = statement.state == StatementState.PENDING
    conversation = statement.conversation
    with transaction.atomic():
        changed = Statement.objects.filter(pk=statement.pk, state=statement.state).update(
            state=StatementState.SHOWN, reviewed_at=timezone.now(), reviewed_by=actor
        )
        if not changed:
            raise ActionRefused(_("Another organiser has dealt with this statement already."))
        statement.refresh_from_db(fields=["state", "reviewed_at", "reviewed_by"])
        do_log_audit_entry(
            actor, conversation.activity.space, AuditAction.STATEMENT_APPROVED, statement
        )
        if was_waiting:
            moderated(conversation)
            author = statement.author.user if statement.author is not None else None
            if author is not None:
                url = conversation.activity.get_absolute_url()
                transaction.on_commit(
                    lambda: do_notify(
                        [author],
                        "statement_approved",
                        {"statement": statement.text, "conversation": conversation.activity.title},
                        url,
                        skip=actor,
                    )
                )


def do_hide_statement(actor: User, statement: Statement, reason: str = "") -> None:
    """Take a statement out of the conversation (and out of the map), saying why if you like."""
    reason = check_hidden_reason(reason)
    if statement.state == StatementState.HIDDEN:
        raise ActionRefused(_("This statement is hidden already."))
    conversation = statement.conversation
    with transaction.atomic():
        changed = Statement.objects.filter(pk=statement.pk, state=statement.state).update(
            state=StatementState.HIDDEN,
            reviewed_at=timezone.now(),
            reviewed_by=actor,
            hidden_reason=reason,
        )
        if not changed:
            raise ActionRefused(_("Another organiser has dealt with this statement already."))
        statement.refresh_from_db(fields=["state", "reviewed_at", "reviewed_by", "hidden_reason"])
        do_log_audit_entry(
            actor,
            conversation.activity.space,
            AuditAction.STATEMENT_HIDDEN,
            statement,
            reason=reason,
        )
        moderated(conversation)


def do_restore_statement(actor: User, statement: Statement) -> None:
    """Show a hidden statement again; its votes count again."""
    if statement.state != StatementState.HIDDEN:
        raise ActionRefused(_("This statement is not hidden."))
    conversation = statement.conversation
    with transaction.atomic():
        changed = Statement.objects.filter(pk=statement.pk, state=StatementState.HIDDEN).update(
            state=StatementState.SHOWN,
            reviewed_at=timezone.now(),
            reviewed_by=actor,
            hidden_reason="",
        )
        if not changed:
            raise ActionRefused(_("Another organiser has dealt with this statement already."))
        statement.refresh_from_db(fields=["state", "reviewed_at", "reviewed_by", "hidden_reason"])
        do_log_audit_entry(
            actor, conversation.activity.space, AuditAction.STATEMENT_RESTORED, statement
        )
        moderated(conversation)


def do_set_statement_meta(actor: User, statement: Statement, is_meta: bool) -> None:
    """Mark a statement as about the process (left out of the groups), or undo that."""
    if statement.is_meta == is_meta:
        return
    conversation = statement.conversation
    with transaction.atomic():
        statement.is_meta = is_meta
        statement.save(update_fields=["is_meta"])
        do_log_audit_entry(
            actor,
            conversation.activity.space,
            AuditAction.STATEMENT_META_CHANGED,
            statement,
            is_meta=is_meta,
        )
        moderated(conversation)


def do_recompute_opinion_map(conversation: Conversation) -> StoredMap | None:
    """Recompute the conversation's opinion map from its votes, warm-started, and store it.

    Runs in a background task (tasks.py), never in a request. Two workers may compute
    at once: the revision check stores only a map computed from the latest stored one,
    and returns None for the other.
    """
    stored = StoredMap.objects.filter(conversation=conversation).first()
    revision = stored.revision if stored is not None else 0
    started = timezone.now()
    computed = maps.compute(conversation, stored)
    opinion_map = computed.opinion_map
    fields = {
        "format": STORED_MAP_FORMAT,
        "computed_at": started,
        "inputs_until": computed.latest,
        "ready": opinion_map.ready,
        "reason": opinion_map.reason,
        "participant_count": len(opinion_map.participant_ids),
        "grouped_count": int((opinion_map.participant_groups >= 0).sum()),
        "vote_count": computed.vote_count,
        "seconds": round(computed.seconds, 4),
        "summary": computed.summary,
        "figures": computed.figures,
        "state": computed.state,
        "placement": computed.placement,
        "participants": computed.participants,
    }
    with transaction.atomic():
        if stored is None:
            try:
                with transaction.atomic():
                    stored = StoredMap.objects.create(
                        conversation=conversation, revision=1, **fields
                    )
            except IntegrityError:
                return None
        else:
            changed = StoredMap.objects.filter(pk=conversation.pk, revision=revision).update(
                revision=revision + 1, **fields
            )
            if not changed:
                return None
        statements = [
            Statement(pk=pk, priority=priority) for pk, priority in computed.priorities.items()
        ]
        Statement.objects.bulk_update(statements, ["priority"], batch_size=500)
    return StoredMap.objects.get(pk=conversation.pk)


def do_merge_conversation_participants(source: Participant, target: Participant) -> None:
    """Move an anonymous participant's votes and statements to the person's participant.

    Where both voted on the same statement, the later vote stays. The person keeps
    their number in a conversation they had joined already; otherwise they take the
    anonymous participant's.
    """
    from .tasks import schedule_recompute

    touched = set(Vote.objects.filter(participant=source).values_list("conversation_id", flat=True))
    theirs = {
        vote.statement_id: vote
        for vote in Vote.objects.filter(participant=target).only("pk", "statement_id", "updated_at")
    }
    for vote in Vote.objects.filter(participant=source):
        kept = theirs.get(vote.statement_id)
        if kept is None:
            vote.participant = target
            vote.save(update_fields=["participant"])
        elif vote.updated_at > kept.updated_at:
            Vote.objects.filter(pk=kept.pk).update(value=vote.value, updated_at=vote.updated_at)
            vote.delete()
        else:
            vote.delete()
    Statement.objects.filter(author=source).update(author=target)
    joined = set(Voter.objects.filter(participant=target).values_list("conversation_id", flat=True))
    Voter.objects.filter(participant=source).exclude(conversation_id__in=joined).update(
        participant=target
    )
    Voter.objects.filter(participant=source).delete()
    for conversation_id in touched:
        transaction.on_commit(partial(schedule_recompute, conversation_id))
