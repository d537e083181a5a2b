"""Calendar files: escaping and folding by RFC 5545, a session's and the meeting's
VEVENT, and who may download them."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sammen.activities.models import Phase
from sammen.meetings.ics import Event, calendar, escape_text, fold
from sammen.spaces.models import Role
from sammen.testing import make_member, make_space, make_user, participant_of
from sammen.testing.meetings import register

from .design_world import add_objective, add_session, at, bare_meeting, open_meeting

STAMP = datetime(2027, 4, 1, 12, 0, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF and nothing else ends a line
    return text[:-2].replace("\r\n ", "").split("\r\n")


def properties(text: str) -> dict[str, str]:
    return dict(
        line.split(":", 1) for line in unfold(text) if not line.startswith(("BEGIN", "END"))
    )


def unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        if value[index] == "\\":
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def test_text_is_escaped_as_rfc_5545_says():
    assert escape_text("Hall A, floor 2; door\\3\nleft\r\nright") == (
        "Hall A\\, floor 2\\; door\\\\3\\nleft\\nright"
    )


@given(st.text())
def test_escaped_text_reads_back_as_it_was(text):
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(c for c in expected if c in "\n\t" or not (ord(c) < 0x20 or ord(c) == 0x7F))
    assert unescape(escape_text(text)) == expected


@given(st.text(min_size=0, max_size=400))
def test_folded_lines_keep_to_75_octets_and_unfold_to_the_line(text):
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_long_line_of_several_byte_letters_is_never_cut_inside_a_letter():
    folded = fold("SUMMARY:" + "ø" * 100)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75


def test_a_calendar_holds_its_events_with_times_in_utc():
    event = Event(
        uid="meeting-1-session-2@example.org",
        starts_at=at(10),
        ends_at=at(11, 30),
        summary="Walk, and talk; then lunch",
        location="Loft, The harbour hall",
        url="https://example.org/call?a=1,2",
    )
    text = calendar([event], stamp=STAMP)
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    found = properties(text)
    assert found["VERSION"] == "2.0"
    assert found["PRODID"]
    assert found["DTSTAMP"] == "20270401T120000Z"
    assert found["DTSTART"] == "20270501T080000Z"  # 10:00 in Amsterdam in summer
    assert found["DTEND"] == "20270501T093000Z"
    assert found["SUMMARY"] == "Walk\\, and talk\\; then lunch"
    assert found["LOCATION"] == "Loft\\, The harbour hall"
    assert found["URL"] == "https://example.org/call?a=1,2"  # a URI is not escaped


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        calendar([Event("x", datetime(2027, 5, 1), datetime(2027, 5, 2), "x")], stamp=STAMP)


# The downloads


@pytest.fixture
def world(db):
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    meeting = bare_meeting(space, owner)
    objective = add_objective(owner, meeting)
    session = add_session(
        owner, meeting, "Fishbowl, with partners", room="Loft", serves=(objective,)
    )
    session.online_url = "https://meet.example.org/fishbowl"
    session.save(update_fields=["online_url"])
    return owner, space, meeting, session


def session_url(meeting, session):
    activity = meeting.activity
    return reverse("meetings:session_ics", args=[activity.space.slug, activity.slug, session.pk])


def meeting_url(meeting):
    activity = meeting.activity
    return reverse("meetings:meeting_ics", args=[activity.space.slug, activity.slug])


def test_a_sessions_file_is_a_vevent_with_its_time_place_and_link(client, world):
    owner, _space, meeting, session = world
    client.force_login(owner)
    response = client.get(session_url(meeting, session))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-{session.pk}.ics"')
    found = properties(response.content.decode())
    assert found["UID"] == f"meeting-{meeting.pk}-session-{session.pk}@testserver"
    assert found["DTSTART"] == "20270501T080000Z"
    assert found["DTEND"] == "20270501T090000Z"
    assert found["SUMMARY"] == "Fishbowl\\, with partners"
    assert found["LOCATION"] == "Loft\\, The harbour hall"
    assert found["URL"] == "https://meet.example.org/fishbowl"
    assert "DTSTAMP" in found


def test_the_meetings_file_is_one_event_with_the_programme(client, world):
    owner, _space, meeting, _session = world
    client.force_login(owner)
    response = client.get(meeting_url(meeting))
    found = properties(response.content.decode())
    assert found["UID"] == f"meeting-{meeting.pk}@testserver"
    assert found["DTSTART"] == "20270501T070000Z"
    assert found["DTEND"] == "20270501T150000Z"
    assert found["SUMMARY"] == "Partner day"
    assert "10:00–11:00 Fishbowl\\, with partners" in found["DESCRIPTION"]


def test_a_meeting_without_a_time_or_sessions_has_no_file_yet(client, world):
    owner, _space, meeting, session = world
    session.delete()
    meeting.starts_at = meeting.ends_at = None
    meeting.save(update_fields=["starts_at", "ends_at"])
    client.force_login(owner)
    response = client.get(meeting_url(meeting))
    assert response.status_code == 302


def test_visitors_get_the_file_without_the_online_link_and_attendees_with_it(client, world):
    owner, _space, meeting, session = world
    open_meeting(owner, meeting)
    visitor = make_user("Vera")
    client.force_login(visitor)
    found = properties(client.get(session_url(meeting, session)).content.decode())
    assert found["URL"] == f"http://testserver{meeting.activity.get_absolute_url()}"
    register(meeting, "Vera", participant_of(visitor))
    found = properties(client.get(session_url(meeting, session)).content.decode())
    assert found["URL"] == "https://meet.example.org/fishbowl"


def test_a_draft_meetings_files_are_for_its_planners_only(client, world):
    _owner, space, meeting, session = world
    assert meeting.activity.phase == Phase.DRAFT
    member = make_user("Mo")
    make_member(space, member)
    moderator = make_user("Maja")
    make_member(space, moderator, Role.MODERATOR)
    client.force_login(member)
    assert client.get(session_url(meeting, session)).status_code == 404
    assert client.get(meeting_url(meeting)).status_code == 404
    client.force_login(moderator)
    assert client.get(session_url(meeting, session)).status_code == 200


def test_a_session_of_another_meeting_is_not_found(client, world):
    owner, space, meeting, _session = world
    other = bare_meeting(space, owner, "Another day")
    theirs = add_session(owner, other)
    client.force_login(owner)
    assert client.get(session_url(meeting, theirs)).status_code == 404
    assert (
        client.get(session_url(meeting, theirs).replace(str(theirs.pk), "9" * 30)).status_code
        == 404
    )
