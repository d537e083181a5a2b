"""Every page of the demo, for each persona: the list the accessibility crawl visits.

The demo (`load_demo`) has a space of each visibility and an activity of each kind: the
museum (public, Dutch) with an open call and a closed meeting, and the festival (invite
only, English) with an answered call, a conversation, a journey and a live session. Pages
that open from an email or a ticket get their token here, as the email would carry it;
the moderation queue gets a report, a hidden statement and a blocked person to show, and
the moderator signs in with a second factor, so that its pages are visited too.
"""

from unittest.mock import patch

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import signing

from sammen.accounts.email_links import EMAIL_KEY, EmailLinkPurpose
from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.calls.models import Idea
from sammen.calls.views.support import SUPPORT_LINK
from sammen.comments.models import Comment
from sammen.conversations.models import Statement
from sammen.conversations.tasks import recompute_opinion_map
from sammen.conversations.views.participate import TAKE_PART_LINK as CONVERSATION_LINK
from sammen.demo.data import load_demo
from sammen.journeys.views.participate import TAKE_PART_LINK as JOURNEY_LINK
from sammen.live.models import LiveSession
from sammen.meetings.attendees import ticket_token
from sammen.meetings.follow_up_mail import follow_up_path
from sammen.meetings.models import FollowUp
from sammen.moderation.actions import do_hide, do_report
from sammen.spaces.actions import do_block_member
from sammen.spaces.models import Membership, Space

MUSEUM = "/s/stadsmuseum-zuiderlicht/"
FESTIVAL = "/s/northern-lights-festival/"

# The personas of the demo: who signs in (no one, for the visitor), and the language of
# their browser. Each reads another of the four languages, so that the crawl meets the
# longest words (Dutch and Danish ones, often) where they are likeliest to stick out.
PERSONAS = {
    "anonymous": (None, "sv"),
    "member": ("member@demo.example", "en"),
    "owner": ("owner@demo.example", "nl"),
    "moderator": ("moderator@demo.example", "da"),
}


def load_demo_quickly() -> None:
    """Load the demo, recomputing each opinion map once at the end.

    The test suite's task backend runs every task at once, so the demo's nine hundred
    votes would each recompute the map (a minute's work); the real backend waits and
    recomputes once, as this does.
    """
    asked: set[int] = set()
    with patch("sammen.conversations.tasks.schedule_recompute", asked.add):
        load_demo()
    for conversation_id in sorted(asked):
        recompute_opinion_map.call(conversation_id)


def email_link(purpose: EmailLinkPurpose, email: str, **payload: int) -> str:
    """Return the token of the link `purpose`'s email would carry to `email`."""
    return signing.dumps({EMAIL_KEY: email, **payload}, salt=purpose.salt)


def activity(space: str, kind: str) -> str:
    found = Activity.objects.get(space__slug=space.strip("/").split("/")[-1], kind=kind)
    return found.get_absolute_url()


def prepare_moderation() -> None:
    """Give the festival's moderation queue something in each of its sections."""
    owner = User.objects.get(email="owner@demo.example")
    member = User.objects.get(email="member@demo.example")
    festival = Space.objects.get(slug="northern-lights-festival")
    idea = Idea.objects.filter(call__activity__space=festival).order_by("pk").first()
    do_report(member, festival, idea, "offensive", "The second paragraph names a neighbour.")
    comment = Comment.objects.filter(thread__space=festival).order_by("pk").first()
    if comment is not None:
        do_report(member, festival, comment, "spam")
    statement = Statement.objects.filter(conversation__activity__space=festival).last()
    do_hide(owner, statement, "A duplicate of statement 3, worded more sharply.")
    blocked = Membership.objects.filter(space=festival, role="member").order_by("-pk").first()
    assert blocked is not None
    do_block_member(owner, festival, blocked.user, "Posted the same advert eleven times.")


def prepare_two_factor() -> None:
    """Give the moderator two-factor sign-in: an app's codes, and recovery codes."""
    moderator = User.objects.get(email=PERSONAS["moderator"][0])
    TOTP.activate(moderator, generate_totp_secret())
    RecoveryCodes.activate(moderator)


