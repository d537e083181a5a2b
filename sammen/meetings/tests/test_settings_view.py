import pytest
from django.urls import reverse

from sammen.testing import make_member, make_space, make_user
from sammen.testing.meetings import make_meeting, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    return owner, space, make_meeting(space, owner, capacity=3)


def settings_url(meeting):
    return reverse("meetings:settings", args=[meeting.activity.space.slug, meeting.activity.slug])


def form(**changes):
    data = {
        "audience": "anyone",
        "capacity": "40",
        "follow_up_days": "30, 90",
        "starts_at": "2027-05-01T09:00",
        "ends_at": "2027-05-01T17:00",
        "venue": "The harbour hall",
        "registration_open": "on",
    }
    return {**data, **changes}


def test_the_activity_page_shows_the_programme_and_places(client, world):
    _owner, _space, meeting = world
    response = client.get(meeting.activity.get_absolute_url())
    assert response.status_code == 200
    assert "Co-creating an exhibition" in response.text
    assert "3 places left" in response.text


def test_the_owner_saves_when_where_and_places(client, world):
    owner, _space, meeting = world
    client.force_login(owner)
    assert client.post(settings_url(meeting), form()).status_code == 302
    meeting.refresh_from_db()
    assert meeting.capacity == 40
    assert meeting.follow_up_days == [30, 90]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("follow_up_days", "30, soon", "whole numbers of days"),
        ("follow_up_days", "30, ²", "whole numbers of days"),
        ("follow_up_days", "0", "between 1 and"),
        ("ends_at", "2027-05-01T08:00", "must end after it starts"),
        ("capacity", "0", "greater than or equal to 1"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(client, world, field, value, message):
    owner, _space, meeting = world
    client.force_login(owner)
    response = client.post(settings_url(meeting), form(**{field: value}))
    assert response.status_code == 200
    assert message in response.text
    meeting.refresh_from_db()
    assert meeting.capacity == 3


def test_places_never_drop_below_those_taken(client, world):
    owner, _space, meeting = world
    register(meeting, "Ana")
    register(meeting, "Ben")
    client.force_login(owner)
    response = client.post(settings_url(meeting), form(capacity="1"))
    assert "keep at least that many places" in response.text


def test_members_and_strangers_may_not_change_settings(client, world):
    _owner, space, meeting = world
    member = make_user("Mo")
    make_member(space, member)
    client.force_login(member)
    assert client.get(settings_url(meeting)).status_code == 403
    client.logout()
    assert client.get(settings_url(meeting)).status_code == 302


def test_the_form_shows_the_times_in_its_boxes_and_refuses_the_year_one(client, world):
    owner, _space, meeting = world
    client.force_login(owner)
    client.post(settings_url(meeting), form())
    page = client.get(settings_url(meeting)).text
    assert 'value="2027-05-01T09:00"' in page
    response = client.post(settings_url(meeting), form(starts_at="0001-01-01T00:00"))
    assert response.status_code == 200
    assert "Give a date between the years" in response.text
