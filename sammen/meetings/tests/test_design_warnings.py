"""The design's warnings, one rule at a time, and the costs per attendee, worked out by
hand."""

from datetime import timedelta
from decimal import Decimal

import pytest

from sammen.core.errors import ActionRefused
from sammen.meetings.actions import do_check_in
from sammen.meetings.design import (
    audience_time,
    brief_warnings,
    cost_summary,
    design_warnings,
    load_design,
    outside_meeting,
    room_overlaps,
    summarise_costs,
)
from sammen.meetings.models import CostLine, Format, Level, Session
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


def rules(meeting) -> list[str]:
    return [warning.rule for warning in design_warnings(meeting, *load_design(meeting))]


def session(title="Talk", start=(10, 0), minutes=60, **fields) -> Session:
    """An unsaved session, for the rules that read no objectives."""
    starts = at(*start)
    return Session(
        pk=fields.pop("pk", None),
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        format=fields.pop("format", Format.WORKSHOP),
        **fields,
    )


def test_a_sound_design_has_no_warning(owner, meeting):
    objective = add_objective(owner, meeting)
    add_session(owner, meeting, serves=(objective,), audience_minutes=30)
    assert rules(meeting) == []


def test_it_warns_of_an_objective_no_session_serves(owner, meeting):
    served = add_objective(owner, meeting, "Served")
    alone = add_objective(owner, meeting, "Alone")
    add_session(owner, meeting, serves=(served,))
    warnings = design_warnings(meeting, *load_design(meeting))
    assert [(w.rule, w.objective_id) for w in warnings] == [("unserved", alone.pk)]
    assert (
        warnings[0].message == "No session serves “Alone”. Add one, or say which session serves it."
    )


@pytest.mark.parametrize("level", [Level.LEARNING, Level.APPLICATION])
def test_it_warns_of_learning_or_application_served_only_by_talks(owner, meeting, level):
    objective = add_objective(owner, meeting, level=level)
    keynote = add_session(
        owner, meeting, "Keynote", format=Format.KEYNOTE, audience_minutes=10, serves=(objective,)
    )
    panel = add_session(
        owner,
        meeting,
        "Panel",
        at(11),
        format=Format.PANEL,
        audience_minutes=20,
        serves=(objective,),
    )
    warnings = design_warnings(meeting, *load_design(meeting))
    assert [w.rule for w in warnings] == ["one_way"]
    assert set(warnings[0].session_ids) == {keynote.pk, panel.pk}
    assert "Only keynotes and panels serve" in warnings[0].message


def test_a_reaction_objective_may_be_served_by_a_keynote_and_a_workshop_lifts_the_warning(
    owner, meeting
):
    reaction = add_objective(owner, meeting, "People enjoy it", level=Level.REACTION)
    learning = add_objective(owner, meeting, "People learn")
    add_session(owner, meeting, "Keynote", format=Format.KEYNOTE, serves=(reaction, learning))
    assert rules(meeting) == ["one_way"]
    add_session(owner, meeting, "Fishbowl", at(11), format=Format.FISHBOWL, serves=(learning,))
    assert rules(meeting) == []


def test_it_warns_of_an_agenda_where_the_audience_never_speaks():
    warnings = audience_time(
        [session(audience_minutes=0), session(start=(11, 0), audience_minutes=0)]
    )
    assert [w.rule for w in warnings] == ["audience_time"]
    assert "no time to speak" in warnings[0].message


def test_it_warns_when_the_audience_speaks_in_under_a_tenth_of_the_programme():
    # 4 hours is 240 minutes: 23 minutes is under a tenth, 24 is not.
    four_hours = [session(minutes=120, audience_minutes=20), session(start=(12, 0), minutes=120)]
    four_hours[1].audience_minutes = 3
    warnings = audience_time(four_hours)
    assert "only 23 of the programme's 240 minutes" in warnings[0].message
    four_hours[1].audience_minutes = 4
    assert audience_time(four_hours) == []
    assert audience_time([]) == []


