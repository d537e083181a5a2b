"""Reports, and what the organisers of a space do about them: hide, restore, dismiss.

Ideas, comments and conversation statements can be reported. Hiding and restoring
go through each app's own action (and audit entry); this module adds the reports.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.calls.actions import check_hidden_reason, do_hide_idea, do_restore_idea
from sammen.calls.models import Idea
from sammen.comments.actions import do_hide_comment, do_restore_comment
from sammen.comments.models import Comment
from sammen.conversations.actions import do_hide_statement, do_restore_statement
from sammen.conversations.models import Statement, StatementState
from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow
from sammen.spaces.models import Block, Space

from .audit_actions import AuditAction
from .models import Reason, Report, Resolution

REPORTS_PER_HOUR = 20
NOTE_MAX_LENGTH = 500

Reportable = Idea | Comment | Statement


def space_id_of(target: Reportable) -> int:
    if isinstance(target, Idea):
        return target.call.activity.space_id
    if isinstance(target, Statement):
        return target.conversation.activity.space_id
    return target.thread.space_id


def space_of(target: Reportable) -> Space:
    if isinstance(target, Idea):
        return target.call.activity.space
    if isinstance(target, Statement):
        return target.conversation.activity.space
    return target.thread.space


def is_hidden(target: Reportable) -> bool:
    """Return whether organisers took it out of view (a statement: hidden or rejected)."""
    if isinstance(target, Statement):
        return target.state == StatementState.HIDDEN
    return target.hidden_at is not None


def is_out_of_view(target: Reportable) -> bool:
    """Return whether others no longer see it: hidden, deleted, or a statement not shown."""
    if isinstance(target, Statement):
        return target.state != StatementState.SHOWN
    return is_hidden(target) or (isinstance(target, Comment) and target.deleted_at is not None)


def wrote_it(user: User, target: Reportable) -> bool:
    return target.author is not None and target.author.user_id == user.pk


def open_reports_of(target: Reportable) -> QuerySet[Report]:
    return Report.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        resolved_at__isnull=True,
    )


def already_reported() -> str:
    return _("You have reported this already. The moderators will look at it.")


def do_report(user: User, space: Space, target: Reportable, reason: str, note: str = "") -> Report:
    """Ask the organisers of `space` to look at an idea, a comment or a statement, once per
    person."""
    note = note.strip()
    if reason not in Reason.values:
        raise ActionRefused(_("Choose one of the reasons offered."), field="reason")
    if len(note) > NOTE_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your note to %(count)s characters or fewer.") % {"count": NOTE_MAX_LENGTH},
            field="note",
        )
    if not isinstance(target, Idea | Comment | Statement) or space_id_of(target) != space.pk:
        raise ActionRefused(_("Only ideas, comments and statements of this space can be reported."))
    if wrote_it(user, target):
        raise ActionRefused(_("You cannot report what you wrote yourself."))
    if is_out_of_view(target):
        raise ActionRefused(_("This is no longer shown, so there is nothing to report."))
    if Block.objects.filter(space=space, user=user).exists():
        raise ActionRefused(_("The organisers of this space have blocked you."))
    if open_reports_of(target).filter(reporter=user).exists():
        raise ActionRefused(already_reported())
    if not allow(f"moderation-report:{user.pk}", REPORTS_PER_HOUR, 3600):
        raise ActionRefused(_("You sent many reports in a short time. Try again in an hour."))
    try:
        with transaction.atomic():
            return Report.objects.create(
                space=space, reporter=user, target=target, reason=reason, note=note
            )
    except IntegrityError:  # the same report sent twice at the same moment
        raise ActionRefused(already_reported()) from None


def resolve_reports(actor: User, target: Reportable, resolution: str) -> int:
    """Close the target's open reports with `resolution`; return how many there were."""
    return open_reports_of(target).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


def lock_hidden_state(target: Reportable) -> None:
    """Lock the target's row and refresh whether it is hidden, so two moderators act once."""
    if isinstance(target, Statement):
        states = list(
            Statement.objects.select_for_update()
            .filter(pk=target.pk)
            .values_list("state", flat=True)
        )
        if not states:
            raise ActionRefused(_("This is no longer there."))
        target.state = states[0]
        return
    model = Idea if isinstance(target, Idea) else Comment
    rows = list(
        model.objects.select_for_update().filter(pk=target.pk).values_list("hidden_at", flat=True)
    )
    if not rows:
        raise ActionRefused(_("This is no longer there."))
    target.hidden_at = rows[0]


def do_hide(actor: User, target: Reportable, reason: str) -> None:
    """Hide an idea, a comment or a statement, saying why, and close the reports about it."""
    reason = check_hidden_reason(reason)
    if isinstance(target, Comment) and target.deleted_at is not None:
        raise ActionRefused(_("Its author has deleted this comment already."))
    space = space_of(target)
    with transaction.atomic():
        lock_hidden_state(target)
        if is_hidden(target):
            raise ActionRefused(_("A moderator has hidden this already."))
        if isinstance(target, Idea):
            do_hide_idea(actor, target, reason)
        elif isinstance(target, Statement):
            # Also takes it out of the opinion map, and records it in the audit log.
            do_hide_statement(actor, target, reason)
        else:
            do_hide_comment(actor, target, reason)
            do_log_audit_entry(actor, space, AuditAction.COMMENT_HIDDEN, target, reason=reason)
        resolve_reports(actor, target, Resolution.HIDDEN)


def do_restore(actor: User, target: Reportable) -> None:
    """Show a hidden idea, comment or statement again.

    Restoring says it may stay, so reports that arrived while it was hidden are
    closed as dismissed.
    """
    space = space_of(target)
    with transaction.atomic():
        lock_hidden_state(target)
        if not is_hidden(target):
            raise ActionRefused(_("This is not hidden."))
        if isinstance(target, Idea):
            do_restore_idea(actor, target)
        elif isinstance(target, Statement):
            do_restore_statement(actor, target)
        else:
            do_restore_comment(actor, target)
            do_log_audit_entry(actor, space, AuditAction.COMMENT_RESTORED, target)
        resolve_reports(actor, target, Resolution.DISMISSED)


def do_dismiss_report(actor: User, report: Report) -> None:
    """Close a report without acting on what it is about."""
    with transaction.atomic():
        dismissed = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor, resolution=Resolution.DISMISSED
        )
        if not dismissed:
            raise ActionRefused(_("Another moderator has dealt with this report already."))
        report.refresh_from_db(fields=["resolved_at", "resolved_by", "resolution"])
        do_log_audit_entry(
            actor,
            report.space,
            AuditAction.REPORT_DISMISSED,
            report.target or report,
            report=report.pk,
            reason=report.reason,
        )