def recovery_code(email: str) -> str:
    """Return a recovery code of `email`'s not used yet (signing in with it uses it)."""
    codes = Authenticator.objects.get(user__email=email, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(codes).get_unused_codes()[0]


def crawl_plan() -> dict[str, dict[str, list[str]]]:
    """Return, per persona and per area, the paths of the pages to visit."""
    call = activity(MUSEUM, "call")
    answered_call = activity(FESTIVAL, "call")
    conversation = activity(FESTIVAL, "conversation")
    journey = activity(FESTIVAL, "journey")
    live = activity(FESTIVAL, "live")
    meeting = activity(MUSEUM, "meeting")

    idea = Idea.objects.filter(call__activity__space__slug="stadsmuseum-zuiderlicht").first()
    assert idea is not None
    idea_url = idea.get_absolute_url()
    noor = User.objects.get(email="member@demo.example").participant
    others_idea = Idea.objects.filter(call=idea.call).exclude(author=noor).order_by("pk").first()
    own_comment = Comment.objects.filter(author=noor).first()
    others_comment = Comment.objects.filter(thread__activity__kind="call").exclude(author=noor)
    others_comment = others_comment.order_by("pk").first()
    assert others_idea is not None
    assert own_comment is not None
    assert others_comment is not None
    answered_idea = Idea.objects.filter(call__activity__space__slug="northern-lights-festival")
    answered_idea_url = answered_idea.order_by("-support_count").first().get_absolute_url()
    session = LiveSession.objects.get(activity__space__slug="northern-lights-festival")
    poll = session.polls.order_by("position").first()
    assert poll is not None
    statement = Statement.objects.filter(conversation__activity__slug=conversation.split("/")[-2])
    first_statement = statement.order_by("number").first()
    assert first_statement is not None
    the_journey = Activity.objects.get(kind="journey").journey
    touchpoint = the_journey.touchpoints.order_by("position", "pk").first()
    assert touchpoint is not None
    rating_comment = the_journey.ratings.exclude(comment="").order_by("pk").first()
    assert rating_comment is not None
    the_meeting = Activity.objects.get(kind="meeting").meeting
    registration = the_meeting.registrations.filter(participant=noor).first()
    assert registration is not None
    objective = the_meeting.objectives.order_by("pk").first()
    programme_session = the_meeting.sessions.order_by("starts_at").first()
    cost = the_meeting.costs.order_by("pk").first()
    assert objective is not None
    assert programme_session is not None
    assert cost is not None
    ticket = ticket_token(registration)
    follow_up = (
        FollowUp.objects.filter(
            registration__meeting=the_meeting, sent_at__isnull=False, answered_at__isnull=True
        )
        .order_by("pk")
        .first()
    )
    assert follow_up is not None
    festival_member = Membership.objects.filter(
        space__slug="northern-lights-festival", role="member"
    ).first()
    assert festival_member is not None
    people = noor.public_id
    email = "visitor@example.org"

    public = {
        "spaces": [
            "/",
            "/spaces/",
            MUSEUM,
            FESTIVAL,
            f"/people/{people}/",
        ],
        "accounts": [
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/password/reset/done/",
            "/accounts/password/reset/key/1-expired/",
            "/accounts/password/reset/key/done/",
            "/accounts/confirm-email/",
            "/accounts/confirm-email/expired/",
            "/accounts/inactive/",
        ],
        "calls": [call, f"{call}ideas/", idea_url, f"{answered_call}report/"],
        "conversations": [
            conversation,
            f"{conversation}your-votes/",
            f"{conversation}statements/new/",
            f"{conversation}opinion-map/",
        ],
        "journeys": [
            journey,
            f"{journey}touchpoints/{touchpoint.pk}/rate/",
            f"{journey}touchpoints/{touchpoint.pk}/propose/",
            f"{journey}journey/closing/",
            f"{journey}journey/thanks/",
        ],
        "live": ["/join/", live, f"/live/{session.code}/"],
        "meetings": [
            meeting,
            f"{meeting}registration/",
            f"{meeting}registration/ticket/{ticket}/",
            f"{meeting}learning/{ticket}/",
            f"{meeting}sessions/{ticket}/",
            f"{meeting}sessions/{ticket}/{programme_session.pk}/",
            follow_up_path(follow_up),
        ],
        "links": [
            f"{conversation}email/{email_link(CONVERSATION_LINK, email)}/",
            f"{journey}journey/email/{email_link(JOURNEY_LINK, email)}/",
            f"{call}support/confirm/{email_link(SUPPORT_LINK, email, i=idea.pk)}/",
        ],
    }
    member = {
        "spaces": [
            "/",
            "/spaces/",
            MUSEUM,
            FESTIVAL,
            "/notifications/",
            f"/people/{people}/",
            "/thank-yous/",
        ],
        "accounts": [
            "/accounts/profile/",
            "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/2fa/",
            "/accounts/2fa/totp/activate/",
            "/accounts/delete/",
            "/accounts/reauthenticate/",
            "/accounts/logout/",
        ],
        "calls": [
            call,
            f"{call}ideas/",
            idea_url,
            f"{call}ideas/new/",
            f"{others_idea.get_absolute_url()}report/",
            f"{call}comments/{own_comment.pk}/edit/",
            f"{call}comments/{others_comment.pk}/report/",
            answered_call,
            f"{answered_call}ideas/",
            answered_idea_url,
            f"{answered_call}report/",
        ],
        "conversations": [
            conversation,
            f"{conversation}your-votes/",
            f"{conversation}statements/new/",
            f"{conversation}opinion-map/",
            f"{conversation}statements/{first_statement.pk}/report/",
        ],
        "journeys": [
            journey,
            f"{journey}touchpoints/{touchpoint.pk}/rate/",
            f"{journey}touchpoints/{touchpoint.pk}/propose/",
            f"{journey}touchpoints/{touchpoint.pk}/report/",
            f"{journey}journey/closing/",
            f"{journey}journey/thanks/",
        ],
        "live": ["/join/", live, f"/live/{session.code}/"],
        "meetings": [
            meeting,
            # Her registration/ and registration/yours/ lead to her ticket.
            f"{meeting}registration/ticket/{ticket}/",
            f"{meeting}sessions/{ticket}/",
        ],
    }
    organiser = {
        "spaces": [
            "/",
            MUSEUM,
            f"{MUSEUM}members/",
            f"{MUSEUM}invites/",
            f"{MUSEUM}new/",
            f"{FESTIVAL}members/",
            f"{MUSEUM}moderation/",
            f"{FESTIVAL}moderation/",
            f"{FESTIVAL}insights/",
            f"{FESTIVAL}insights/minutes/",
            f"/people/{people}/",
            f"{FESTIVAL}moderation/members/{festival_member.pk}/block/",
            "/spaces/new/",
            "/notifications/",
        ],
        "calls": [
            call,
            f"{call}brief/",
            f"{call}settings/",
            f"{call}call/",
            f"{call}call/stages/",
            f"{call}call/jury/",
            f"{call}answers/",
            f"{idea_url}answer/",
            f"{call}close/",
            answered_call,
            f"{answered_call}answer/",
            f"{answered_call}answers/",
            f"{answered_call}report/",
            f"{answered_call}results/",
        ],
        "conversations": [
            conversation,
            f"{conversation}conversation/",
            f"{conversation}statements/",
            f"{conversation}opinion-map/",
        ],
        "journeys": [
            journey,
            f"{journey}journey/",
            f"{journey}journey/map/",
            f"{journey}journey/map/touchpoints/{touchpoint.pk}/",
            f"{journey}journey/map/import/",
            f"{journey}journey/figures/",
            f"{journey}touchpoints/{touchpoint.pk}/comments/",
            f"{journey}touchpoint-comments/{rating_comment.pk}/report/",
        ],
        "live": [
            f"{live}live/",
            f"{live}live/polls/new/",
            f"{live}live/polls/{poll.pk}/",
            f"{live}live/present/",
            f"{live}live/moderate/",
            f"{live}live/results/",
            f"/live/{session.code}/",
        ],
        "meetings": [
            meeting,
            f"{meeting}meeting/",
            f"{meeting}meeting/objectives/",
            f"{meeting}meeting/objectives/{objective.pk}/",
            f"{meeting}programme/",
            f"{meeting}programme/{programme_session.pk}/",
            f"{meeting}meeting/costs/",
            f"{meeting}meeting/costs/{cost.pk}/",
            f"{meeting}registration/list/",
            f"{meeting}check-in/",
            f"{meeting}check-in/scan/",
            f"{meeting}return/",
            f"{meeting}answer/",
            f"{meeting}results/",
        ],
    }
    owner = {
        **organiser,
        "space-settings": [
            f"{MUSEUM}settings/",
            f"{MUSEUM}audit/",
            f"{MUSEUM}webhooks/",
            f"{MUSEUM}ambassadors/",
            f"{MUSEUM}rewards/",
            f"{MUSEUM}people/{people}/",
            f"{MUSEUM}delete/",
            f"{FESTIVAL}settings/",
        ],
    }
    moderator = {
        **organiser,
        # She signs in with a second factor (prepare_two_factor).
        "accounts": [
            "/accounts/2fa/",
            "/accounts/2fa/recovery-codes/",
            "/accounts/2fa/totp/deactivate/",
            "/accounts/2fa/reauthenticate/",
        ],
        # She is the museum call's jury.
        "calls": [*organiser["calls"], f"{idea_url}score/"],
    }
    return {"anonymous": public, "member": member, "owner": owner, "moderator": moderator}


# Reflow (WCAG 1.4.10): at 320 CSS pixels nothing makes the page scroll sideways. When
# something does, name the outermost elements that stick out (those inside a box that
# clips or scrolls sideways are that box's business, and it is named if it sticks out).
OVERFLOW = """() => {
  const doc = document.documentElement;
  const style = e => getComputedStyle(e);
  const right = e => e.getBoundingClientRect().right;
  const sticksOut = e => right(e) > doc.clientWidth + 0.5;
  const positioned = e => style(e).position !== "static" || style(e).transform !== "none";
  // The nearest box that clips or scrolls e sideways: boxes between an absolutely
  // positioned element and its containing block do not (how screen-reader-only text
  // escapes a table's scrolling wrapper), and nothing holds a fixed one.
  const holder = e => {
    let position = style(e).position;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (position === "fixed") return null;
      if (position === "absolute" && !positioned(a)) continue;
      if (style(a).overflowX !== "visible") return a;
      position = style(a).position;
    }
    return null;
  };
  const scrolls = e => ["auto", "scroll"].includes(style(e).overflowX);
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map(c => "." + c).join("");
  const describe = (e, what) => {
    const path = [];
    for (let a = e; a && a !== document.body && path.length < 4; a = a.parentElement) {
      path.unshift(name(a));
    }
    return `${path.join(" > ")} ${what} at ${Math.round(right(e))} px: `
      + JSON.stringify((e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40));
  };
  const found = [];
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    if (!sticksOut(e) || (box.width === 0 && box.height === 0)) continue;
    const held = holder(e);
    if (held === null) {
      // It widens the page, unless its parent does already.
      const parent = e.parentElement;
      const free = !["absolute", "fixed"].includes(style(e).position);
      if (free && parent !== document.body && sticksOut(parent) && !holder(parent)) continue;
      found.push(describe(e, "sticks out"));
    } else if (!scrolls(held) && box.width > 1 && !sticksOut(held) && right(held) < box.right
               && held.getBoundingClientRect().width > 1
               && e.childElementCount === 0 && e.textContent.trim()) {
      // Text that a box cuts off at the edge of the screen, where no one can scroll to it
      // (a box of one pixel hides what it holds from sight on purpose: for screen readers).
      found.push(describe(e, "is cut off"));
    }
  }
  if (doc.scrollWidth > doc.clientWidth) {
    found.unshift(`the page is ${doc.scrollWidth} px wide at ${doc.clientWidth} px`);
  }
  return found;
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""
