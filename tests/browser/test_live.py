"""A live session in real browsers: presenter, moderator and three participants, one on a phone.

The pages run against uvicorn (ASGI) in a thread, because event streams need it; the
test server pytest-django starts is WSGI.
"""

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.live.actions import (
    LiveSettings,
    Moderate,
    OptionInput,
    do_ask_question,
    do_join_session,
    do_moderate_questions,
    do_save_poll,
    do_show_on_screen,
    do_update_live_settings,
)
from sammen.live.models import LiveSession
from sammen.live.views import stream
from sammen.spaces.models import Role
from sammen.testing import PASSWORD, make_activity, make_member, make_space

from .conftest import PHONE, Screens

PHONE_390: ViewportSize = {"width": 390, "height": 844}
BIG_SCREEN: ViewportSize = {"width": 1920, "height": 1080}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[str]:
    """Serve Sammen's ASGI application (with static files) from a thread."""
    from sammen.asgi import application

    port = free_port()
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def live_screens(
    browser: Browser, asgi_server: str, request: pytest.FixtureRequest
) -> Iterator[Screens]:
    opened = Screens(browser, asgi_server, request.node.name)
    yield opened
    opened.close()
    csp_errors = [error for error in opened.console_errors if "Content Security Policy" in error]
    assert csp_errors == [], csp_errors


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def join(page: Page, code: str, name: str) -> None:
    page.goto(f"/j/{code}")
    page.get_by_label(re.compile("Your name")).fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text(f"You take part as {name}")).to_be_visible()
    # The room's scripts are deferred: until "load" a click posts the plain form (which works,
    # but reloads the page), so a test that counts on htmx waits for them.
    page.wait_for_load_state("load")


