from django.test import Client
from django.urls import reverse

from sammen.activities.kinds import get_kind
from sammen.activities.selfcheck import check_format, clean_answers, formats, questions
from sammen.testing import make_activity, make_space, make_user

# The installed kinds in the test settings: the three real ones and the test-only sample.
# Every installed kind's question answered no (the real kinds' and the sample's).
ALL_NO = {**{question.key: "no" for question in questions()}, "will_answer": "yes"}


def levels(result) -> list[str]:
    return [advice.level for advice in result.advice]


def test_the_questions_and_formats_come_from_the_installed_kinds():
    # In the order the kinds registered (the test-only sample kind last); the question
    # every activity shares comes after the formats' own.
    keys = [fmt.key for fmt in formats()]
    assert keys[-1] == "sample"
    assert len(keys) == len(set(keys))
    assert [question.key for question in questions()] == [
        *(fmt.question.key for fmt in formats()),
        "will_answer",
    ]


def test_a_kind_without_a_format_asks_nothing(monkeypatch):
    from dataclasses import replace

    from sammen.activities import kinds

    sample = get_kind("sample")
    assert sample is not None
    monkeypatch.setitem(kinds._kinds, "sample", replace(sample, selfcheck=None))
    assert "sample_need" not in [question.key for question in questions()]
    assert clean_answers({"sample_need": "yes"}) == {}


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


def test_a_kind_may_say_in_its_own_words_that_it_is_not_needed():
    result = check_format({**ALL_NO, "same_moment": "yes"}, "sample")
    assert result.has_warnings
    assert result.advice[0].message.startswith("A sample costs time.")
    assert "a live session" in result.advice[0].message


def test_the_general_warning_names_the_question_answered_no():
    result = check_format({**ALL_NO}, "live")
    assert "You chose a live session" in result.advice[-1].message
    assert "same moment" in result.advice[-1].message


def test_it_suggests_no_activity_when_nothing_calls_for_co_creation():
    result = check_format(ALL_NO, "")
    assert levels(result) == ["info"]
    assert "newsletter" in result.advice[0].message


def test_it_warns_when_the_organiser_will_not_answer():
    result = check_format({"will_answer": "no", "new_ideas": "yes"}, "call")
    assert result.advice[0].level == "warning"
    assert "inform them" in result.advice[0].message


def test_it_points_to_formats_when_none_is_chosen_yet():
    result = check_format({**ALL_NO, "new_ideas": "yes", "sample_need": "yes"}, "")
    assert result.suggested == ("call", "sample")
    assert "an open call or a sample" in result.advice[0].message


def test_it_ignores_unknown_questions_and_answers():
    assert clean_answers(
        {"new_ideas": "maybe", "evil": "yes", "agreement": "no", "nothing_asks_this": "yes"}
    ) == {"agreement": "no"}


def test_the_brief_form_asks_the_sample_kinds_question(db):
    owner = make_user("Olga")
    space = make_space(owner, "Harbour")
    activity = make_activity(space, owner, "Plans")
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("activities:brief", args=[space.slug, activity.slug]))
    assert response.status_code == 200
    assert b"Do you need a sample?" in response.content
    checked = client.post(
        reverse("activities:check_brief", args=[space.slug, activity.slug]),
        {"kind": "sample", "check_sample_need": "no", "check_same_moment": "yes"},
    )
    assert b"A sample costs time." in checked.content


def test_it_points_elsewhere_while_the_chosen_formats_question_is_unanswered():
    result = check_format({"new_ideas": "no", "agreement": "yes"}, "sample")
    assert levels(result) == ["info"]
    assert result.advice[0].message == "Your answers point to a conversation."
