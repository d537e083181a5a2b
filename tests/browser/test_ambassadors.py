"""An ambassador's link brings a participant; the owner sees the visit, sign-up and contribution."""

from playwright.sync_api import expect

from sammen.accounts.actions import do_create_account
from sammen.activities.tests.sample_kind.recognition import SAMPLE_HELPED  # noqa: F401 (registered)
from sammen.ambassadors.actions import do_answer_invitation, do_invite_ambassador
from sammen.recognition.actions import do_state_reward
from sammen.testing import PASSWORD, make_member, make_space
from sammen.testing.calls import make_call, make_idea

from .conftest import DESKTOP
from .test_open_call import sign_in

NARROW = {"width": 375, "height": 800}


def test_an_ambassadors_link_brings_a_participant_the_owner_sees(screens, assert_accessible):
    owner = do_create_account("festival@example.org", PASSWORD, "Frida Festival")
    ambassador_user = do_create_account("amir@example.org", PASSWORD, "Amir Ambassador")
    space = make_space(owner, "Harbour Festival")
    make_member(space, ambassador_user)
    call = make_call(space, owner, "Next year's programme", supporters="anyone")
    idea = make_idea(call, owner, "A night concert on the quay")
    ambassador = do_invite_ambassador(owner, space, ambassador_user)
    do_answer_invitation(ambassador_user, ambassador, accept=True)
    do_state_reward(owner, space, kind="backstage", title="A backstage visit")

    # The ambassador finds their personal link (and its QR code) on their own page.
    own = screens.open(viewport=NARROW)
    sign_in(own, "amir@example.org")
    own.goto(f"/s/{space.slug}/ambassador/")
    link_field = own.locator(f"#link-{call.activity.pk}")
    link = link_field.input_value()
    assert f"/a/{ambassador.token}/{call.activity.slug}/" in link
    own.get_by_text("QR code").first.click()
    expect(own.locator(".ambassador-link__qr").first).to_be_visible()
    assert_accessible(own)
    screens.shot(own, "ambassador-page-375")
    own.set_viewport_size(DESKTOP)
    screens.shot(own, "ambassador-page-1280")

    # A newcomer opens it on a phone, lands on the call, and supports an idea.
    phone = screens.open(viewport=NARROW)
    phone.goto(link)
    expect(phone).to_have_url(f"{screens.base_url}{call.activity.get_absolute_url()}")
    phone.get_by_role("link", name=idea.title).first.click()
    phone.get_by_role("button", name="Support this idea").click()
    expect(phone.get_by_role("button", name="Support this idea")).to_have_count(0)

    # The owner sees what Amir's link brought: one visit, one person, one sign-up, one contribution.
    desk = screens.open(viewport=NARROW)
    sign_in(desk, "festival@example.org")
    desk.goto(f"/s/{space.slug}/ambassadors/")
    row = desk.locator(f"#ambassador-{ambassador.pk}")
    expect(row).to_contain_text("Amir Ambassador")
    expect(row.locator("td.number")).to_have_text(["1", "1", "1", "1"])
    assert_accessible(desk)
    screens.shot(desk, "ambassadors-375")
    desk.set_viewport_size(DESKTOP)
    screens.shot(desk, "ambassadors-1280")

    # From the row, the owner rewards and thanks the ambassador, outcomes shown first.
    row.get_by_role("link", name="Thank or reward").click()
    desk.get_by_label("Reward").select_option(label="A backstage visit")
    desk.get_by_label("Why they get it (they will read this)").fill("Brought newcomers to the call")
    desk.get_by_role("button", name="Grant the reward").click()
    expect(desk.get_by_text("has the reward, and is told about it.")).to_be_visible()
    desk.get_by_label("Your note").fill("Thank you for bringing people along, Amir.")
    desk.get_by_role("button", name="Send the note").click()
    expect(desk.get_by_text("Your note is on its way to Amir Ambassador.")).to_be_visible()
    assert_accessible(desk)
    screens.shot(desk, "person-1280")
    desk.set_viewport_size(NARROW)
    screens.shot(desk, "person-375")
    desk.goto(f"/s/{space.slug}/rewards/")
    assert_accessible(desk)
    screens.shot(desk, "rewards-375")
    desk.set_viewport_size(DESKTOP)
    screens.shot(desk, "rewards-1280")

    own.goto("/thank-yous/")
    expect(own.get_by_text("Thank you for bringing people along, Amir.")).to_be_visible()
    screens.shot(own, "thank-yous-1280")