def test_a_live_session_with_presenter_moderator_and_three_participants(
    live_screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    moderator = do_create_account("mod@example.org", PASSWORD, "Milo Moderator")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    make_member(space, moderator, Role.MODERATOR)
    activity = make_activity(
        space, organiser, "Friday talk: the new harbour", kind="live", open_it=True
    )
    session = LiveSession.objects.get(activity=activity)
    do_update_live_settings(organiser, session, LiveSettings(moderation="pre"))
    do_save_poll(
        organiser,
        session,
        kind="single",
        title="Which part of the harbour should we open first?",
        options=[
            OptionInput("The old dock"),
            OptionInput("The fish market"),
            OptionInput("The lighthouse"),
        ],
    )
    code = session.code
    base = f"/s/{space.slug}/a/{activity.slug}/live/"

    presenter = live_screens.open(viewport={"width": 1600, "height": 900})
    sign_in(presenter, "host@example.org")
    presenter.goto(f"{base}present/")
    expect(presenter.locator(".stage-join__code")).to_have_text(code)

    desk = live_screens.open()
    sign_in(desk, "mod@example.org")
    desk.goto(f"{base}moderate/")

    phone = live_screens.open(viewport=PHONE)
    laptop = live_screens.open()
    tablet = live_screens.open(viewport={"width": 800, "height": 1000})
    join(phone, code, "Pia")
    join(laptop, code, "Lars")
    join(tablet, code, "Tove")
    assert_accessible(phone)

    # A question is asked, waits for approval, is approved, upvoted and answered.
    phone.get_by_placeholder("Ask the speaker something").fill(
        "Will the lighthouse be open at night?"
    )
    phone.get_by_role("button", name="Ask", exact=True).click()
    # The note under the form (the page's live region says it too, unseen, once read out).
    expect(
        phone.locator(".live-poll__note").get_by_text("It shows once a moderator has approved it")
    ).to_be_visible()
    expect(phone.locator("#live-mine")).to_contain_text("Waiting for a moderator")
    pending = desk.locator("#mod-queue").get_by_text("Will the lighthouse be open at night?")
    expect(pending).to_be_visible()  # arrived on the moderator's screen without a reload
    desk.locator("#mod-queue").get_by_role("button", name="Approve").click()
    question = laptop.locator("#live-questions").get_by_text(
        "Will the lighthouse be open at night?"
    )
    expect(question).to_be_visible()
    laptop.locator("#live-questions .live-vote").first.click()
    expect(tablet.locator("#live-questions .live-vote__count").first).to_have_text("1")
    expect(phone.locator("#live-mine")).not_to_contain_text("Waiting for a moderator")
    desk.locator("#mod-queue").get_by_role("button", name="Mark answered").click()
    expect(tablet.locator("#live-questions .badge--answered")).to_be_visible()
    assert_accessible(desk)
    live_screens.shot(desk, "moderator")

    # The presenter moves to the poll and opens it; all three answer; the results appear.
    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator(".stage__title")).to_have_text(
        "Which part of the harbour should we open first?"
    )
    presenter.get_by_role("button", name="Open the poll").click()
    for page, answer in [
        (phone, "The lighthouse"),
        (laptop, "The lighthouse"),
        (tablet, "The old dock"),
    ]:
        page.get_by_label(answer).check()
        page.get_by_role("button", name="Send").click()
        # The note under the poll (the page's live region says it too, unseen).
        expect(
            page.locator(".live-poll__note").get_by_text(
                "You can change your answer while the poll is open"
            )
        ).to_be_visible()
    expect(presenter.locator(".stage .live-chart__caption")).to_contain_text("3 answers")
    expect(presenter.locator(".stage .live-bars__value").nth(2)).to_have_text("67%")
    expect(phone.locator(".live-chart__caption")).to_contain_text("3 answers")
    assert_accessible(presenter)
    live_screens.shot(presenter, "presenter")

    # Reactions float over the big screen; J hides and shows the join code.
    phone.get_by_role("button", name="Love it").click()
    expect(presenter.locator(".reaction-float").first).to_be_attached()
    presenter.keyboard.press("j")
    expect(presenter.locator(".presenter__join")).to_be_hidden()
    presenter.keyboard.press("j")
    expect(presenter.locator(".presenter__join")).to_be_visible()
    assert_accessible(phone)
    live_screens.shot(phone, "phone")
    weight = phone.evaluate(
        """() => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0)"""
    )
    print(f"participant page weight (uncompressed, first load): {weight / 1024:.0f} KiB")
    assert weight < 200 * 1024

    # The organiser's other pages pass axe too.
    presenter.get_by_role("button", name="Close the poll").click()
    expect(phone.locator("#live-polls")).to_contain_text("closed")
    # The closed poll reaches every phone as one shared snapshot; each keeps its answer.
    expect(phone.locator(".live-poll__done")).to_be_visible()
    expect(phone.locator(".live-poll__own")).to_have_text("The lighthouse")
    expect(tablet.locator(".live-poll__own")).to_have_text("The old dock")
    for path in ["", "polls/new/", "results/"]:
        presenter.goto(f"{base}{path}")
        assert_accessible(presenter)
    expect(presenter.locator(".live-bars").first).to_be_visible()
    live_screens.shot(presenter, "results")


