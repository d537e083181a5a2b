"""The organisers' page of what customers wrote at a touchpoint."""

import pytest
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.journeys.actions import do_rate
from sammen.journeys.models import Rating
from sammen.spaces.models import Role
from sammen.testing import make_member, make_space, make_user
from sammen.testing.journeys import make_journey, touchpoints_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    journey = make_journey(space, owner)
    desk = touchpoints_of(journey)[2]
    for text in ("Nobody looked up.", "Kind and quick <b>really</b>"):
        do_rate(journey, do_create_anonymous_participant(), desk, score=2, comment=text)
    do_rate(journey, do_create_anonymous_participant(), desk, score=6)
    return owner, space, journey, desk


def url(journey, touchpoint):
    activity = journey.activity
    return reverse("journeys:comments", args=[activity.space.slug, activity.slug, touchpoint.pk])


def test_organisers_read_the_comments_escaped_and_newest_first(client, world):
    owner, _space, journey, desk = world
    client.force_login(owner)
    response = client.get(url(journey, desk))
    assert response.status_code == 200
    text = response.text
    assert "Kind and quick &lt;b&gt;really&lt;/b&gt;" in text
    assert text.index("Kind and quick") < text.index("Nobody looked up.")
    assert "Negative" in text


def test_a_comment_is_hidden_with_a_reason_and_shown_again(client, world):
    owner, _space, journey, desk = world
    client.force_login(owner)
    rating = Rating.objects.get(comment="Nobody looked up.")
    page = url(journey, desk)
    client.post(page, {"rating": rating.pk, "step": "hide", "reason": "Names a member of staff"})
    rating.refresh_from_db()
    assert rating.comment_is_hidden
    assert "Names a member of staff" in client.get(page).text
    client.post(page, {"rating": rating.pk, "step": "restore"})
    rating.refresh_from_db()
    assert not rating.comment_is_hidden


@pytest.mark.parametrize("data", [{"step": "hide"}, {"step": "hide", "reason": "x" * 201}])
def test_hiding_needs_a_short_reason_and_changes_nothing_without(client, world, data):
    owner, _space, journey, desk = world
    client.force_login(owner)
    rating = Rating.objects.get(comment="Nobody looked up.")
    response = client.post(url(journey, desk), {"rating": rating.pk, **data}, follow=True)
    assert response.status_code == 200
    rating.refresh_from_db()
    assert not rating.comment_is_hidden


@pytest.mark.parametrize("rating", ["", "abc", "-1", "99999999999999999999"])
def test_an_odd_or_foreign_comment_is_refused(client, world, rating):
    owner, _space, journey, _desk = world
    client.force_login(owner)
    other = touchpoints_of(journey)[0]
    foreign = Rating.objects.get(comment="Nobody looked up.")
    response = client.post(url(journey, other), {"rating": rating or foreign.pk, "reason": "x"})
    assert response.status_code in {302, 404}
    assert not Rating.objects.filter(comment_hidden_at__isnull=False).exists()


def test_only_organisers_read_them(client, world):
    _owner, space, journey, desk = world
    member, moderator = make_user("Mo"), make_user("Maja")
    make_member(space, member)
    make_member(space, moderator, Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(url(journey, desk)).status_code == 200
    client.force_login(member)
    assert client.get(url(journey, desk)).status_code == 403
    client.logout()
    assert client.get(url(journey, desk)).status_code == 302
