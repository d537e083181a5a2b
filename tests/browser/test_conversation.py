"""A conversation from brief to opinion map, in real browsers, one of them a phone."""

import re

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.conversations.actions import do_recompute_opinion_map, do_vote
from sammen.conversations.models import Conversation
from sammen.testing import PASSWORD, make_member, make_space
from sammen.testing.conversations import (
    SEEDS,
    TWO_CAMP_SEEDS,
    make_conversation,
    statements_of,
    vote_in_camps,
    vote_in_two_opposing_camps,
)

from .conftest import DESKTOP, PHONE
from .test_journey import BRIEF
from .test_open_call import sign_in


def vote_with_buttons_and_keys(page: Page, votes: str, already: int = 0) -> None:
    """Vote on the statements one by one: upper case with the buttons, lower with keys."""
    names = {"A": "Agree", "D": "Disagree", "P": "Pass or unsure"}
    for count, vote in enumerate(votes, start=already + 1):
        statement = page.locator("#current-statement").inner_text()
        if vote.isupper():
            page.get_by_role("button", name=names[vote], exact=True).click()
        else:
            page.locator("#current-statement").focus()
            page.keyboard.press(vote)
        expect(page.locator(".vote-card__progress")).to_contain_text(f"You voted on {count} of")
        if count < len(SEEDS):
            expect(page.locator("#current-statement")).not_to_have_text(statement)