def test_the_presenter_reveals_results_on_the_projector_and_phones_in_the_chosen_order(
    live_screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, "Opening night", kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    # Results wait on every screen until the presenter shows them.
    do_update_live_settings(organiser, session, LiveSettings(results_to_participants=False))
    do_save_poll(
        organiser,
        session,
        kind="single",
        title="Which room should open first?",
        options=[OptionInput("The boat hall"), OptionInput("The map room")],
    )
    do_save_poll(organiser, session, kind="rating", title="How was the opening talk?")
    base = f"/s/{space.slug}/a/{activity.slug}/live/"

    # The organiser moves the rating poll to the top, without a reload.
    desk = live_screens.open()
    sign_in(desk, "host@example.org")
    desk.goto(base)
    desk.evaluate("window.notReloaded = true")
    desk.get_by_role("button", name="Move up: How was the opening talk?").click()
    expect(desk.locator("#live-setup-polls")).to_contain_text("is now number 1")
    expect(desk.locator(".live-setup__poll-title").first).to_have_text("How was the opening talk?")
    assert desk.evaluate("window.notReloaded") is True
    assert_accessible(desk)
    live_screens.shot(desk, "poll-order")

    # "Next" on the projector follows that order; the poll opens with its results hidden.
    presenter = live_screens.open(viewport={"width": 1600, "height": 900})
    sign_in(presenter, "host@example.org")
    presenter.goto(f"{base}present/")
    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator(".stage__title")).to_have_text("How was the opening talk?")
    expect(presenter.get_by_role("button", name="Open the poll")).to_be_visible()
    presenter.keyboard.press("o")
    expect(presenter.locator(".stage__kicker")).to_contain_text("open")

    phone = live_screens.open(viewport=PHONE)
    join(phone, session.code, "Pia")
    phone.evaluate("window.notReloaded = true")
    phone.get_by_label("4", exact=True).check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".live-poll__results")).to_contain_text("Results show when the poll")
    expect(phone.get_by_label("4", exact=True)).to_be_checked()  # their own answer stays
    expect(presenter.locator(".stage__count")).to_have_text("1 answer")
    expect(presenter.locator(".stage .live-chart")).to_have_count(0)
    live_screens.shot(presenter, "results-hidden")
    live_screens.shot(phone, "results-hidden")

    # R reveals them on the projector and on the phone, without a reload.
    presenter.keyboard.press("r")
    expect(presenter.locator(".stage .live-chart__caption")).to_contain_text("1 answer")
    expect(presenter.locator(".stage .live-chart__caption")).to_contain_text("average 4")
    expect(phone.locator(".live-poll__results .live-chart__caption")).to_contain_text("1 answer")
    expect(presenter.get_by_role("button", name="Hide the results")).to_be_visible()
    assert phone.evaluate("window.notReloaded") is True
    assert_accessible(presenter)
    assert_accessible(phone)
    live_screens.shot(presenter, "results-revealed")
    live_screens.shot(phone, "results-revealed")

    # And R hides them again everywhere.
    presenter.keyboard.press("r")
    expect(phone.locator(".live-poll__results")).to_contain_text("The results are hidden for now.")
    expect(presenter.locator(".stage__results")).to_contain_text("The results are hidden for now.")


def test_a_timed_quiz_question_counts_down_and_the_server_closes_it(
    live_screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, "Harbour quiz", kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    do_save_poll(
        organiser,
        session,
        kind="single",
        title="When was the lighthouse built?",
        options=[OptionInput("1902", is_correct=True), OptionInput("1925")],
        time_limit=6,
    )
    presenter = live_screens.open(viewport={"width": 1600, "height": 900})
    sign_in(presenter, "host@example.org")
    presenter.goto(f"/s/{space.slug}/a/{activity.slug}/live/present/")
    phone = live_screens.open(viewport=PHONE)
    join(phone, session.code, "Pia")
    presenter.keyboard.press("ArrowRight")
    expect(presenter.get_by_role("button", name="Open the poll")).to_be_visible()
    presenter.keyboard.press("o")

    # Both count down from the server's deadline; the phone answers in time.
    expect(presenter.locator(".stage__countdown")).to_have_text(re.compile(r"^0:0[1-6]$"))
    expect(phone.locator(".live-countdown")).to_have_text(re.compile(r"^0:0[1-6]$"))
    phone.get_by_label("1902").check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".live-poll__own")).to_have_text("1902")  # their own answer
    assert_accessible(phone)
    live_screens.shot(presenter, "countdown")
    live_screens.shot(phone, "countdown")

    # At zero the server closes the question; both screens follow without a reload.
    expect(presenter.locator(".stage__kicker")).to_contain_text("closed", timeout=15_000)
    expect(presenter.locator(".stage .live-bars__row.is-correct")).to_have_count(1)
    expect(presenter.get_by_role("button", name="Open the poll")).to_be_visible()
    expect(phone.locator("#live-polls")).to_contain_text("closed")
    expect(phone.locator(".live-poll__own")).to_have_text("1902")
    expect(phone.locator(".live-countdown")).to_have_count(0)
    live_screens.shot(presenter, "time-is-up")
    live_screens.shot(phone, "time-is-up")


