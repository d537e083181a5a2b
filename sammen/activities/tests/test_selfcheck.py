from sammen.activities.selfcheck import check_format, clean_answers

ALL_NO = {
    "new_ideas": "no",
    "agreement": "no",
    "same_moment": "no",
    "lived_experience": "no",
    "in_person": "no",
    "will_answer": "yes",
}


def levels(result) -> list[str]:
    return [advice.level for advice in result.advice]


def test_it_gives_no_advice_before_any_answer():
    result = check_format({}, "call")
    assert result.answered == 0
    assert result.advice == ()


def test_it_confirms_a_format_that_fits_the_answers():
    result = check_format({**ALL_NO, "new_ideas": "yes"}, "call")
    assert result.suggested == ("call",)
    assert levels(result) == ["ok"]


def test_it_warns_when_the_chosen_format_does_not_fit_and_names_a_better_one():
    result = check_format({**ALL_NO, "agreement": "yes"}, "call")
    assert levels(result) == ["warning"]
    assert "a conversation" in result.advice[0].message


def test_it_questions_a_meeting_that_needs_no_meeting_in_person():
    result = check_format({**ALL_NO, "in_person": "no", "same_moment": "yes"}, "meeting")
    assert result.has_warnings
    assert "travel" in result.advice[0].message
    assert "a live session" in result.advice[0].message


def test_it_suggests_no_activity_when_nothing_calls_for_co_creation():
    result = check_format(ALL_NO, "")
    assert levels(result) == ["info"]
    assert "newsletter" in result.advice[0].message


def test_it_warns_when_the_organiser_will_not_answer():
    result = check_format({"will_answer": "no", "new_ideas": "yes"}, "call")
    assert result.advice[0].level == "warning"
    assert "inform them" in result.advice[0].message


def test_it_points_to_formats_when_none_is_chosen_yet():
    result = check_format({**ALL_NO, "new_ideas": "yes", "lived_experience": "yes"}, "")
    assert result.suggested == ("call", "journey")
    assert "an open call or a journey" in result.advice[0].message


def test_it_ignores_unknown_questions_and_answers():
    assert clean_answers({"new_ideas": "maybe", "evil": "yes", "agreement": "no"}) == {
        "agreement": "no"
    }
