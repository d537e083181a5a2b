"""What the sample kind brings to recognition and the audit log, registered from apps.py."""

from django.db import models, transaction
from django.db.models import Sum

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.audit.registry import register_audit_actions
from sammen.recognition.actions import do_recognise
from sammen.recognition.models import Recognition
from sammen.recognition.registry import (
    Deed,
    ProfileSection,
    ProfileViewing,
    register_deeds,
    register_profile_section,
)

SAMPLE_HELPED = Deed("sample_helped", "helped a sample along", points=7)


class SampleAuditAction(models.TextChoices):
    THANKED = "sample.thanked", "thanked a helper of a sample"


def do_thank_sample_helper(actor: User, activity: Activity, helper: Participant) -> None:
    with transaction.atomic():
        do_recognise(helper, activity.space, SAMPLE_HELPED, f"sample:{activity.pk}")
        do_log_audit_entry(actor, activity.space, SampleAuditAction.THANKED, activity)


def sample_section(viewing: ProfileViewing) -> ProfileSection | None:
    points = Recognition.objects.filter(
        participant=viewing.person,
        deed=SAMPLE_HELPED.key,
        space__in=viewing.spaces.values("pk"),
    ).aggregate(points=Sum("points"))["points"]
    if not points:
        return None
    return ProfileSection("sample_kind/_profile.html", {"sample_points": points})


def register() -> None:
    register_deeds(SAMPLE_HELPED)
    register_audit_actions(SampleAuditAction)
    register_profile_section(sample_section)
