"""Supports and the momentum they give an idea."""

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant
from sammen.core.errors import ActionRefused
from sammen.notifications.actions import do_notify
from sammen.recognition.actions import do_recognise, do_withdraw_recognition

from .. import deeds
from ..caching import ideas_changed, list_changed
from ..models import (
    TRENDING_EPOCH,
    TRENDING_SECONDS_PER_DECADE,
    Call,
    Idea,
    IdeaStatus,
    MomentumStage,
    Support,
)
from .ideas import idea_people


def promote(idea: Idea, now: datetime, stages: list[MomentumStage]) -> None:
    """Move the idea past the momentum thresholds its supports reached in time.

    Called with the idea's row locked, so two supports cannot both promote it.
    """
    level = idea.momentum_level
    while (
        level < len(stages)
        and idea.support_count >= stages[level].supports_needed
        and now <= idea.created_at + timedelta(days=stages[level].within_days)
    ):
        level += 1
    if level == idea.momentum_level:
        return
    idea.momentum_level = level
    fields = ["momentum_level"]
    if level == len(stages) and idea.status == IdeaStatus.PUBLISHED:
        idea.status = IdeaStatus.UNDER_REVIEW
        fields.append("status")
        space = idea.call.activity.space
        for participant in [idea.author]:
            do_recognise(participant, space, deeds.IDEA_REVIEWED, f"idea:{idea.pk}")
        people = idea_people(idea)
        transaction.on_commit(
            lambda: do_notify(
                people, "idea_reached_review", {"idea": idea.title}, idea.get_absolute_url()
            )
        )
    idea.save(update_fields=fields)


def insert_support(idea: Idea, supporter: Participant, now: datetime) -> bool:
    """Store one support; return False when the participant supported the idea already.

    The unique constraint decides, without an error to recover from: a second click
    that arrives while the first is still in its transaction waits for it, then finds
    the row and inserts nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Support._meta.db_table} (idea_id, participant_id, created_at)"  # noqa: S608 - table names from the models, values as parameters
            " VALUES (%s, %s, %s) ON CONFLICT (idea_id, participant_id) DO NOTHING RETURNING id",
            [idea.pk, supporter.pk, connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.fetchone() is not None


def count_support(idea: Idea, change: int) -> tuple[int, int, str, int | None] | None:
    """Add `change` (1 or -1) to the idea's support count and set its trending score.

    Return the new count, momentum level and status, and the supports the idea's next
    momentum threshold asks for (None without one), or None when the idea no longer
    takes support. This UPDATE takes the idea's row lock, which the transaction then
    holds until it commits: the count moves in one statement, so it stays equal to
    the stored supports however many people support at once, and the lock is taken
    last so that it is held for as short a time as possible.
    """
    # The count after the change, at least 1 for the logarithm (as trending_score does).
    new_count = "support_count + 1" if change > 0 else "support_count - 1"
    at_least_one = f"CASE WHEN {new_count} > 1 THEN {new_count} ELSE 1 END"
    age = (idea.created_at - TRENDING_EPOCH).total_seconds() / TRENDING_SECONDS_PER_DECADE
    if change > 0:
        condition = " AND status IN (%s, %s) AND hidden_at IS NULL"
        condition_values = [IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW]
    else:
        condition, condition_values = " AND support_count > 0", []
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Idea._meta.db_table} SET support_count = {new_count},"  # noqa: S608 - no user input in the SQL text
            f" trending = LOG(10, {at_least_one}) + %s"
            f" WHERE id = %s{condition}"
            " RETURNING support_count, momentum_level, status,"
            f" (SELECT supports_needed FROM {MomentumStage._meta.db_table} AS stage"
            f" WHERE stage.call_id = {Idea._meta.db_table}.call_id"
            f" AND stage.position = {Idea._meta.db_table}.momentum_level)",
            [age, idea.pk, *condition_values],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1]), str(row[2]), None if row[3] is None else int(row[3])


def do_support_idea(supporter: Participant, idea: Idea) -> bool:
    """Support an idea once. Return True if this call added the support.

    The unique constraint keeps one support per participant; the idea's count moves
    in one UPDATE, last in the transaction, so the row lock that keeps the visible
    count equal to the stored supports is held from that statement to the commit only.
    """
    # The idea as the caller read it, with its call, when it did (views read it a moment
    # ago, to check access); otherwise as it is now. The UPDATE checks its status again.
    read = Idea.call.is_cached(idea) and Call.activity.is_cached(idea.call)
    fresh = idea if read else Idea.objects.select_related("call__activity__space").get(pk=idea.pk)
    if fresh.status not in {IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW} or fresh.is_hidden:
        raise ActionRefused(_("This idea no longer takes support."))
    if not fresh.call.accepts_support:
        raise ActionRefused(_("Support for this call has closed."))
    now = timezone.now()
    with transaction.atomic():
        try:
            added = insert_support(fresh, supporter, now)
        except IntegrityError:  # the idea was withdrawn and removed a moment ago
            raise ActionRefused(_("This idea no longer takes support.")) from None
        if not added:
            fresh.refresh_from_db(fields=["support_count", "status"])
            idea.support_count, idea.status = fresh.support_count, fresh.status
            return False
        do_recognise(supporter, fresh.call.activity.space, deeds.SUPPORTED, f"idea:{fresh.pk}")
        counted = count_support(fresh, +1)
        if counted is None:  # answered, withdrawn or hidden since we read it: undo it all
            raise ActionRefused(_("This idea no longer takes support."))
        fresh.support_count, fresh.momentum_level, fresh.status, next_needed = counted
        status = fresh.status
        if next_needed is not None and fresh.support_count >= next_needed:
            promote(fresh, now, list(fresh.call.momentum_stages.all()))
        changed = ideas_changed if fresh.status != status else list_changed
        changed(fresh.call_id)
    idea.support_count, idea.status = fresh.support_count, fresh.status
    return True


def do_unsupport_idea(supporter: Participant, idea: Idea) -> bool:
    """Take back one's support. Return True if there was one to take back."""
    fresh = Idea.objects.only("id", "call_id", "created_at").get(pk=idea.pk)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(idea=fresh, participant=supporter).delete()
        if not deleted:
            fresh.refresh_from_db(fields=["support_count"])
            idea.support_count = fresh.support_count
            return False
        do_withdraw_recognition(supporter, deeds.SUPPORTED, f"idea:{fresh.pk}")
        counted = count_support(fresh, -1)
        list_changed(fresh.call_id)
    if counted is not None:
        idea.support_count = counted[0]
    return True


def do_sweep_momentum(call: Call, now: datetime | None = None) -> list[Idea]:
    """Archive the ideas that missed a momentum window, with a kind word to their authors."""
    now = now or timezone.now()
    stages = list(call.momentum_stages.all())
    archived: list[Idea] = []
    if not stages:
        return archived
    for idea in call.ideas.filter(status=IdeaStatus.PUBLISHED, momentum_level__lt=len(stages)):
        stage = stages[idea.momentum_level]
        if now <= idea.created_at + timedelta(days=stage.within_days):
            continue
        with transaction.atomic():
            idea.status, idea.archived_at = IdeaStatus.ARCHIVED, now
            idea.save(update_fields=["status", "archived_at", "updated_at"])
            ideas_changed(call.pk)
            people = idea_people(idea)
            transaction.on_commit(
                partial(
                    do_notify,
                    people,
                    "idea_archived",
                    {
                        "idea": idea.title,
                        "supports": stage.supports_needed,
                        "days": stage.within_days,
                    },
                    idea.get_absolute_url(),
                )
            )
        archived.append(idea)
    return archived
