"""What organisers and moderators decide on what participants add: a proposed touchpoint
(approve, hide, restore) and the comment of a rating (hide, restore).

Each change is made on the row's state as it was read, so two organisers acting at
once act once; the second is told someone was quicker.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.moderation.registry import check_hide_reason
from sammen.notifications.actions import do_notify
from sammen.recognition.actions import do_recognise

from ..audit_actions import AuditAction
from ..deeds import TOUCHPOINT_ADDED
from ..models import Rating, Touchpoint, TouchpointState
from .rating import bump_figures

REVIEW_FIELDS = ["state", "reviewed_at", "reviewed_by", "hidden_reason"]


def someone_was_quicker() -> ActionRefused:
    return ActionRefused(_("Another organiser has dealt with this touchpoint already."))


def change_state(actor: User, touchpoint: Touchpoint, state: str, reason: str = "") -> None:
    changed = Touchpoint.objects.filter(pk=touchpoint.pk, state=touchpoint.state).update(
        state=state, reviewed_at=timezone.now(), reviewed_by=actor, hidden_reason=reason
    )
    if not changed:
        raise someone_was_quicker()
    touchpoint.refresh_from_db(fields=REVIEW_FIELDS)
    bump_figures(touchpoint.journey)


def do_approve_touchpoint(actor: User, touchpoint: Touchpoint) -> None:
    """Show a proposed touchpoint to everyone, and tell its proposer if they have an account."""
    if touchpoint.state != TouchpointState.PROPOSED:
        raise ActionRefused(_("Only a proposed touchpoint waits for approval."))
    journey = touchpoint.journey
    activity = journey.activity
    with transaction.atomic():
        change_state(actor, touchpoint, TouchpointState.SHOWN)
        do_log_audit_entry(actor, activity.space, AuditAction.TOUCHPOINT_APPROVED, touchpoint)
        if touchpoint.proposed_by is not None:
            source = f"touchpoint:{touchpoint.pk}"
            do_recognise(touchpoint.proposed_by, activity.space, TOUCHPOINT_ADDED, source)
        proposer = touchpoint.proposed_by.user if touchpoint.proposed_by is not None else None
        if proposer is not None:
            params = {"touchpoint": touchpoint.name, "journey": activity.title}
            url = activity.get_absolute_url()
            transaction.on_commit(
                lambda: do_notify([proposer], "touchpoint_approved", params, url, skip=actor)
            )


def do_hide_touchpoint(actor: User, touchpoint: Touchpoint, reason: str) -> None:
    """Take a touchpoint out of the journey, saying why: a proposal turned down, or one
    that no longer applies (its ratings stay, so nothing is lost)."""
    reason = check_hide_reason(reason)  # moderation's one rule for every hide reason
    if touchpoint.state == TouchpointState.HIDDEN:
        raise ActionRefused(_("This touchpoint is hidden already."))
    with transaction.atomic():
        change_state(actor, touchpoint, TouchpointState.HIDDEN, reason)
        do_log_audit_entry(
            actor,
            touchpoint.journey.activity.space,
            AuditAction.TOUCHPOINT_HIDDEN,
            touchpoint,
            reason=reason,
        )


def do_restore_touchpoint(actor: User, touchpoint: Touchpoint) -> None:
    """Show a hidden touchpoint again, where it was."""
    if touchpoint.state != TouchpointState.HIDDEN:
        raise ActionRefused(_("This touchpoint is not hidden."))
    with transaction.atomic():
        change_state(actor, touchpoint, TouchpointState.SHOWN)
        do_log_audit_entry(
            actor, touchpoint.journey.activity.space, AuditAction.TOUCHPOINT_RESTORED, touchpoint
        )


def do_hide_rating_comment(actor: User, rating: Rating, reason: str) -> None:
    """Hide the comment of a rating (the rating itself still counts), saying why."""
    reason = check_hide_reason(reason)
    with transaction.atomic():
        changed = Rating.objects.filter(pk=rating.pk, comment_hidden_at__isnull=True).update(
            comment_hidden_at=timezone.now(), comment_hidden_by=actor, comment_hidden_reason=reason
        )
        if not changed:
            raise ActionRefused(_("This comment is hidden already."))
        rating.refresh_from_db(
            fields=["comment_hidden_at", "comment_hidden_by", "comment_hidden_reason"]
        )
        do_log_audit_entry(
            actor,
            rating.journey.activity.space,
            AuditAction.RATING_COMMENT_HIDDEN,
            rating,
            reason=reason,
        )
        bump_figures(rating.journey)


def do_restore_rating_comment(actor: User, rating: Rating) -> None:
    """Show a hidden comment again."""
    with transaction.atomic():
        changed = Rating.objects.filter(pk=rating.pk, comment_hidden_at__isnull=False).update(
            comment_hidden_at=None, comment_hidden_by=None, comment_hidden_reason=""
        )
        if not changed:
            raise ActionRefused(_("This comment is not hidden."))
        rating.refresh_from_db(
            fields=["comment_hidden_at", "comment_hidden_by", "comment_hidden_reason"]
        )
        do_log_audit_entry(
            actor, rating.journey.activity.space, AuditAction.RATING_COMMENT_RESTORED, rating
        )
        bump_figures(rating.journey)
