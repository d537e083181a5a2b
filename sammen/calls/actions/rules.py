"""The call's own settings: its rules, its schedule and stages, its jury."""

from datetime import date, datetime
from itertools import pairwise

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Membership

from ..audit_actions import AuditAction
from ..caching import list_changed
from ..models import (
    MAX_CRITERIA,
    MAX_MOMENTUM_STAGES,
    Call,
    Criterion,
    Evaluator,
    MomentumStage,
    ReviewDate,
    Stage,
    Supporters,
)

MAX_REVIEW_DATES = 12


def do_setup_call(activity: Activity) -> Call:
    """Give an activity of the open-call kind its call, once."""
    call, _created = Call.objects.get_or_create(activity=activity)
    return call


def do_update_call_rules(
    actor: User,
    call: Call,
    *,
    description: str,
    scope: str,
    criteria: str,
    after_selection: str,
    reward: str,
    blind: bool,
    supporters: str,
    cover: ContentFile | None = None,
    remove_cover: bool = False,
) -> None:
    """Save the call's frame: what it asks, what counts, what happens, what people get."""
    if supporters not in Supporters.values:
        raise ActionRefused(_("Choose who may support ideas."), field="supporters")
    if blind != call.blind and call.ideas.exists():
        raise ActionRefused(
            _("Blind mode can only change before the first idea arrives."), field="blind"
        )
    old_cover = call.cover.name if call.cover else ""
    call.description, call.scope, call.criteria = description, scope, criteria
    call.after_selection, call.reward = after_selection, reward
    call.blind, call.supporters = blind, supporters
    fields = [
        "description",
        "scope",
        "criteria",
        "after_selection",
        "reward",
        "blind",
        "supporters",
    ]
    if cover is not None:
        call.cover.save(cover.name or "cover.webp", cover, save=False)
        fields.append("cover")
    elif remove_cover and old_cover:
        call.cover = None
        fields.append("cover")
    with transaction.atomic():
        call.save(update_fields=fields)
        list_changed(call.pk)
        do_log_audit_entry(actor, call.activity.space, AuditAction.CALL_UPDATED, call.activity)
        if old_cover and "cover" in fields:
            transaction.on_commit(lambda: call.cover.storage.delete(old_cover))


def do_update_call_schedule(
    actor: User,
    call: Call,
    *,
    submission_ends_at: datetime | None,
    support_ends_at: datetime | None,
    review_ends_at: datetime | None,
    stage_override: str,
    submissions_paused: bool,
    momentum: list[tuple[int, int]],
    review_dates: list[date],
) -> None:
    """Set the stages' dates, the stage by hand, pausing, momentum thresholds, review dates."""
    if stage_override not in {"", *Stage.values}:
        raise ActionRefused(_("Choose one of the stages offered."), field="stage_override")
    dates = [d for d in (submission_ends_at, support_ends_at, review_ends_at) if d is not None]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ActionRefused(
            _("The stages must end in order: submissions, then support, then review.")
        )
    if len(momentum) > MAX_MOMENTUM_STAGES:
        raise ActionRefused(
            _("A call has at most %(count)s momentum thresholds.") % {"count": MAX_MOMENTUM_STAGES}
        )
    for (supports, days), (next_supports, next_days) in pairwise(momentum):
        if next_supports <= supports or next_days <= days:
            raise ActionRefused(
                _(
                    "Each momentum threshold asks for more supports, in more days, "
                    "than the one before."
                )
            )
    if any(supports < 1 or days < 1 for supports, days in momentum):
        raise ActionRefused(_("Thresholds need at least one support and one day."))
    if len(set(review_dates)) > MAX_REVIEW_DATES:
        raise ActionRefused(
            _("A call has at most %(count)s review dates.") % {"count": MAX_REVIEW_DATES}
        )
    call.submission_ends_at, call.support_ends_at = submission_ends_at, support_ends_at
    call.review_ends_at, call.stage_override = review_ends_at, stage_override
    call.submissions_paused = submissions_paused
    with transaction.atomic():
        call.save(
            update_fields=[
                "submission_ends_at",
                "support_ends_at",
                "review_ends_at",
                "stage_override",
                "submissions_paused",
            ]
        )
        call.momentum_stages.all().delete()
        MomentumStage.objects.bulk_create(
            MomentumStage(call=call, position=position, supports_needed=supports, within_days=days)
            for position, (supports, days) in enumerate(momentum)
        )
        call.review_dates.all().delete()
        ReviewDate.objects.bulk_create(
            ReviewDate(call=call, date=day) for day in sorted(set(review_dates))
        )
        do_log_audit_entry(
            actor,
            call.activity.space,
            AuditAction.CALL_SCHEDULED,
            call.activity,
            stage=stage_override or "by date",
            paused=submissions_paused,
        )
        # Cards show the way to the next threshold, and whether support is still open.
        list_changed(call.pk)


def do_update_jury(
    actor: User, call: Call, *, criteria: list[tuple[str, int]], evaluators: list[User]
) -> None:
    """Name the jury and what it scores. Scores given on removed criteria go with them."""
    if len(criteria) > MAX_CRITERIA:
        raise ActionRefused(_("A jury has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    if any(not 1 <= weight <= 10 for _name, weight in criteria):
        raise ActionRefused(_("Give each criterion a weight from 1 to 10."))
    space = call.activity.space
    member_ids = set(Membership.objects.filter(space=space).values_list("user_id", flat=True))
    if any(user.pk not in member_ids for user in evaluators):
        raise ActionRefused(_("Evaluators must be members of the space."))
    with transaction.atomic():
        kept = []
        for position, (name, weight) in enumerate(criteria):
            criterion, _created = Criterion.objects.update_or_create(
                call=call, name=name, defaults={"weight": weight, "position": position}
            )
            kept.append(criterion.pk)
        call.jury_criteria.exclude(pk__in=kept).delete()
        call.evaluators.exclude(user__in=evaluators).delete()
        for user in evaluators:
            Evaluator.objects.get_or_create(call=call, user=user)
        do_log_audit_entry(
            actor,
            space,
            AuditAction.JURY_UPDATED,
            call.activity,
            evaluators=[user.display_name for user in evaluators],
        )
