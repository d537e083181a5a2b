from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Space
from sammen.webhooks.actions import emit

from . import webhooks
from .audit_actions import AuditAction
from .kinds import get_kind, metrics_of
from .models import (
    LINK_ANCHOR_MAX_LENGTH,
    LINK_LABEL_MAX_LENGTH,
    MAX_SUCCESS_MEASURES,
    SLUG_MAX_LENGTH,
    Activity,
    ActivityLink,
    Brief,
    Phase,
    SuccessMeasure,
)
from .queries import opening_blockers
from .selfcheck import clean_answers


@dataclass(frozen=True)
class MeasureInput:
    measure: str
    target: Decimal
    unit: str = ""


def unused_activity_slug(space: Space, title: str) -> str:
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "activity"
    taken = set(
        Activity.objects.filter(space=space, slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        number += 1
    return candidate


def check_kind(kind: str) -> None:
    if kind and get_kind(kind) is None:
        raise ActionRefused(_("Choose one of the formats offered."), field="kind")


def set_up_kind(activity: Activity) -> None:
    """Let the activity's kind create its own rows (inside the caller's transaction)."""
    kind = get_kind(activity.kind)
    if kind is not None and kind.setup is not None:
        kind.setup(activity)


def do_create_activity(
    actor: User, space: Space, *, title: str, kind: str = "", summary: str = ""
) -> Activity:
    """Create a draft activity with an empty brief, to be written before it opens."""
    check_kind(kind)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                activity = Activity.objects.create(
                    space=space,
                    kind=kind,
                    title=title,
                    slug=unused_activity_slug(space, title),
                    summary=summary,
                    created_by=actor,
                )
                Brief.objects.create(activity=activity, updated_by=actor)
                set_up_kind(activity)
                do_log_audit_entry(actor, space, AuditAction.ACTIVITY_CREATED, activity)
            return activity
        except IntegrityError:
            continue  # another activity took the slug between our read and write
    raise ActionRefused(_("Could not save the activity. Please try again."))


def do_update_activity(
    actor: User,
    activity: Activity,
    *,
    title: str,
    summary: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ActionRefused(_("The closing date must come after the opening date."))
    activity.title, activity.summary = title, summary
    activity.opens_at, activity.closes_at = opens_at, closes_at
    with transaction.atomic():
        activity.save(update_fields=["title", "summary", "opens_at", "closes_at", "updated_at"])
        do_log_audit_entry(actor, activity.space, AuditAction.ACTIVITY_UPDATED, activity)


def do_update_brief(
    actor: User,
    activity: Activity,
    *,
    texts: dict[str, str],
    measures: list[MeasureInput],
    self_check: dict[str, str],
    kind: str | None = None,
) -> Brief:
    """Save the brief as written so far. An incomplete brief is fine until the activity opens."""
    if len(measures) > MAX_SUCCESS_MEASURES:
        raise ActionRefused(
            _("A brief has at most %(count)s success measures.") % {"count": MAX_SUCCESS_MEASURES}
        )
    if kind is not None and kind != activity.kind:
        check_kind(kind)
        if not activity.is_draft:
            raise ActionRefused(_("The format can only change while the activity is a draft."))
    brief = activity.brief
    if not activity.is_draft and any(not texts.get(part, "").strip() for part in Brief.TEXT_PARTS):
        raise ActionRefused(_("An open activity must have a complete brief. Fill in every part."))
    if not activity.is_draft and not measures:
        raise ActionRefused(_("An open activity must have at least one success measure."))
    for part in Brief.TEXT_PARTS:
        setattr(brief, part, texts.get(part, ""))
    brief.self_check = clean_answers(dict(self_check))
    brief.updated_by = actor
    with transaction.atomic():
        brief.save(update_fields=[*Brief.TEXT_PARTS, "self_check", "updated_by", "updated_at"])
        # Results recorded at the end stay with a measure whose wording is unchanged.
        results = {
            measure.measure: (measure.metric, measure.result) for measure in brief.measures.all()
        }
        brief.measures.all().delete()
        SuccessMeasure.objects.bulk_create(
            SuccessMeasure(
                brief=brief,
                measure=item.measure,
                target=item.target,
                unit=item.unit,
                position=position,
                metric=results.get(item.measure, ("", None))[0],
                result=results.get(item.measure, ("", None))[1],
            )
            for position, item in enumerate(measures)
        )
        if kind is not None and kind != activity.kind:
            activity.kind = kind
            activity.save(update_fields=["kind", "updated_at"])
            set_up_kind(activity)
        do_log_audit_entry(actor, activity.space, AuditAction.BRIEF_UPDATED, activity)
    return brief


def locked(activity: Activity) -> Activity:
    """Return the activity's row, locked until the transaction ends, with fresh values."""
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("space", "brief")
        .get(pk=activity.pk)
    )


def do_open_activity(actor: User, activity: Activity) -> None:
    with transaction.atomic():
        current = locked(activity)
        if current.phase != Phase.DRAFT:
            raise ActionRefused(_("Only a draft can be opened."))
        blockers = opening_blockers(current)
        if blockers:
            raise ActionRefused(" ".join(blockers))
        current.phase = Phase.OPEN
        current.opened_at = timezone.now()
        current.save(update_fields=["phase", "opened_at", "updated_at"])
        do_log_audit_entry(actor, current.space, AuditAction.ACTIVITY_OPENED, current)
        emit(current.space_id, webhooks.OPENED, partial(webhooks.phase_event_data, current.pk))
    activity.refresh_from_db()


def do_close_activity(actor: User, activity: Activity) -> None:
    with transaction.atomic():
        current = locked(activity)
        if current.phase != Phase.OPEN:
            raise ActionRefused(_("Only an open activity can be closed."))
        current.phase = Phase.CLOSED
        current.closed_at = timezone.now()
        current.save(update_fields=["phase", "closed_at", "updated_at"])
        do_log_audit_entry(actor, current.space, AuditAction.ACTIVITY_CLOSED, current)
        emit(current.space_id, webhooks.CLOSED, partial(webhooks.phase_event_data, current.pk))
    activity.refresh_from_db()


def do_reopen_activity(actor: User, activity: Activity) -> None:
    with transaction.atomic():
        current = locked(activity)
        if current.phase != Phase.CLOSED:
            raise ActionRefused(_("Only a closed activity that has no answer yet can be reopened."))
        current.phase = Phase.OPEN
        current.save(update_fields=["phase", "updated_at"])
        do_log_audit_entry(actor, current.space, AuditAction.ACTIVITY_REOPENED, current)
    activity.refresh_from_db()


def do_answer_activity(actor: User, activity: Activity, answer: str) -> None:
    """Publish (or correct) the organisation's public answer, which ends the activity.

    The first time, the kind's `answered` hook runs once the answer is safe (the kind
    tells the people who took part); a correction tells nobody again.
    """
    if not answer.strip():
        raise ActionRefused(_("Write the answer before you publish it."), field="answer")
    with transaction.atomic():
        current = locked(activity)
        if current.phase not in {Phase.CLOSED, Phase.ANSWERED}:
            raise ActionRefused(_("Close the activity before you publish its answer."))
        current.answer = answer
        fields = ["answer", "updated_at"]
        first_answer = current.phase == Phase.CLOSED
        if first_answer:
            current.phase = Phase.ANSWERED
            current.answered_at = timezone.now()
            fields += ["phase", "answered_at"]
        current.save(update_fields=fields)
        do_log_audit_entry(actor, current.space, AuditAction.ACTIVITY_ANSWERED, current)
        emit(
            current.space_id,
            webhooks.ANSWERED,
            partial(webhooks.phase_event_data, current.pk, with_answer=True),
        )
        kind = get_kind(current.kind)
        if first_answer and kind is not None and kind.answered is not None:
            # Robust: the answer is published whatever the kind's hook does; a failure
            # is logged. A lambda, since Django's log line names it by `__qualname__`.
            answered = kind.answered
            transaction.on_commit(lambda: answered(current), robust=True)
    activity.refresh_from_db()


def do_delete_activity(actor: User, activity: Activity) -> None:
    with transaction.atomic():
        current = locked(activity)
        if current.phase != Phase.DRAFT:
            raise ActionRefused(_("Only a draft can be deleted. Close the activity instead."))
        do_log_audit_entry(actor, current.space, AuditAction.ACTIVITY_DELETED, current)
        current.delete()


def do_record_results(
    actor: User, activity: Activity, results: dict[int, tuple[str, Decimal | None]]
) -> None:
    """Record how each success measure turned out: counted by Sammen, or measured elsewhere."""
    known = set(metrics_of(activity))
    measures = {measure.pk: measure for measure in activity.brief.measures.all()}
    for measure_id, (metric, result) in results.items():
        if measure_id not in measures:
            raise ActionRefused(_("That success measure is not part of this brief."))
        if metric and metric not in known:
            raise ActionRefused(_("Choose one of the figures offered."))
        if result is not None and result < 0:
            raise ActionRefused(_("A result cannot be negative."))
    with transaction.atomic():
        for measure_id, (metric, result) in results.items():
            measure = measures[measure_id]
            measure.metric, measure.result = metric, None if metric else result
            measure.save(update_fields=["metric", "result"])
        do_log_audit_entry(actor, activity.space, AuditAction.RESULTS_RECORDED, activity)


def do_link_activities(
    actor: User, source: Activity, target: Activity, anchor: str = "", anchor_label: str = ""
) -> ActivityLink:
    """Record that `target` was opened from `source` (at `anchor`); linking twice keeps one.

    Both must be in the same space: a link shows each to the other's visitors.
    """
    if source.pk == target.pk:
        raise ActionRefused(_("An activity cannot be opened from itself."))
    if source.space_id != target.space_id:
        raise ActionRefused(_("Only activities of the same space can be linked."))
    anchor = anchor.strip()[:LINK_ANCHOR_MAX_LENGTH]
    anchor_label = " ".join(anchor_label.split())[:LINK_LABEL_MAX_LENGTH]
    with transaction.atomic():
        link, created = ActivityLink.objects.get_or_create(
            source=source,
            target=target,
            defaults={"anchor": anchor, "anchor_label": anchor_label},
        )
        if created:
            do_log_audit_entry(actor, source.space, AuditAction.ACTIVITY_LINKED, target)
    return link
