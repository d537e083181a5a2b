"""A planned opening or closing in a year no one plans for is refused, not a failure."""

import pytest
from django.urls import reverse

from sammen.testing import make_activity, make_space, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0001", "9999", "1999"])
def test_an_odd_year_is_refused_with_a_message(client, year):
    owner = make_user("Olga")
    space = make_space(owner, "Harbour")
    activity = make_activity(space, owner, "Plans")
    client.force_login(owner)
    response = client.post(
        reverse("activities:settings", args=[space.slug, activity.slug]),
        {"title": "Plans", "opens_at": f"{year}-01-01T00:00", "closes_at": f"{year}-01-02T00:00"},
    )
    assert response.status_code == 200
    assert "Give a date between the years 2000 and 2999" in response.text
    activity.refresh_from_db()
    assert activity.opens_at is None