def refuse_with(status: int | None) -> Callable[[Route], None]:
    """Return a route handler that answers with `status`, or fails as a lost network does."""

    def refuse(route: Route) -> None:
        if status is None:
            route.abort()
        else:
            route.fulfill(status=status, body="No")

    return refuse


def test_a_phone_asks_three_questions_in_a_row_and_all_reach_the_moderators(
    live_screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, "Friday talk", kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    do_update_live_settings(organiser, session, LiveSettings(moderation="pre"))
    desk = live_screens.open()
    sign_in(desk, "host@example.org")
    desk.goto(f"/s/{space.slug}/a/{activity.slug}/live/moderate/")

    phone = live_screens.open(viewport=PHONE_390)
    join(phone, session.code, "Pia")
    phone.evaluate("window.notReloaded = true")
    box = phone.get_by_placeholder("Ask the speaker something")
    questions = [
        "Will the lighthouse be open at night?",
        "Can children climb the tower?",
        "Is there a ferry back after ten?",
    ]
    for text in questions:
        box.fill(text)
        phone.get_by_role("button", name="Ask", exact=True).click()
        expect(box).to_have_value("")  # the form came back empty: the question is in
        expect(desk.locator("#mod-queue")).to_contain_text(text)
    expect(phone.locator("#live-alert")).to_be_empty()
    expect(phone.locator("#live-mine .live-mine__item")).to_have_count(3)
    assert phone.evaluate("window.notReloaded") is True
    live_screens.shot(phone, "three-questions")

    # A write the server or the network refuses says so, in words; the text stays to retry.
    refusals: list[tuple[int | None, str]] = [
        (403, "this page is out of date"),
        (429, "too much at once"),
        (500, "Something went wrong"),
        (None, "No connection"),
    ]
    for status, words in refusals:
        phone.route("**/questions/", refuse_with(status))
        box.fill("Where do I park my bike?")
        phone.get_by_role("button", name="Ask", exact=True).click()
        expect(phone.locator("#live-alert")).to_contain_text(words)
        expect(phone.get_by_text("Your question is in")).to_have_count(0)
        expect(box).to_have_value("Where do I park my bike?")
        phone.unroute("**/questions/")
    expect(phone.locator("#live-alert")).to_be_in_viewport()  # in sight beside the ask box
    assert_accessible(phone)
    live_screens.shot(phone, "refused")


def test_the_big_screen_labels_pinned_and_answered_questions_and_shows_reactions_as_images(
    live_screens, assert_accessible
):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, "Friday talk", kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    tove = do_join_session(session, do_create_anonymous_participant(), name="Tove")
    do_ask_question(tove, "Is the ferry running late tonight?")
    pinned = do_ask_question(tove, "Will the lighthouse open at night?")
    answered = do_ask_question(tove, "Can children climb the tower?")
    do_moderate_questions(organiser, session, [pinned], Moderate.PIN)
    do_moderate_questions(organiser, session, [answered], Moderate.ANSWERED)
    do_show_on_screen(session, "questions")

    presenter = live_screens.open(viewport=BIG_SCREEN)
    sign_in(presenter, "host@example.org")
    presenter.goto(f"/s/{space.slug}/a/{activity.slug}/live/present/")
    questions = presenter.locator(".stage-question")
    expect(questions).to_have_count(3)
    expect(questions.nth(0).locator(".stage-label")).to_have_text("Pinned")
    expect(questions.nth(0).locator(".stage-label")).to_be_visible()
    expect(questions.nth(2).locator(".stage-label")).to_have_text("Answered")
    expect(questions.nth(2).locator(".stage-label")).to_be_visible()
    expect(questions.nth(1).locator(".stage-label")).to_have_count(0)

    # Reactions are pictures on the phone and on the stage, whatever fonts either has.
    phone = live_screens.open(viewport=PHONE_390)
    join(phone, session.code, "Pia")
    buttons = phone.locator(".live-reaction img.reaction-icon")
    expect(buttons).to_have_count(5)
    phone.wait_for_function(  # every image loaded and drawn
        "() => [...document.querySelectorAll('.live-reaction img')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    phone.get_by_role("button", name="Love it").click()
    # Each floats for a few seconds only: look for it while it is there.
    floating = presenter.locator('.reaction-float img.reaction-icon[src$="/heart.svg"]')
    expect(floating.first).to_be_attached()
    assert_accessible(presenter)
    assert_accessible(phone)
    live_screens.shot(presenter, "labels-and-reactions")
    live_screens.shot(phone, "reaction-images")


def open_session(title: str) -> LiveSession:
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, title, kind="live", open_it=True)
    return LiveSession.objects.get(activity=activity)


def expect_following(page: Page) -> None:
    """Wait until the page's stream is open: the status shows, and says "Live"."""
    status = page.locator("[data-live-status]")
    expect(status).to_be_visible()  # hidden, though it says "Live", until the stream answers
    expect(status).to_have_text("Live")
    expect(status).not_to_have_class(re.compile("live-status--off"))


def count_streams(page: Page) -> list[str]:
    """Return a list that fills with the page's requests for its event stream."""
    opened: list[str] = []
    page.on(
        "request", lambda request: opened.append(request.url) if "/events/" in request.url else None
    )
    return opened


def test_a_stream_refused_once_is_opened_again_and_the_phone_follows_the_room(
    live_screens, monkeypatch
):
    """EventSource gives up on an error status (a proxy's 502 while a server restarts, a
    refusal); the page asks again by itself. The server refuses the first stream itself:
    a Playwright route does not always see an EventSource's request."""
    session = open_session("Friday talk")
    tove = do_join_session(session, do_create_anonymous_participant(), name="Tove")
    phone = live_screens.open(viewport=PHONE)
    refused: list[str] = []
    answer_stream = stream.stream_variant

    def refuse_the_first(request: HttpRequest, code: str) -> object:
        if not refused:
            refused.append(request.path)
            raise PermissionDenied
        return answer_stream(request, code)

    monkeypatch.setattr(stream, "stream_variant", refuse_the_first)
    join(phone, session.code, "Pia")
    expect_following(phone)  # only a second stream can say "Live": the first was refused
    assert refused == [f"/live/{session.code}/events/"]
    do_ask_question(tove, "Is the ferry running late tonight?")
    expect(phone.locator("#live-questions")).to_contain_text("Is the ferry running late tonight?")


def test_a_screen_past_the_stream_cap_pauses_and_says_so_while_the_newer_one_follows(
    live_screens, monkeypatch
):
    # One stream per person, so two tabs are enough to pass the cap.
    monkeypatch.setattr("sammen.live.hub.MAX_STREAMS_PER_PERSON", 1)
    session = open_session("Friday talk")
    tove = do_join_session(session, do_create_anonymous_participant(), name="Tove")
    older = live_screens.open(viewport=PHONE)
    older_streams = count_streams(older)
    join(older, session.code, "Pia")
    expect_following(older)

    newer = older.context.new_page()
    newer.goto(f"/live/{session.code}/")
    expect_following(newer)
    expect(older.locator("[data-live-status]")).to_have_text(
        "Paused: you opened this in another window. Reload to follow it here."
    )
    expect(older.locator(".live-status--off")).to_be_visible()

    do_ask_question(tove, "Will the lighthouse open at night?")
    expect(newer.locator("#live-questions")).to_contain_text("Will the lighthouse open at night?")
    # Longer than the stream's retry (3 s): a stream left open would have reconnected.
    older.wait_for_timeout(3500)
    expect(older.locator("#live-questions")).not_to_contain_text("Will the lighthouse")
    assert len(older_streams) == 1, older_streams  # it stopped for good: no reconnection
    live_screens.shot(older, "paused")
