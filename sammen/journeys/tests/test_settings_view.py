import pytest
from django.urls import reverse

from sammen.journeys.models import Segment
from sammen.testing import make_member, make_space, make_user
from sammen.testing.journeys import make_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    journey = make_journey(space, owner)
    return owner, space, journey


def settings_url(journey):
    activity = journey.activity
    return reverse("journeys:settings", args=[activity.space.slug, activity.slug])


def test_the_activity_page_shows_the_map_to_anyone(client, world):
    _owner, _space, journey = world
    response = client.get(journey.activity.get_absolute_url())
    assert response.status_code == 200
    assert "The welcome at the desk" in response.text


def test_the_owner_saves_settings_with_segments(client, world):
    owner, _space, journey = world
    client.force_login(owner)
    response = client.post(
        settings_url(journey),
        {
            "audience": "verified_email",
            "scale": "7",
            "segment_question": "Is this your first visit?",
            "segments": "First visit\nRegular\nFirst visit\n",
            "ask_recommendation": "on",
        },
    )
    assert response.status_code == 302
    assert list(Segment.objects.values_list("label", flat=True)) == ["First visit", "Regular"]


def test_a_segment_question_needs_two_answers_and_nothing_changes(client, world):
    owner, _space, journey = world
    client.force_login(owner)
    response = client.post(
        settings_url(journey),
        {"audience": "anyone", "scale": "5", "segment_question": "Why?", "segments": "One"},
    )
    assert response.status_code == 200
    assert "at least two answers" in response.text
    journey.refresh_from_db()
    assert journey.scale == 7
    assert journey.segment_question == ""


def test_members_and_strangers_may_not_change_settings(client, world):
    _owner, space, journey = world
    member = make_user("Mo")
    make_member(space, member)
    client.force_login(member)
    assert client.get(settings_url(journey)).status_code == 403
    client.logout()
    assert client.get(settings_url(journey)).status_code == 302
