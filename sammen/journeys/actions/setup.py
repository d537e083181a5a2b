"""A journey's settings and its waves of ratings."""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..models import (
    MAX_SEGMENTS,
    SEGMENT_LABEL_MAX_LENGTH,
    Audience,
    Journey,
    Scale,
    Segment,
    Wave,
)


def do_setup_journey(activity: Activity) -> Journey:
    """Give an activity of the journey kind its journey and a first wave, once."""
    journey, _created = Journey.objects.get_or_create(activity=activity)
    if not Wave.objects.filter(journey=journey).exists():
        try:
            with transaction.atomic():
                Wave.objects.create(journey=journey, number=1)
        except IntegrityError:
            pass  # set up at the same moment by another request
    return journey


def clean_segments(labels: list[str]) -> list[str]:
    """Return the segment answers, stripped and without repeats; refuse too many or too long."""
    seen: dict[str, None] = {}
    for label in labels:
        label = " ".join(label.split())
        if not label:
            continue
        if len(label) > SEGMENT_LABEL_MAX_LENGTH:
            raise ActionRefused(
                _("Keep each answer to the segment question under %(count)s characters.")
                % {"count": SEGMENT_LABEL_MAX_LENGTH},
                field="segments",
            )
        seen.setdefault(label, None)
    if len(seen) > MAX_SEGMENTS:
        raise ActionRefused(
            _("Offer at most %(count)s answers to the segment question.") % {"count": MAX_SEGMENTS},
            field="segments",
        )
    return list(seen)


def do_update_journey(
    actor: User,
    journey: Journey,
    *,
    description: str,
    audience: str,
    scale: int,
    proposals_allowed: bool,
    ask_recommendation: bool,
    segment_question: str,
    segments: list[str],
) -> None:
    """Change a journey's settings. The scale is fixed once the first rating is in."""
    if audience not in Audience.values:
        raise ActionRefused(_("Choose who may rate the journey."), field="audience")
    if scale not in Scale.values:
        raise ActionRefused(_("Choose one of the scales offered."), field="scale")
    labels = clean_segments(segments)
    if segment_question.strip() and len(labels) < 2:
        raise ActionRefused(
            _("Give the segment question at least two answers to choose from."), field="segments"
        )
    with transaction.atomic():
        current = Journey.objects.select_for_update().get(pk=journey.pk)
        if scale != current.scale and current.ratings.exists():
            raise ActionRefused(
                _("The scale cannot change once ratings are in: they would no longer compare."),
                field="scale",
            )
        current.description = description.strip()
        current.audience = audience
        current.scale = scale
        current.proposals_allowed = proposals_allowed
        current.ask_recommendation = ask_recommendation
        current.segment_question = segment_question.strip() if labels else ""
        current.save()
        kept = {segment.label: segment for segment in Segment.objects.filter(journey=current)}
        for position, label in enumerate(labels):
            segment = kept.pop(label, None)
            if segment is None:
                Segment.objects.create(journey=current, label=label, position=position)
            elif segment.position != position:
                Segment.objects.filter(pk=segment.pk).update(position=position)
        # An answer no longer offered: respondents who gave it keep no segment.
        Segment.objects.filter(pk__in=[segment.pk for segment in kept.values()]).delete()
        do_log_audit_entry(actor, current.activity.space, AuditAction.JOURNEY_UPDATED, current)
    for field in (
        "description",
        "audience",
        "scale",
        "proposals_allowed",
        "ask_recommendation",
        "segment_question",
    ):
        setattr(journey, field, getattr(current, field))


def open_wave(journey: Journey) -> Wave | None:
    return Wave.objects.filter(journey=journey, closed_at__isnull=True).first()


def do_start_wave(actor: User, journey: Journey, *, label: str) -> Wave:
    """Close the open wave and start the next: ratings from then on compare with before."""
    label = " ".join(label.split())
    if len(label) > 80:
        raise ActionRefused(_("Keep the name of the wave under 80 characters."), field="label")
    with transaction.atomic():
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        if not journey.ratings.filter(wave__closed_at__isnull=True).exists():
            raise ActionRefused(
                _("The current wave has no ratings yet: there is nothing to compare with.")
            )
        Wave.objects.filter(journey=journey, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        number = (Wave.objects.filter(journey=journey).aggregate(top=Max("number"))["top"] or 0) + 1
        wave = Wave.objects.create(journey=journey, number=number, label=label)
        Journey.objects.filter(pk=journey.pk).update(figures_version=F("figures_version") + 1)
        do_log_audit_entry(actor, journey.activity.space, AuditAction.WAVE_STARTED, journey)
    return wave
