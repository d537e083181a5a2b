"""What the organisation decides at a touchpoint: a person or a machine, gestures and
improvements, and open calls opened from it."""

from django.db import transaction
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.actions import do_create_activity, do_link_activities
from sammen.activities.kinds import get_kind
from sammen.activities.models import SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH, Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..models import DECISION_MAX_LENGTH, PLAN_MAX_LENGTH, Plan, PlanKind, ServiceChoice, Touchpoint

MAX_PLANS_PER_TOUCHPOINT = 20
# The kind an open call registers as (activities' registry); this kind never imports it.
CALL_KIND = "call"


def do_decide(actor: User, touchpoint: Touchpoint, service_choice: str, decision: str) -> None:
    """Record who should serve customers at a touchpoint, and the decision in words.

    An empty choice and an empty text clear what was recorded.
    """
    if service_choice and service_choice not in ServiceChoice.values:
        raise ActionRefused(
            _("Choose a person, a machine, or a machine with a handover."),
            field="service_choice",
        )
    decision = decision.strip()
    if len(decision) > DECISION_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the decision under %(count)s characters.") % {"count": DECISION_MAX_LENGTH},
            field="decision",
        )
    with transaction.atomic():
        Touchpoint.objects.filter(pk=touchpoint.pk).update(
            service_choice=service_choice, decision=decision
        )
        do_log_audit_entry(
            actor, touchpoint.journey.activity.space, AuditAction.TOUCHPOINT_DECIDED, touchpoint
        )
    touchpoint.service_choice, touchpoint.decision = service_choice, decision


def do_add_plan(actor: User, touchpoint: Touchpoint, kind: str, text: str) -> Plan:
    """Note a small gesture or an improvement planned at a touchpoint."""
    if kind not in PlanKind.values:
        raise ActionRefused(_("Choose a small gesture or an improvement."), field="kind")
    text = " ".join(text.split())
    if not text:
        raise ActionRefused(_("Say what you plan."), field="text")
    if len(text) > PLAN_MAX_LENGTH:
        raise ActionRefused(
            _("Keep it under %(count)s characters.") % {"count": PLAN_MAX_LENGTH}, field="text"
        )
    with transaction.atomic():
        # The touchpoint's row, locked, keeps two plans added at once under the limit.
        Touchpoint.objects.select_for_update().filter(pk=touchpoint.pk).first()
        if Plan.objects.filter(touchpoint=touchpoint).count() >= MAX_PLANS_PER_TOUCHPOINT:
            raise ActionRefused(
                _("A touchpoint holds at most %(count)s plans. Delete one first.")
                % {"count": MAX_PLANS_PER_TOUCHPOINT}
            )
        plan = Plan.objects.create(touchpoint=touchpoint, kind=kind, text=text, created_by=actor)
        do_log_audit_entry(
            actor, touchpoint.journey.activity.space, AuditAction.PLAN_ADDED, touchpoint
        )
    return plan


def do_delete_plan(actor: User, plan: Plan) -> None:
    touchpoint = plan.touchpoint
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).delete()
        do_log_audit_entry(
            actor, touchpoint.journey.activity.space, AuditAction.PLAN_DELETED, touchpoint
        )


def can_open_calls() -> bool:
    """Tell whether this site has open calls to open from a touchpoint."""
    return get_kind(CALL_KIND) is not None


def do_open_call_from_touchpoint(actor: User, touchpoint: Touchpoint, title: str) -> Activity:
    """Open a draft open call ("How might we make arrival better?") linked to the touchpoint.

    The call is a draft with an empty brief, for the organiser to write; the journey and
    the call show each other (activities.ActivityLink).
    """
    if not can_open_calls():
        raise ActionRefused(_("Open calls are not available on this site."))
    title = " ".join(title.split())
    if not title:
        raise ActionRefused(_("Give the open call a title."), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the title under %(count)s characters.") % {"count": TITLE_MAX_LENGTH},
            field="title",
        )
    journey_activity = touchpoint.journey.activity
    summary = _("Opened from the journey “%(journey)s”, at “%(touchpoint)s”.") % {
        "journey": journey_activity.title,
        "touchpoint": touchpoint.name,
    }
    with transaction.atomic():
        call = do_create_activity(
            actor,
            journey_activity.space,
            title=title,
            kind=CALL_KIND,
            summary=summary[:SUMMARY_MAX_LENGTH],
        )
        do_link_activities(
            actor, journey_activity, call, f"touchpoint:{touchpoint.pk}", touchpoint.name
        )
    return call