def test_a_conversation_from_brief_to_opinion_map(screens, assert_accessible):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    member = do_create_account("neighbour@example.org", PASSWORD, "Nils Neighbour")
    space = make_space(organiser, "Harbour Museum")
    make_member(space, member)

    # The organiser writes the brief first, chooses a conversation, asks the question,
    # seeds the statements and opens it.
    desk = screens.open()
    sign_in(desk, "host@example.org")
    desk.goto(f"/s/{space.slug}/new/")
    desk.get_by_label("Title").fill("The harbour's future")
    desk.get_by_label("Conversation", exact=True).check()
    desk.get_by_role("button", name="Continue to the brief").click()
    for field, text in BRIEF.items():
        desk.locator(f"#{field}").fill(text)
    desk.locator("input[name=check_agreement][value=yes]").check()
    expect(desk.locator("#self-check-result")).to_contain_text("conversation fits")
    desk.locator("#id_measures-0-measure").fill("People who take part")
    desk.locator("#id_measures-0-target").fill("100")
    desk.get_by_role("button", name="Save the brief").click()
    desk.get_by_role("link", name="Set up the Conversation").click()
    desk.get_by_label("What do you ask?").fill("What should the harbour become in ten years?")
    desk.get_by_label("Anyone, without an account").check()
    desk.get_by_label("Approve each new statement before others see it").check()
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_text("The conversation's settings are saved.")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="Statements", exact=True).click()
    desk.get_by_label("New statements, one per line").fill("\n".join(SEEDS))
    desk.get_by_role("button", name="Add the statements").click()
    expect(desk.get_by_text("8 statements added.")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="The harbour's future").first.click()
    desk.get_by_role("button", name="Open the activity").click()
    expect(desk.get_by_text("The activity is open.")).to_be_visible()
    screens.shot(desk, "conversation-open")
    conversation_url = desk.url

    # Others took part earlier: two camps, so the map has groups to show.
    vote_in_camps(Conversation.objects.get(activity__slug="the-harbours-future"), people=10)

    # An anonymous visitor takes part on a phone, with the buttons and the keyboard.
    phone = screens.open(viewport=PHONE)
    phone.goto(conversation_url)
    expect(phone.get_by_role("heading", name="Agree or disagree?")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "phone-first-statement")
    vote_with_buttons_and_keys(phone, "ADaadp")
    expect(phone.locator("#your-place")).to_contain_text("Vote on 1 more statement")
    vote_with_buttons_and_keys(phone, "aA", already=6)
    expect(phone.get_by_text("You have voted on every statement. Thank you!")).to_be_visible()
    expect(phone.locator("#your-place")).to_contain_text(re.compile(r"You are in group [AB]"))
    expect(phone.locator("#your-place .map-you")).to_be_attached()
    assert_accessible(phone)
    screens.shot(phone, "phone-where-you-stand")

    # They change their mind on the first statement they voted on (the last in the list).
    phone.get_by_role("link", name="See or change your votes").click()
    expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
    expect(phone.locator(".your-vote")).to_have_count(len(SEEDS))
    first = phone.locator(".your-vote").last
    expect(first.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    first.get_by_role("button", name="Disagree", exact=True).click()
    expect(first.get_by_role("status")).to_have_text("Saved: you disagree.")
    expect(first.get_by_role("button", name="Disagree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(first.get_by_role("button", name="Disagree", exact=True)).to_be_focused()
    expect(first.locator(".your-vote__value")).to_have_text("Disagree")
    assert_accessible(phone)
    screens.shot(phone, "phone-your-votes")
    phone.reload()
    expect(phone.locator(".your-vote").last.locator(".your-vote__value")).to_have_text("Disagree")
    phone.get_by_role("link", name="The harbour's future").first.click()

    # The phone participant adds a statement; a near-duplicate is flagged as they type.
    phone.get_by_role("link", name="Add your own statement").click()
    phone.get_by_label("Your statement").fill("Old warehouses should become homes for artists")
    expect(phone.locator("#similar-statements")).to_contain_text(
        "Old warehouses should become homes."
    )
    phone.get_by_label("Your statement").fill("The quay needs benches in the shade.")
    expect(phone.locator("#similar-statements")).not_to_contain_text("warehouses")
    assert_accessible(phone)
    screens.shot(phone, "phone-add-statement")
    phone.get_by_role("button", name="Add the statement").click()
    expect(phone.get_by_text("appears once the organisers have read it")).to_be_visible()

    # A member votes on a desktop with the keyboard only.
    neighbour = screens.open()
    sign_in(neighbour, "neighbour@example.org")
    neighbour.goto(conversation_url)
    vote_with_buttons_and_keys(neighbour, "addapdda")
    expect(neighbour.locator("#your-place")).to_contain_text("You are in group")
    assert_accessible(neighbour)
    screens.shot(neighbour, "desktop-where-you-stand")

    # The organiser approves the new statement, in place.
    desk.goto(f"{conversation_url}statements/?show=pending")
    row = desk.locator(".statement-row", has_text="The quay needs benches in the shade.")
    row.get_by_role("button", name=re.compile("Approve")).click()
    expect(row.get_by_role("button", name=re.compile("Approve"))).to_have_count(0)
    assert_accessible(desk)
    screens.shot(desk, "statements")

    # The member now gets the approved statement to vote on, and reports it.
    neighbour.goto(conversation_url)
    expect(neighbour.locator("#current-statement")).to_have_text(
        "The quay needs benches in the shade."
    )
    neighbour.get_by_role("link", name="Report this statement").click()
    neighbour.get_by_label("Off topic").check()
    neighbour.get_by_role("button", name="Send the report").click()
    expect(neighbour.get_by_text("The moderators of this space will look at it.")).to_be_visible()

    # The organiser finds it in the space's moderation queue, with a link to it.
    desk.goto(f"/s/{space.slug}/moderation/")
    reported = desk.locator(".moderation-item", has_text="The quay needs benches in the shade.")
    expect(reported).to_contain_text("Off topic")
    assert_accessible(desk)
    screens.shot(desk, "moderation-queue")
    reported.get_by_role("link", name=re.compile("Statement 9, on")).click()
    expect(desk.locator(".statement-row")).to_have_count(1)
    expect(desk.locator(".statement-row")).to_contain_text("The quay needs benches in the shade.")

    # The organiser reads the map and its groups, and makes the report public.
    desk.goto(conversation_url)
    desk.get_by_role("link", name="Opinion map and report").first.click()
    expect(desk.get_by_role("heading", name="The opinion map")).to_be_visible()
    expect(desk.locator(".group-card")).to_have_count(2)
    expect(desk.get_by_role("heading", name="What unites the groups")).to_be_visible()
    expect(desk.locator("svg.opinion-map__svg .map-point").first).to_be_attached()
    expect(desk.locator(".map-statement")).to_have_count(0)

    # They put the statements on the map, in place (htmx), and take them off again.
    desk.get_by_role("link", name="Show the statements on the map").click()
    expect(desk.locator("svg.opinion-map__svg .map-statement")).to_have_count(len(SEEDS) + 1)
    expect(desk).to_have_url(re.compile(r"statements=on"))
    expect(desk.get_by_role("link", name="Take the statements off the map")).to_be_focused()
    expect(desk.get_by_role("table", name="Statements on the map")).to_contain_text(SEEDS[0])
    expect(desk.locator(".map-statement title").first).to_have_text(re.compile(r"^\d+\. "))
    assert_accessible(desk)
    screens.shot(desk, "report-with-statements")
    desk.get_by_role("link", name="Take the statements off the map").click()
    expect(desk.locator(".map-statement")).to_have_count(0)
    expect(desk).not_to_have_url(re.compile(r"statements=on"))
    desk.get_by_role("button", name="Make the report public").click()
    expect(desk.get_by_text("Everyone can read the report now.")).to_be_visible()
    assert_accessible(desk)
    screens.shot(desk, "report")

    # And the phone participant can read it too, with the statements on the map.
    phone.goto(f"{conversation_url}opinion-map/")
    expect(phone.get_by_role("heading", name="What sets each group apart")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "phone-report")
    phone.get_by_role("link", name="Show the statements on the map").click()
    expect(phone.locator(".map-statement")).to_have_count(len(SEEDS) + 1)
    assert_accessible(phone)
    screens.shot(phone, "phone-report-with-statements")


def test_the_report_names_only_what_unites_every_group_or_says_votes_are_too_few(
    screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum")
    # Nine voters in two opposing camps: everyone agrees with statement 7 and disagrees
    # with 9; the rest split the camps or have a single vote.
    camps = make_conversation(space, organiser, seeds=TWO_CAMP_SEEDS, report_public=True)
    vote_in_two_opposing_camps(camps)
    do_recompute_opinion_map(camps)
    # Four voters in two camps of two: no group can give a statement three votes.
    few = make_conversation(
        space, organiser, "The quay's benches", seeds=TWO_CAMP_SEEDS, report_public=True
    )
    people = [do_create_anonymous_participant() for _person in range(4)]
    for statement in statements_of(few):
        for index, person in enumerate(people):
            do_vote(person, statement, 1 if (index < 2) == (statement.number % 2 == 0) else -1)
    do_recompute_opinion_map(few)

    for label, viewport in [("desktop", DESKTOP), ("phone", {"width": 390, "height": 844})]:
        page = screens.open(viewport)
        page.goto(f"{camps.activity.get_absolute_url()}opinion-map/")
        uniting = page.locator("section[aria-labelledby=uniting-title]")
        expect(uniting.get_by_role("heading", name="What unites the groups")).to_be_visible()
        expect(uniting.locator(".statement-list__item")).to_have_count(2)
        expect(uniting).to_contain_text(TWO_CAMP_SEEDS[6])
        expect(uniting).to_contain_text(TWO_CAMP_SEEDS[8])
        expect(uniting).to_contain_text("100% agree in every group")
        divisive = page.locator("section[aria-labelledby=divisive-title] .statement-list__text")
        expect(divisive.first).to_be_visible()
        for text in divisive.locator("span[lang]").all_inner_texts():
            expect(uniting).not_to_contain_text(text)
        for number in (1, 2, 3, 4, 5, 6, 8, 10):
            expect(uniting).not_to_contain_text(TWO_CAMP_SEEDS[number - 1])
        assert_accessible(page)
        screens.shot(page, f"uniting-{label}")

        page.goto(f"{few.activity.get_absolute_url()}opinion-map/")
        uniting = page.locator("section[aria-labelledby=uniting-title]")
        expect(uniting).to_contain_text(
            "Too few votes to say what unites the groups: no statement has enough votes "
            "from every group yet."
        )
        expect(uniting.locator(".statement-list__item")).to_have_count(0)
        assert_accessible(page)
        screens.shot(page, f"too-few-votes-{label}")
