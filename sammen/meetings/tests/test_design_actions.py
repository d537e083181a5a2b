"""The design's actions: objectives, sessions, costs and benefits, their limits and
what they refuse (nothing changes when they do)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.meetings.actions import (
    CostInput,
    ObjectiveInput,
    SessionInput,
    do_add_cost_line,
    do_add_intangible,
    do_add_objective,
    do_add_session,
    do_delete_objective,
    do_delete_session,
    do_move_objective,
    do_update_session,
)
from sammen.meetings.actions.design import MAX_INTANGIBLES
from sammen.meetings.audit_actions import AuditAction
from sammen.meetings.models import (
    MAX_AMOUNT,
    MAX_COST_LINES,
    MAX_OBJECTIVES,
    MAX_SESSIONS,
    CostLine,
    LearningAnswer,
    Objective,
    Session,
    SessionRating,
)
from sammen.testing import make_space, make_user
from sammen.testing.meetings import register

from .design_world import add_cost, add_objective, add_session, at, bare_meeting, open_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("Olga")


@pytest.fixture
def meeting(owner):
    return bare_meeting(make_space(owner, "Harbour Museum"), owner)


def test_objectives_are_added_in_order_and_move_one_place_at_a_time(owner, meeting):
    first, second, third = (add_objective(owner, meeting, text) for text in "ABC")
    do_move_objective(owner, third, -1)
    assert list(meeting.objectives.values_list("text", flat=True)) == ["A", "C", "B"]
    do_move_objective(owner, first, -1)  # at the top already: nothing moves
    assert list(meeting.objectives.values_list("text", flat=True)) == ["A", "C", "B"]
    with pytest.raises(ActionRefused):
        do_move_objective(owner, second, 2)


def test_every_change_to_the_design_is_in_the_audit_log(owner, meeting):
    objective = add_objective(owner, meeting)
    add_session(owner, meeting, serves=(objective,))
    add_cost(owner, meeting, "venue", "1200")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        AuditAction.OBJECTIVES_CHANGED,
        AuditAction.PROGRAMME_CHANGED,
        AuditAction.COSTS_CHANGED,
    } <= actions


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "Say what the meeting should achieve."),
        ({"text": "x" * 301}, "under 300 characters"),
        ({"level": "enlightenment"}, "Choose the level"),
        ({"target": Decimal("1e20")}, "Give an amount from"),
        ({"target": Decimal("NaN")}, "Give an amount from"),
        ({"target": Decimal("1.005")}, "two decimals"),
    ],
)
def test_a_bad_objective_is_refused(owner, meeting, changes, message):
    data = {"level": "learning", "text": "Partners learn", **changes}
    with pytest.raises(ActionRefused, match=message):
        do_add_objective(owner, meeting, ObjectiveInput(**data))
    assert not Objective.objects.filter(meeting=meeting).exists()


def test_a_meeting_holds_at_most_so_many_objectives(owner, meeting):
    for number in range(MAX_OBJECTIVES):
        add_objective(owner, meeting, f"Objective {number}")
    with pytest.raises(ActionRefused, match="at most"):
        add_objective(owner, meeting, "One more")
    assert meeting.objectives.count() == MAX_OBJECTIVES


def test_an_objective_attendees_answered_on_stays(owner, meeting):
    objective = add_objective(owner, meeting)
    add_session(owner, meeting, serves=(objective,))
    open_meeting(owner, meeting)
    LearningAnswer.objects.create(
        objective=objective, registration=register(meeting), moment="before", value=2
    )
    with pytest.raises(ActionRefused, match="so it stays"):
        do_delete_objective(owner, objective)
    assert Objective.objects.filter(pk=objective.pk).exists()


def session_input(**changes):
    data = {
        "title": "Open space",
        "starts_at": at(10),
        "ends_at": at(11),
        "format": "open_space",
        "audience_minutes": 40,
    }
    return SessionInput(**{**data, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Give the session a title."),
        ({"ends_at": at(9)}, "must end after it starts"),
        ({"ends_at": at(10)}, "must end after it starts"),
        ({"ends_at": at(11, day=2)}, "at most a day"),
        ({"format": "lecture"}, "Choose the format"),
        ({"audience_minutes": 61}, "from 0 to 60 minutes"),
        ({"audience_minutes": -1}, "from 0 to 60 minutes"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
        ({"room": "r" * 201}, "under 200 characters"),
    ],
)
def test_a_bad_session_is_refused(owner, meeting, changes, message):
    with pytest.raises(ActionRefused, match=message):
        do_add_session(owner, meeting, session_input(**changes))
    assert not Session.objects.filter(meeting=meeting).exists()


def test_a_session_serves_only_objectives_of_its_own_meeting(owner, meeting):
    other = bare_meeting(meeting.activity.space, owner, "Another day")
    theirs = add_objective(owner, other)
    ours = add_objective(owner, meeting)
    session = add_session(owner, meeting, serves=(ours,))
    with pytest.raises(ActionRefused, match="objectives of this meeting"):
        do_update_session(owner, session, session_input(objective_ids=(ours.pk, theirs.pk)))
    session.refresh_from_db()
    assert session.title == "Co-creating an exhibition"
    assert list(session.objectives.all()) == [ours]


def test_a_programme_holds_at_most_so_many_sessions(owner, meeting):
    for number in range(MAX_SESSIONS):
        add_session(owner, meeting, f"Session {number}", at(9) + timedelta(minutes=number))
    with pytest.raises(ActionRefused, match="at most"):
        add_session(owner, meeting, "One more")


def test_a_rated_session_stays(owner, meeting):
    add_objective(owner, meeting)
    session = add_session(owner, meeting)
    open_meeting(owner, meeting)
    SessionRating.objects.create(session=session, registration=register(meeting), score=4)
    with pytest.raises(ActionRefused, match="so it stays"):
        do_delete_session(owner, session)
    assert Session.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-0.01", "Give an amount from 0"),
        (str(MAX_AMOUNT + 1), "Give an amount from 0"),
        ("Infinity", "Give an amount from 0"),
        ("12.345", "two decimals"),
        ("abc", "as a number"),
    ],
)
def test_a_bad_amount_is_refused(owner, meeting, amount, message):
    with pytest.raises(ActionRefused, match=message):
        do_add_cost_line(owner, meeting, CostInput("venue", amount))
    assert not CostLine.objects.exists()


def test_a_meeting_holds_at_most_so_many_cost_lines_and_benefits(owner, meeting):
    for _number in range(MAX_COST_LINES):
        add_cost(owner, meeting, "other", "1")
    with pytest.raises(ActionRefused, match="at most"):
        add_cost(owner, meeting, "other", "1")
    for number in range(MAX_INTANGIBLES):
        do_add_intangible(owner, meeting, f"Benefit {number}")
    with pytest.raises(ActionRefused, match="at most"):
        do_add_intangible(owner, meeting, "One more")
    with pytest.raises(ActionRefused, match="Name the benefit"):
        do_add_intangible(owner, meeting, "  ")
