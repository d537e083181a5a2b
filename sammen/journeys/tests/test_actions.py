import pytest
from django.db import IntegrityError

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.core.errors import ActionRefused
from sammen.journeys.actions import (
    do_answer_closing_questions,
    do_move_stage,
    do_move_touchpoint,
    do_rate,
    do_start_wave,
)
from sammen.journeys.models import Rating, Stage, Wave
from sammen.testing import make_space, make_user
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("Olga")


@pytest.fixture
def journey(owner):
    return make_journey(make_space(owner, "Harbour Museum"), owner)


def test_a_journey_has_its_map_in_order_and_one_open_wave(journey):
    names = [touchpoint.name for touchpoint in touchpoints_of(journey)]
    assert names[0] == "Buying a ticket online"
    assert names[-1] == "The museum shop"
    assert Wave.objects.filter(journey=journey, closed_at__isnull=True).count() == 1


def test_rating_again_changes_the_one_rating(journey):
    first = touchpoints_of(journey)[0]
    participant = do_create_anonymous_participant()
    do_rate(journey, participant, first, score=2, words=["annoyed"], comment="Slow site")
    rating = do_rate(journey, participant, first, score=6, words=["delighted", "helped"])
    assert Rating.objects.filter(journey=journey).count() == 1
    assert rating.score == 6
    assert rating.comment == ""


def test_bad_ratings_are_refused_and_change_nothing(journey):
    first = touchpoints_of(journey)[0]
    participant = do_create_anonymous_participant()
    for kwargs in (
        {"score": 0},
        {"score": 8},
        {"score": 3, "words": ["hungry"]},
        {"score": 3, "preference": "robot"},
        {"score": 3, "comment": "x" * 1001},
        {"score": 3, "words": ["annoyed", "bored", "rushed", "confused", "ignored"]},
    ):
        with pytest.raises(ActionRefused):
            do_rate(journey, participant, first, **kwargs)
    assert not Rating.objects.exists()


def test_a_skip_keeps_no_words_or_comment(journey):
    participant = do_create_anonymous_participant()
    first = touchpoints_of(journey)[0]
    rating = do_rate(journey, participant, first, score=None, comment="not kept")
    assert rating.score is None
    assert rating.comment == ""


def test_one_rating_per_participant_touchpoint_and_wave_in_the_database(journey):
    participant = rate_all(journey, [4])
    rating = Rating.objects.get(participant=participant)
    rating.pk = None
    with pytest.raises(IntegrityError):
        rating.save()


def test_a_new_wave_takes_new_ratings_beside_the_old(journey, owner):
    participant = rate_all(journey, [3, 3])
    wave = do_start_wave(owner, journey, label="After the new entrance")
    rate_all(journey, [6, 6], participant)
    assert Rating.objects.filter(participant=participant).count() == 4
    assert Rating.objects.filter(wave=wave).count() == 2


def test_the_closing_questions_refuse_what_is_not_offered(journey):
    participant = do_create_anonymous_participant()
    with pytest.raises(ActionRefused):
        do_answer_closing_questions(journey, participant, segment_id=None, recommendation=9)


def test_moving_past_the_end_of_a_stage_moves_into_the_next(journey, owner):
    arrival = Stage.objects.get(journey=journey, name="Arrival")
    welcome = touchpoints_of(journey)[2]
    assert welcome.name == "The welcome at the desk"
    do_move_touchpoint(owner, welcome, 1)
    welcome.refresh_from_db()
    assert welcome.stage.name == "The visit"
    assert [t.name for t in touchpoints_of(journey)][2:4] == [
        "The welcome at the desk",
        "The main exhibition",
    ]
    do_move_stage(owner, arrival, -1)
    assert next(s.name for s in Stage.objects.filter(journey=journey)) == "Arrival"


def test_rating_a_wave_is_recognised_once(journey):
    from sammen.recognition.models import Recognition

    participant = rate_all(journey, [4, 5, 6])
    entries = Recognition.objects.filter(participant=participant, deed="journey_rated")
    assert entries.count() == 1
    assert entries.get().space == journey.activity.space


def test_a_new_wave_needs_ratings_in_the_current_one(journey, owner):
    rate_all(journey, [3, 3])
    do_start_wave(owner, journey, label="After the new entrance")
    with pytest.raises(ActionRefused):
        do_start_wave(owner, journey, label="A third, with nothing to compare")
    assert Wave.objects.filter(journey=journey).count() == 2
