"""Ratings: one per participant, touchpoint and wave, saved as they are given."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant
from sammen.core.errors import ActionRefused
from sammen.recognition.actions import do_recognise
from sammen.spaces.models import Space

from ..deeds import JOURNEY_RATED
from ..emotions import MAX_WORDS_PER_RATING, WORD_KEYS, words_to_bits
from ..models import (
    COMMENT_MAX_LENGTH,
    Journey,
    Preference,
    Rating,
    Respondent,
    Segment,
    Touchpoint,
    TouchpointState,
    Wave,
)


def current_wave(journey: Journey) -> Wave:
    wave = Wave.objects.filter(journey=journey, closed_at__isnull=True).first()
    if wave is None:
        raise ActionRefused(_("This journey takes no ratings at the moment."))
    return wave


def respondent_in(wave: Wave, participant: Participant) -> Respondent:
    """Return the participant's place in the wave, made on their first answer."""
    respondent = Respondent.objects.filter(wave=wave, participant=participant).first()
    if respondent is not None:
        return respondent
    try:
        with transaction.atomic():
            respondent = Respondent.objects.create(
                wave=wave, journey_id=wave.journey_id, participant=participant
            )
    except IntegrityError:  # their other tab answered at the same moment
        return Respondent.objects.get(wave=wave, participant=participant)
    space = Space.objects.filter(activities__journey=wave.journey_id).first()
    if space is not None:
        do_recognise(participant, space, JOURNEY_RATED, f"journey-wave:{wave.pk}")
    return respondent


def respondent_in_open_wave(journey: Journey, participant: Participant) -> Respondent:
    """Return the participant's place in the journey's open wave (one query once made)."""
    respondent = (
        Respondent.objects.select_related("wave")
        .filter(journey=journey, participant=participant, wave__closed_at__isnull=True)
        .first()
    )
    return respondent or respondent_in(current_wave(journey), participant)


def bump_figures(journey: Journey) -> None:
    """Mark the organiser's cached figures stale, after the rating is safe."""
    journey_id = journey.pk
    transaction.on_commit(
        lambda: Journey.objects.filter(pk=journey_id).update(
            figures_version=F("figures_version") + 1
        )
    )


def clean_rating(
    journey: Journey, score: int | None, words: list[str], preference: str, comment: str
) -> tuple[int, str]:
    if score is not None and not 1 <= score <= journey.scale:
        raise ActionRefused(
            _("Choose one of the %(count)s faces.") % {"count": journey.scale}, field="score"
        )
    if any(word not in WORD_KEYS for word in words):
        raise ActionRefused(_("Choose words from the list."), field="words")
    if len(set(words)) > MAX_WORDS_PER_RATING:
        raise ActionRefused(
            _("Choose at most %(count)s words.") % {"count": MAX_WORDS_PER_RATING}, field="words"
        )
    if preference and preference not in Preference.values:
        raise ActionRefused(_("Choose a person, a machine or no preference."), field="preference")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your comment under %(count)s characters.") % {"count": COMMENT_MAX_LENGTH},
            field="comment",
        )
    return words_to_bits(sorted(set(words))), comment


def do_rate(
    journey: Journey,
    participant: Participant,
    touchpoint: Touchpoint,
    *,
    score: int | None,
    words: list[str] | None = None,
    preference: str = "",
    comment: str = "",
) -> Rating:
    """Save (or change) how a participant felt at a touchpoint in the open wave.

    `score` None means they did not go through it: words, preference and comment go too.
    """
    if touchpoint.journey_id != journey.pk or touchpoint.state != TouchpointState.SHOWN:
        raise ActionRefused(_("This touchpoint is not part of the journey."))
    if not journey.activity.is_open:
        raise ActionRefused(_("This journey takes no ratings at the moment."))
    bits, comment = clean_rating(journey, score, words or [], preference, comment)
    if score is None:
        bits, preference, comment = 0, "", ""
    respondent = respondent_in_open_wave(journey, participant)
    now = timezone.now()
    rating = Rating(
        journey=journey,
        wave_id=respondent.wave_id,
        touchpoint=touchpoint,
        respondent=respondent,
        participant=participant,
        score=score,
        words=bits,
        preference=preference,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    # One statement, insert or change: two tabs rating at once leave one row, the later.
    Rating.objects.bulk_create(
        [rating],
        update_conflicts=True,
        unique_fields=["wave", "touchpoint", "participant"],
        update_fields=["score", "words", "preference", "comment", "updated_at"],
    )
    bump_figures(journey)
    return rating


def do_skip(journey: Journey, participant: Participant, touchpoint: Touchpoint) -> Rating:
    """Record that the participant did not go through this touchpoint."""
    return do_rate(journey, participant, touchpoint, score=None)


def do_answer_closing_questions(
    journey: Journey,
    participant: Participant,
    *,
    segment_id: int | None,
    recommendation: int | None,
) -> Respondent:
    """Save the participant's segment and how likely they are to recommend (0-10)."""
    if not journey.activity.is_open:
        raise ActionRefused(_("This journey takes no ratings at the moment."))
    if recommendation is not None and not 0 <= recommendation <= 10:
        raise ActionRefused(_("Choose a number from 0 to 10."), field="recommendation")
    if recommendation is not None and not journey.ask_recommendation:
        raise ActionRefused(_("This journey does not ask that question."), field="recommendation")
    segment = None
    if segment_id is not None:
        segment = Segment.objects.filter(journey=journey, pk=segment_id).first()
        if segment is None:
            raise ActionRefused(_("Choose one of the answers offered."), field="segment")
    wave = current_wave(journey)
    respondent = respondent_in(wave, participant)
    Respondent.objects.filter(pk=respondent.pk).update(
        segment=segment, recommendation=recommendation, updated_at=timezone.now()
    )
    bump_figures(journey)
    respondent.refresh_from_db()
    return respondent


def do_merge_journey_participants(source: Participant, target: Participant) -> None:
    """Move an anonymous participant's ratings to the person's participant (on sign-up).

    Where both rated the same touchpoint in a wave, the later rating stays.
    """
    theirs = {
        (rating.wave_id, rating.touchpoint_id): rating
        for rating in Rating.objects.filter(participant=target).only(
            "pk", "wave_id", "touchpoint_id", "updated_at"
        )
    }
    target_respondents = {
        respondent.wave_id: respondent
        for respondent in Respondent.objects.filter(participant=target)
    }
    for respondent in Respondent.objects.filter(participant=source):
        if respondent.wave_id not in target_respondents:
            respondent.participant = target
            respondent.save(update_fields=["participant"])
            target_respondents[respondent.wave_id] = respondent
    for rating in Rating.objects.filter(participant=source):
        kept = theirs.get((rating.wave_id, rating.touchpoint_id))
        if kept is None:
            rating.participant = target
            rating.respondent = target_respondents[rating.wave_id]
            rating.save(update_fields=["participant", "respondent"])
        elif rating.updated_at > kept.updated_at:
            Rating.objects.filter(pk=kept.pk).update(
                score=rating.score,
                words=rating.words,
                preference=rating.preference,
                comment=rating.comment,
                updated_at=rating.updated_at,
            )
            rating.delete()
        else:
            rating.delete()
    Respondent.objects.filter(participant=source).delete()
    for journey_id in set(
        Rating.objects.filter(participant=target).values_list("journey", flat=True)
    ):
        Journey.objects.filter(pk=journey_id).update(figures_version=F("figures_version") + 1)
