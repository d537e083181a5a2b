"""Reports, and what the organisers of a space do about them: hide, restore, dismiss.

What can be reported is registered by the app that owns it (see registry.py). Hiding and
restoring go through that app's own action (and audit entry); this module adds the reports.
"""

from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow
from sammen.spaces.models import Block, Space
from sammen.webhooks.actions import emit

from . import webhooks
from .audit_actions import AuditAction
from .models import Reason, Report, Resolution
from .registry import Reportable, check_hide_reason, reportable_for

REPORTS_PER_HOUR = 20
NOTE_MAX_LENGTH = 500


def registration_of(target: Model) -> Reportable[Any]:
    reportable = reportable_for(target)
    if reportable is None:
        raise ActionRefused(_("This cannot be reported or hidden."))
    return reportable


def wrote_it(user: User, target: Model) -> bool:
    author = registration_of(target).describe(target).author
    return author is not None and author.user_id == user.pk


def open_reports_of(target: Model) -> QuerySet[Report]:
    return Report.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        resolved_at__isnull=True,
    )


def already_reported() -> str:
    return _("You have reported this already. The moderators will look at it.")


def do_report(user: User, space: Space, target: Model, reason: str, note: str = "") -> Report:
    """Ask the organisers of `space` to look at something shown in it, once per person."""
    note = note.strip()
    if reason not in Reason.values:
        raise ActionRefused(_("Choose one of the reasons offered."), field="reason")
    if len(note) > NOTE_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your note to %(count)s characters or fewer.") % {"count": NOTE_MAX_LENGTH},
            field="note",
        )
    reportable = reportable_for(target)
    if reportable is None or reportable.space_id_of(target) != space.pk:
        raise ActionRefused(_("Only contributions of this space can be reported."))
    if wrote_it(user, target):
        raise ActionRefused(_("You cannot report what you wrote yourself."))
    if reportable.out_of_view(target):
        raise ActionRefused(_("This is no longer shown, so there is nothing to report."))
    if Block.objects.filter(space=space, user=user).exists():
        raise ActionRefused(_("The organisers of this space have blocked you."))
    if open_reports_of(target).filter(reporter=user).exists():
        raise ActionRefused(already_reported())
    if not allow(f"moderation-report:{user.pk}", REPORTS_PER_HOUR, 3600):
        raise ActionRefused(_("You sent many reports in a short time. Try again in an hour."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                space=space, reporter=user, target=target, reason=reason, note=note
            )
            emit(
                space,
                webhooks.REPORT_FILED,
                partial(webhooks.report_data, report.pk, reportable.type_name),
            )
            return report
    except IntegrityError:  # the same report sent twice at the same moment
        raise ActionRefused(already_reported()) from None


def resolve_reports(actor: User, target: Model, resolution: str) -> int:
    """Close the target's open reports with `resolution`; return how many there were."""
    return open_reports_of(target).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


def do_hide(actor: User, target: Model, reason: str) -> None:
    """Hide something reported, saying why, and close the reports about it."""
    reason = check_hide_reason(reason)
    reportable = registration_of(target)
    with transaction.atomic():
        reportable.lock(target)
        if reportable.hidden(target) is not None:
            raise ActionRefused(_("A moderator has hidden this already."))
        reportable.hide(actor, target, reason)
        resolve_reports(actor, target, Resolution.HIDDEN)


def do_restore(actor: User, target: Model) -> None:
    """Show something hidden again.

    Restoring says it may stay, so reports that arrived while it was hidden are
    closed as dismissed.
    """
    reportable = registration_of(target)
    with transaction.atomic():
        reportable.lock(target)
        if reportable.hidden(target) is None:
            raise ActionRefused(_("This is not hidden."))
        reportable.restore(actor, target)
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
