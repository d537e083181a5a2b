"""Registering for a meeting on a phone, and being checked in at the door."""

import re

from django.core import mail
from playwright.sync_api import expect

from sammen.accounts.actions import do_create_account
from sammen.meetings.models import Registration
from sammen.testing import PASSWORD, make_space
from sammen.testing.meetings import make_meeting, register

from .conftest import DESKTOP, PHONE_390
from .test_open_call import sign_in


def test_a_phone_registers_confirms_by_email_and_is_checked_in_at_the_door(
    screens, assert_accessible
):
    planner = do_create_account("planner@example.org", PASSWORD, "Pia Planner")
    space = make_space(planner, "Harbour Museum", visibility="public")
    meeting = make_meeting(space, planner, "Partner day", capacity=40)
    register(meeting, "Ana Lind")
    tom = register(meeting, "Tom Berg")
    meeting_url = meeting.activity.get_absolute_url()

    # A visitor registers on their phone with a name and an email address.
    phone = screens.open(viewport=PHONE_390)
    phone.goto(meeting_url)
    expect(phone.get_by_text("38 places left")).to_be_visible()
    screens.shot(phone, "phone-meeting")
    phone.get_by_role("link", name="Register", exact=True).click()
    phone.get_by_label("Your name").fill("Rosa Jensen")
    phone.get_by_label("Your email address").fill("rosa@example.org")
    assert_accessible(phone)
    screens.shot(phone, "phone-register")
    phone.get_by_role("button", name="Register").click()
    expect(phone.get_by_text("Almost done: open the link we sent to rosa@")).to_be_visible()
    expect(phone.get_by_text("One step left: confirm your email address.")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "phone-unconfirmed")

    # They follow the link in the email; the click on the page confirms, not the visit.
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    phone.goto(link.strip())
    expect(phone.get_by_role("heading", name="Confirm your registration")).to_be_visible()
    phone.get_by_role("button", name="Confirm my registration").click()
    expect(phone.locator(".flash")).to_have_text("You're registered.")
    qr = phone.get_by_role("img", name="QR code of your registration, to show at the door")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 200  # big enough for a scanner at the door
    rosa = Registration.objects.get(email="rosa@example.org")
    expect(phone.locator(".ticket__text-code")).to_have_text(rosa.code)
    assert_accessible(phone)
    screens.shot(phone, "phone-registered-qr")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]

    # At the door, the planner finds her by name and checks her in; htmx updates the row.
    desk = screens.open(viewport=DESKTOP)
    sign_in(desk, "planner@example.org")
    desk.goto(meeting_url)
    desk.get_by_role("link", name="Check-in", exact=True).click()
    desk.wait_for_load_state()
    expect(desk.locator("#door-counts")).to_contain_text("3 registered")
    desk.get_by_label("Name or email").fill("jens")
    row = desk.locator(f"#attendee-{rosa.pk}")
    expect(row).to_contain_text("Rosa Jensen")
    expect(desk.locator("#door-results")).to_contain_text("1 registered attendee found")
    assert "q=jens" in desk.url
    assert_accessible(desk)
    row.get_by_role("button", name="Check in Rosa Jensen").click()
    expect(row).to_contain_text("Checked in at")
    expect(desk.locator("#door-status")).to_have_text("Checked in: Rosa Jensen.")
    expect(desk.locator("#door-counts")).to_contain_text("1 checked in")
    expect(desk.get_by_label("Name or email")).to_be_focused()
    screens.shot(desk, "desk-checked-in")
    rosa.refresh_from_db()
    assert rosa.checked_in_at is not None
    phone.reload()
    expect(phone.get_by_text(re.compile("Welcome! You checked in at"))).to_be_visible()
    expect(phone.get_by_role("link", name="Cancel your registration…")).to_have_count(0)
    desk.goto(phone.url)  # the registration's address opens on any device
    expect(desk.locator(".ticket__qr")).to_be_visible()
    screens.shot(desk, "desk-ticket")
    desk.go_back()

    # The scan page: without a camera API the code is typed; another's code is refused.
    desk.get_by_role("link", name="Scan QR codes").click()
    expect(desk.get_by_role("button", name="Start the camera")).to_be_hidden()
    desk.get_by_label("Registration code").fill(tom.code)
    desk.get_by_role("button", name="Check in").click()
    expect(desk.locator("#scan-result")).to_have_text("Checked in: Tom Berg.")
    expect(desk.locator("#door-counts")).to_contain_text("2 checked in")
    desk.get_by_label("Registration code").fill("NotAnyonesCode123")
    desk.get_by_role("button", name="Check in").click()
    expect(desk.locator("#scan-result")).to_have_text(
        "No registration for this meeting has this code."
    )
    assert_accessible(desk)
    screens.shot(desk, "desk-scan")

    # The planners' list, on a phone too.
    desk.get_by_role("link", name="Registrations", exact=True).click()
    expect(desk.get_by_role("row", name=re.compile("Rosa Jensen"))).to_contain_text("Registered")
    assert_accessible(desk)
    screens.shot(desk, "desk-registrations")
    door_phone = screens.open(viewport=PHONE_390)
    sign_in(door_phone, "planner@example.org")
    door_phone.goto(desk.url)
    screens.shot(door_phone, "phone-registrations")
    door_phone.get_by_role("link", name="Check-in", exact=True).click()
    door_phone.wait_for_load_state()  # htmx listens once the page has loaded
    door_phone.get_by_label("Name or email").fill("berg")
    expect(door_phone.locator("#door-results")).to_contain_text("Tom Berg")
    screens.shot(door_phone, "phone-check-in")
    assert door_phone.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


# A camera that shows nothing and a detector that reads one code: what a phone at the door
# does, for a browser without either (headless Chromium has no BarcodeDetector).
FAKE_CAMERA = """
window.__scanned = null;
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return window.__scanned ? [{ rawValue: window.__scanned }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
"""


def test_the_camera_reads_a_qr_code_and_checks_the_attendee_in(screens):
    planner = do_create_account("planner@example.org", PASSWORD, "Pia Planner")
    space = make_space(planner, "Harbour Museum", visibility="public")
    meeting = make_meeting(space, planner, "Partner day")
    rosa = register(meeting, "Rosa Jensen")
    door = screens.open(viewport=PHONE_390)
    door.context.add_init_script(FAKE_CAMERA)
    sign_in(door, "planner@example.org")
    door.goto(meeting.activity.get_absolute_url() + "check-in/scan/")
    door.get_by_role("button", name="Start the camera").click()
    expect(door.get_by_text("Point the camera at a QR code.")).to_be_visible()
    door.evaluate(f"window.__scanned = {rosa.code!r}")
    expect(door.locator("#scan-result")).to_have_text("Checked in: Rosa Jensen.")
    screens.shot(door, "phone-scanned")
    # The same code held up again a moment later is not posted twice.
    door.wait_for_timeout(1000)
    expect(door.locator("#scan-result")).to_have_text("Checked in: Rosa Jensen.")
    rosa.refresh_from_db()
    assert rosa.checked_in_at is not None