def test_it_warns_of_an_objective_without_a_measurement(owner, meeting):
    measured = add_objective(owner, meeting, "Measured")
    unmeasured = add_objective(owner, meeting, "Unmeasured", measured=False)
    add_session(owner, meeting, serves=(measured, unmeasured))
    warnings = design_warnings(meeting, *load_design(meeting))
    assert [(w.rule, w.objective_id) for w in warnings] == [("unmeasured", unmeasured.pk)]
    assert brief_warnings(meeting.activity) == [warnings[0].message]


def test_it_warns_of_sessions_overlapping_in_the_same_room():
    hall = session("Keynote", (9, 0), 90, pk=1, room="Hall")
    same_hall = session("Panel", (10, 0), 60, pk=2, room=" hall ")
    after = session("Lunch", (11, 0), 60, pk=3, room="Hall")  # starts as the panel ends
    elsewhere = session("Workshop", (10, 0), 60, pk=4, room="Loft")
    nowhere = session("Walk", (10, 0), 60, pk=5, room="")
    warnings = room_overlaps([hall, same_hall, after, elsewhere, nowhere])
    assert [w.session_ids for w in warnings] == [(1, 2)]
    assert warnings[0].message == "“Keynote” and “Panel” overlap in the room “Hall”."


def test_it_warns_of_a_session_outside_the_meetings_time(meeting):
    early = session("Breakfast", (8, 0), 60, pk=1)
    inside = session("Workshop", (9, 0), 60, pk=2)
    late = session("Drinks", (16, 30), 60, pk=3)
    warnings = outside_meeting(meeting, [early, inside, late])
    assert [w.session_ids for w in warnings] == [(1,), (3,)]
    assert "“Breakfast” is outside the meeting's time" in warnings[0].message


def test_with_no_end_set_a_session_on_another_day_is_outside(meeting):
    meeting.ends_at = None
    next_day = session("Excursion", (10, 0), pk=1)
    next_day.starts_at = at(10, day=1)
    next_day.ends_at = at(12, day=1)
    assert [w.session_ids for w in outside_meeting(meeting, [session(pk=2), next_day])] == [(1,)]
    meeting.starts_at = None
    assert outside_meeting(meeting, [next_day]) == []


def line(category: str, amount: str) -> CostLine:
    return CostLine(category=category, amount=Decimal(amount))


def test_costs_are_totalled_by_category_in_the_categories_order():
    summary = summarise_costs(
        [line("catering", "450.50"), line("venue", "1200"), line("catering", "99.50")],
        registered=0,
        attended=0,
    )
    assert [(c.category, c.total) for c in summary.categories] == [
        ("venue", Decimal(1200)),
        ("catering", Decimal(550)),
    ]
    assert summary.total == Decimal(1750)
    assert summary.per_registered is None
    assert summary.per_attended is None


def test_the_cost_per_attendee_is_rounded_to_the_cent():
    summary = summarise_costs([line("venue", "1000")], registered=3, attended=7)
    assert summary.per_registered == Decimal("333.33")  # 1000 / 3
    assert summary.per_attended == Decimal("142.86")  # 1000 / 7 = 142.857…


def test_the_cost_per_attendee_counts_registrations_and_check_ins(owner, meeting):
    objective = add_objective(owner, meeting)
    add_session(owner, meeting, serves=(objective,))
    open_meeting(owner, meeting)
    add_cost(owner, meeting, "venue", "900")
    add_cost(owner, meeting, "catering", "300")
    ana, ben, _cas = (register(meeting, name) for name in ("Ana", "Ben", "Cas"))
    assert cost_summary(meeting).per_registered == Decimal(400)
    assert cost_summary(meeting).per_attended is None
    do_check_in(owner, ana)
    do_check_in(owner, ben)
    summary = cost_summary(meeting)
    assert (summary.registered, summary.attended) == (3, 2)
    assert summary.per_attended == Decimal(600)
    with pytest.raises(ActionRefused):
        add_cost(owner, meeting, "venue", "-1")
    assert cost_summary(meeting).total == Decimal(1200)
