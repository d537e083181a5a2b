"""Odd numbers in every URL, query string and form that takes a number: never a 500.

A security probe found 22 server errors at 9 places: `str.isdigit()` takes "²", int()
refuses more than 4,300 digits, and the database refuses numbers over 2**63. Here every
view that reads a number from a request gets such numbers, and must answer without a
server error and without changing anything.

The table below names, for every URL of the project, what it reads; `test_every_url_is_in_the_table`
walks the URL resolver, so a new URL fails until it is added here.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.calls.actions import do_update_jury
from sammen.calls.models import Call, Idea
from sammen.comments.actions import do_add_comment
from sammen.conversations.actions import do_vote
from sammen.conversations.models import Conversation, Statement
from sammen.conversations.tests.factories import make_conversation
from sammen.core.models import RateLimitCounter
from sammen.live.actions import do_answer_poll, do_ask_question, do_open_poll
from sammen.live.models import LiveSession, Poll, Question, Response
from sammen.live.tests.helpers import join_as, make_poll, make_session
from sammen.moderation.actions import do_report
from sammen.moderation.models import Report
from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.recognition.actions import do_award_badge
from sammen.recognition.models import Badge
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Invite, Membership
from sammen.testing import (
    BaseTestCase,
    image_upload,
    make_activity,
    make_call,
    make_idea,
    participant_of,
)

# Numbers no view can read: whatever field they are in, the request changes nothing.
UNREADABLE = [
    "²",  # str.isdigit() says yes, int() says no
    "٣" * 25,  # Arabic-Indic digits: int() reads them, and this is far over 2**63
    "３" * 25,  # fullwidth digits
    str(2**63),  # one over the largest 64-bit integer a database column holds
    str(2**64),
    "9" * 30,
    "9" * 10_000,  # over int()'s limit of 4,300 digits
    "1e999",
    "½",
]
# Small numbers written oddly. No id is written so, and a request with one as an id changes
# nothing; in a field a person types a number into (`Target.typed`), a Django form may read
# them as 0, 3 or 1, which is fine as long as its bounds hold.
ODDLY_WRITTEN = ["٠", "-1", "٣", "３", " 1", "+1", "1.5"]
# Nothing at all: optional fields take it for "none".
BLANK = ["", " "]
# More for Hypothesis to draw from.
MORE_ODD_NUMBERS = [
    "０",
    "𝟑",
    "Ⅻ",
    "0x10",
    "1,5",
    "1_0",
    "1\x00",
    "NaN",
    "-inf",
    "\t\n",
    "-" + "9" * 30,
    str(2**63 + 1),
    "9" * 4301,
    "0.5",
]
# The same for numbers in a URL's path (the resolver only passes ASCII digits on).
ODD_PATH_IDS = ["0", str(2**63 - 1), str(2**63), str(2**64), "9" * 30, "9" * 5000]


@dataclass
class Target:
    """One URL that reads numbers: who asks, how, and which fields carry the numbers."""

    method: str
    persona: str  # "alice" (owner), "bob" (member) or "anonymous"
    kwargs: Callable[["OddNumberWorld"], dict[str, Any]]
    data: Callable[["OddNumberWorld"], dict[str, Any]] = lambda t: {}
    fields: list[str] | Callable[["OddNumberWorld"], list[str]] = field(default_factory=list)
    # Fields a person types a number into (or picks among numbers, as -1 for "disagree"):
    # a Django form field with bounds may read ODDLY_WRITTEN numbers there.
    typed: tuple[str, ...] = ()


def space_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return {"space_slug": t.museum.slug}


def call_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"space_slug": t.museum.slug, "activity_slug": t.call.activity.slug, **extra}


def idea_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return call_kwargs(t, idea_id=t.idea.pk)


def comment_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return call_kwargs(t, comment_id=t.comment.pk)


def conversation_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {
        "space_slug": t.museum.slug,
        "activity_slug": t.conversation.activity.slug,
        **extra,
    }


def live_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"space_slug": t.museum.slug, "activity_slug": t.session.activity.slug, **extra}


def room_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"code": t.session.code, **extra}


def person_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"public_id": participant_of(t.bob).public_id, **extra}


def nothing(t: "OddNumberWorld") -> dict[str, Any]:
    return {}


ALL = ("*",)  # every field of the target is typed
IDEA_TEXT = {"title": "A fish market museum", "body": "In the old fish market hall."}

# Every URL that reads a number (in its path, query string or form), by URL name.
TARGETS: dict[str, Target] = {
    # Pages with a page number: ?page=
    "calls:ideas": Target("GET", "bob", call_kwargs, fields=["page"]),
    # Anonymous visitors share a cached list: another way through the view.
    "calls:ideas#anonymous": Target("GET", "anonymous", call_kwargs, fields=["page"]),
    "conversations:your_votes": Target("GET", "bob", conversation_kwargs, fields=["page"]),
    "notifications:list": Target("GET", "bob", nothing, fields=["page"]),
    "audit:log": Target("GET", "alice", space_kwargs, fields=["page"]),
    "recognition:profile": Target("GET", "bob", person_kwargs, fields=["page"]),
    "moderation:queue": Target("GET", "alice", space_kwargs, fields=["page"]),
    "conversations:statements": Target(
        "GET", "alice", conversation_kwargs, fields=["number", "page"]
    ),
    "calls:idea": Target("GET", "bob", idea_kwargs, fields=["comment", "comments"]),
    # Forms
    "calls:submit": Target(
        "POST",
        "bob",
        call_kwargs,
        lambda t: {**IDEA_TEXT, "co_authors": t.alice_participant.pk},
        ["co_authors", "builds_on"],
    ),
    "calls:find_co_authors": Target(
        "GET", "bob", call_kwargs, lambda t: {"co_author_query": "a"}, ["co_authors"]
    ),
    "calls:edit_idea": Target(
        "POST",
        "bob",
        idea_kwargs,
        lambda t: {"title": t.idea.title, "body": t.idea.body},
        ["remove_image", "builds_on"],
    ),
    "calls:comment": Target("POST", "bob", idea_kwargs, lambda t: {"body": "I agree."}, ["parent"]),
    "calls:edit_comment": Target("POST", "alice", comment_kwargs, lambda t: {"body": "Edited"}),
    "calls:delete_comment": Target("POST", "bob", comment_kwargs),
    "calls:helpful": Target("POST", "bob", comment_kwargs, lambda t: {"helpful": "1"}),
    "calls:withdraw_idea": Target("POST", "alice", idea_kwargs),
    "calls:co_author": Target("POST", "alice", idea_kwargs),
    "calls:follow_idea": Target("POST", "bob", idea_kwargs),
    "calls:support": Target("POST", "alice", idea_kwargs),
    "calls:support_email": Target("POST", "anonymous", idea_kwargs),
    "calls:answer_idea": Target("POST", "alice", idea_kwargs),
    "calls:score": Target("POST", "alice", idea_kwargs, fields=lambda t: t.criterion_fields()),
    "calls:schedule": Target(
        "POST",
        "alice",
        call_kwargs,
        lambda t: {
            "momentum-TOTAL_FORMS": "1",
            "momentum-INITIAL_FORMS": "0",
            "momentum-0-supports_needed": "10",
            "momentum-0-within_days": "10",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
        [
            # (INITIAL_FORMS means nothing to a formset of plain forms: any number saves.)
            "momentum-TOTAL_FORMS",
            "momentum-0-supports_needed",
            "momentum-0-within_days",
            "reviews-TOTAL_FORMS",
        ],
        typed=ALL,
    ),
    "calls:jury": Target(
        "POST",
        "alice",
        call_kwargs,
        lambda t: {
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Surprise",
            "criteria-0-weight": "2",
        },
        ["criteria-TOTAL_FORMS", "criteria-0-weight", "evaluators"],
        typed=("criteria-TOTAL_FORMS", "criteria-0-weight"),
    ),
    "conversations:vote": Target(
        "POST",
        "bob",
        conversation_kwargs,
        lambda t: {"statement": t.unvoted.pk, "value": "1"},
        ["statement", "value"],
        typed=("value",),  # -1 is "disagree"
    ),
    "conversations:change_vote": Target(
        "POST",
        "bob",
        lambda t: conversation_kwargs(t, statement_id=t.voted.pk),
        nothing,
        ["value", "page"],
        typed=("value",),
    ),
    "conversations:moderate": Target(
        "POST",
        "alice",
        lambda t: conversation_kwargs(t, statement_id=t.voted.pk),
        lambda t: {"step": "nothing"},
    ),
    "moderation:report_statement": Target(
        "POST", "bob", lambda t: conversation_kwargs(t, target_id=t.voted.pk)
    ),
    "moderation:report_idea": Target("POST", "bob", lambda t: call_kwargs(t, target_id=t.idea.pk)),
    "moderation:report_comment": Target(
        "POST", "bob", lambda t: call_kwargs(t, target_id=t.comment.pk)
    ),
    # The test-only sample kind registers its activities as reportable.
    "moderation:report_sample": Target(
        "POST",
        "bob",
        lambda t: {
            **space_kwargs(t),
            "activity_slug": t.sample.slug,
            "target_id": t.sample.pk,
        },
    ),
    "notifications:mark_all_read": Target("POST", "bob", nothing, fields=["up_to"]),
    "notifications:open": Target("GET", "bob", lambda t: {"notification_id": t.notification.pk}),
    "live:answer": Target(
        "POST",
        "bob",
        lambda t: room_kwargs(t, poll_id=t.choice_poll.pk),
        fields=["option"],
    ),
    "live:answer#rating": Target(
        "POST",
        "bob",
        lambda t: room_kwargs(t, poll_id=t.rating_poll.pk),
        fields=["value"],
    ),
    "live:answer#ranking": Target(
        "POST",
        "bob",
        lambda t: room_kwargs(t, poll_id=t.ranking_poll.pk),
        lambda t: t.ranking_data(),
        lambda t: sorted(t.ranking_data()),
    ),
    "live:upvote": Target("POST", "bob", lambda t: room_kwargs(t, question_id=t.question.pk)),
    "live:moderate_questions": Target(
        "POST", "alice", live_kwargs, lambda t: {"act": "approve"}, ["question"]
    ),
    "live:show": Target(
        "POST",
        "alice",
        live_kwargs,
        nothing,
        ["screen=poll|"],
    ),
    "live:show#select": Target(
        "POST", "alice", live_kwargs, lambda t: {"use_select": "1"}, ["step=poll|"]
    ),
    "live:move_poll": Target(
        "POST",
        "alice",
        lambda t: live_kwargs(t, poll_id=t.choice_poll.pk),
        fields=["position"],
        typed=ALL,
    ),
    "live:edit_poll": Target(
        "POST",
        "alice",
        lambda t: live_kwargs(t, poll_id=t.rating_poll.pk),
        lambda t: {"kind": "rating", "title": "How was it?", "scale_max": "5"},
        ["scale_max", "quiz_seconds", "time_limit"],
        typed=ALL,
    ),
    "live:new_poll": Target(
        "POST",
        "alice",
        live_kwargs,
        lambda t: {"kind": "rating", "title": "How was it?", "scale_max": "5"},
        ["scale_max", "quiz_seconds", "time_limit"],
        typed=ALL,
    ),
    "live:control_poll": Target(
        "POST", "alice", lambda t: live_kwargs(t, poll_id=t.choice_poll.pk, step="nothing")
    ),
    "live:reply": Target(
        "POST", "alice", lambda t: live_kwargs(t, question_id=t.question.pk), lambda t: {}
    ),
    "live:moderate_answer": Target(
        "POST", "alice", lambda t: live_kwargs(t, response_id=t.response.pk)
    ),
    "live:setup": Target("POST", "alice", live_kwargs, fields=["attached_to"]),
    "live:crew": Target("POST", "alice", live_kwargs, lambda t: {"role": ""}, ["user"]),
    "spaces:invites": Target(
        "POST",
        "alice",
        space_kwargs,
        lambda t: {"role": "member", "days": "7", "max_uses": "5"},
        ["days", "max_uses"],
        typed=ALL,
    ),
    "spaces:change_role": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "membership_id": t.bob_membership.pk}
    ),
    "spaces:remove_member": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "membership_id": t.bob_membership.pk}
    ),
    "spaces:revoke_invite": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "invite_id": t.invite.pk}
    ),
    "moderation:hide_idea": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.idea.pk}
    ),
    "moderation:restore_idea": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.idea.pk}
    ),
    "moderation:hide_comment": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.comment.pk}
    ),
    "moderation:restore_comment": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.comment.pk}
    ),
    "moderation:hide_statement": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.voted.pk}
    ),
    "moderation:restore_statement": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.voted.pk}
    ),
    "moderation:hide_sample": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.sample.pk}
    ),
    "moderation:restore_sample": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.sample.pk}
    ),
    "moderation:dismiss_report": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "report_id": t.report.pk}
    ),
    "moderation:block_member": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "membership_id": t.bob_membership.pk}
    ),
    "moderation:unblock": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "block_id": t.report.pk}
    ),
    "recognition:award_badge": Target("POST", "alice", person_kwargs, lambda t: {}, ["space"]),
    "recognition:revoke_badge": Target(
        "POST", "alice", lambda t: person_kwargs(t, badge_id=t.badge.pk)
    ),
    "activities:results": Target(
        "POST",
        "alice",
        lambda t: call_kwargs(t),
        fields=lambda t: [f"result_{pk}" for pk in t.measure_ids()],
        typed=ALL,
    ),
    "activities:brief": Target(
        "POST",
        "alice",
        lambda t: call_kwargs(t),
        lambda t: {"measures-TOTAL_FORMS": "1", "measures-INITIAL_FORMS": "0"},
        ["measures-TOTAL_FORMS", "measures-INITIAL_FORMS", "measures-0-target"],
        typed=ALL,
    ),
}

# URLs that read no number from the request (only words, slugs, codes and tokens).
NO_NUMBERS = {
    "home",
    "accounts:profile",
    "accounts:download_data",
    "accounts:delete",
    "core:set_language",
    "core:healthz",
    "core:media",
    "spaces:directory",
    "spaces:create",
    "spaces:home",
    "spaces:edit",
    "spaces:delete",
    "spaces:join",
    "spaces:leave",
    "spaces:members",
    "spaces:invite",
    "activities:new",
    "activities:detail",
    "activities:settings",
    "activities:check_brief",
    "activities:phase",
    "activities:close",
    "activities:answer",
    "activities:delete",
    "calls:idea_image",
    "calls:follow_call",
    "calls:confirm_support",
    "calls:settings",
    "calls:answers",
    "calls:report",
    "calls:export_csv",
    "calls:export_json",
    "live:join",
    "live:short",
    "live:room",
    "live:join_session",
    "live:rename",
    "live:ask",
    "live:react",
    "live:events",
    "live:renew_code",
    "live:present",
    "live:moderate",
    "live:lock_questions",
    "live:results",
    "live:export_csv",
    "live:export_json",
    "conversations:add_statement",
    "conversations:similar",
    "conversations:verify_email",
    "conversations:confirm_email",
    "conversations:settings",
    "conversations:recompute",
    "conversations:report",
    "conversations:report_visibility",
    "conversations:export_csv",
    "conversations:export_json",
    "conversations:export_polis",
}


def url_name(key: str) -> str:
    """Return the URL name of a table key ("live:answer#rating" is "live:answer")."""
    return key.split("#")[0]


def project_urls() -> dict[str, str]:
    """Return every URL name of the project's own apps with its route."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                found.update(walk(pattern.url_patterns, prefix + str(pattern.pattern), inner))
            elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(
                "sammen."
            ):
                found[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)
        return found

    return walk(get_resolver().url_patterns, "", "")


def fingerprint() -> str:
    """Return a digest of every row the project stores, sessions aside."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model in (Session, RateLimitCounter):  # a limit counts even a refused request
            continue
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


class OddNumberWorld(BaseTestCase):
    """A space with one of everything a number can name: ideas, votes, polls, badges..."""

    call: Call
    idea: Idea
    conversation: Conversation
    voted: Statement
    sample: Activity
    unvoted: Statement
    session: LiveSession
    choice_poll: Poll
    rating_poll: Poll
    ranking_poll: Poll
    question: Question
    response: Response
    notification: Notification
    report: Report
    badge: Badge
    invite: Invite
    bob_membership: Membership
    personas: ClassVar[dict[str, User | None]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alice_participant = participant_of(cls.alice)
        cls.call = make_call(cls.museum, cls.alice)
        do_update_jury(cls.alice, cls.call, criteria=[("Surprise", 2)], evaluators=[cls.alice])
        cls.idea = make_idea(cls.call, cls.bob)
        cls.idea_with_image(cls.idea)
        cls.comment = do_add_comment(cls.alice_participant, cls.idea.thread, "Lovely.")
        cls.conversation = make_conversation(cls.museum, cls.alice, moderation="after")
        cls.voted, cls.unvoted = list(cls.conversation.statements.order_by("pk"))[:2]
        cls.sample = make_activity(cls.museum, cls.alice, "Sample things", open_it=True)
        do_vote(participant_of(cls.bob), cls.voted, 1)
        cls.session = make_session(cls.museum, cls.alice)
        cls.ranking_poll = make_poll(cls.session, cls.alice, "ranking", title="Rank them")
        cls.rating_poll = make_poll(cls.session, cls.alice, "rating", title="How was it?")
        cls.choice_poll = make_poll(cls.session, cls.alice, "single")
        text_poll = make_poll(cls.session, cls.alice, "text", title="One word")
        for poll in (cls.ranking_poll, cls.rating_poll, cls.choice_poll, text_poll):
            do_open_poll(cls.alice, poll)
        attendee = join_as(cls.session, cls.bob)
        cls.question = do_ask_question(attendee, "When does it end?")
        cls.response = do_answer_poll(attendee, text_poll, text="Harbour")
        do_notify([cls.bob], "idea_commented", {"title": "x"}, "/")
        cls.notification = Notification.objects.get(user=cls.bob)
        cls.report = do_report(cls.bob, cls.museum, cls.comment, "spam")
        cls.badge = do_award_badge(cls.alice, cls.museum, participant_of(cls.bob), "Helper")
        cls.invite = do_create_invite(cls.alice, cls.museum)
        cls.bob_membership = Membership.objects.get(space=cls.museum, user=cls.bob)
        cls.personas = {"alice": cls.alice, "bob": cls.bob, "anonymous": None}

    @classmethod
    def idea_with_image(cls, idea: Idea) -> None:
        from sammen.calls.actions import ImageInput, do_edit_idea

        do_edit_idea(
            participant_of(cls.bob),
            idea,
            title=idea.title,
            body=idea.body,
            builds_on=None,
            new_images=[ImageInput(image_upload(), "A photo")],
            remove_image_ids=[],
        )

    def criterion_fields(self) -> list[str]:
        return [f"criterion_{pk}" for pk in self.call.jury_criteria.values_list("pk", flat=True)]

    def measure_ids(self) -> list[int]:
        return list(self.call.activity.brief.measures.values_list("pk", flat=True))

    def ranking_data(self) -> dict[str, str]:
        options = self.ranking_poll.options.order_by("pk").values_list("pk", flat=True)
        return {f"rank_{pk}": str(place) for place, pk in enumerate(options, start=1)}

    def setUp(self) -> None:
        super().setUp()
        # One browser per persona, signed in once: signing in writes to the database.
        self.browsers = {name: Client() for name in self.personas}
        for name, user in self.personas.items():
            if user is not None:
                self.browsers[name].force_login(user)

    def request(self, key: str, data: dict[str, Any], path: str | None = None) -> HttpResponse:
        target = TARGETS[key]
        cache.clear()  # rate limits would hide what a view does with the number
        url = path or reverse(url_name(key), kwargs=target.kwargs(self))
        browser = self.browsers[target.persona]
        if target.method == "GET":
            return browser.get(url, data)
        return browser.post(url, data)

    def fields_of(self, target: Target) -> list[str]:
        return target.fields(self) if callable(target.fields) else target.fields

    def with_value(self, target: Target, name: str, value: str) -> dict[str, Any]:
        data = dict(target.data(self))
        if "=" in name:  # "screen=poll|": the number follows a fixed prefix
            name, prefix = name.split("=", 1)
            data[name] = prefix + value
        else:
            data[name] = value
        return data

    def assert_odd_numbers_refused(self, key: str, field_name: str) -> None:
        typed = field_name in TARGETS[key].typed or TARGETS[key].typed is ALL
        before = fingerprint()
        for value in UNREADABLE if typed else UNREADABLE + ODDLY_WRITTEN:
            self.assert_no_server_error(key, field_name, value)
        self.assertEqual(fingerprint(), before, f"{key}: odd {field_name} changed data")
        for value in [*BLANK, *ODDLY_WRITTEN] if typed else BLANK:
            self.assert_no_server_error(key, field_name, value)

    def assert_no_server_error(self, key: str, field_name: str, value: str) -> None:
        response = self.request(key, self.with_value(TARGETS[key], field_name, value))
        self.assertLess(response.status_code, 500, f"{key} {field_name}={value[:40]!r}")


class OddNumberTests(OddNumberWorld):
    def test_every_url_is_in_the_table(self):
        """A new URL must say here whether it reads numbers, so none is forgotten."""
        urls = project_urls()
        table = {url_name(key) for key in TARGETS}
        self.assertEqual(set(urls) - table - NO_NUMBERS, set(), "add these URLs to TARGETS")
        self.assertEqual((table | NO_NUMBERS) - set(urls), set(), "these URLs are gone")
        for name, route in urls.items():
            # <id:…> takes what parse_id() takes; <int:…> lets 2**64 through to the database.
            self.assertNotIn("<int:", route, f"{name}: write ids in a path as <id:…>")
            if "<id:" in route:
                self.assertIn(name, table, f"{name} takes an id in its path")

    def test_odd_numbers_in_forms_and_query_strings_change_nothing(self):
        for key, target in TARGETS.items():
            for field_name in self.fields_of(target):
                with self.subTest(url=key, field=field_name):
                    self.assert_odd_numbers_refused(key, field_name)

    def test_odd_ids_in_paths_are_not_found(self):
        for key, target in TARGETS.items():
            kwargs = target.kwargs(self)
            for name in [name for name, value in kwargs.items() if isinstance(value, int)]:
                url = reverse(url_name(key), kwargs={**kwargs, name: 987654321})
                with self.subTest(url=key, id=name):
                    before = fingerprint()
                    for value in ODD_PATH_IDS:
                        path = url.replace("/987654321/", f"/{value}/")
                        response = self.request(key, target.data(self), path)
                        self.assertIn(response.status_code, {302, 403, 404}, path[:120])
                    self.assertEqual(fingerprint(), before, f"{key}: odd {name} changed data")


class OddNumberFuzzTests(HypothesisTestCase, OddNumberWorld):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(data=st.data())
    def test_any_number_like_text_never_gives_a_server_error(self, data):
        """Hypothesis writes numbers in every script, size and sign, in every number field."""
        key, field_name = data.draw(
            st.sampled_from([(k, f) for k, t in TARGETS.items() for f in self.fields_of(t)])
        )
        value = data.draw(
            st.one_of(
                st.sampled_from(UNREADABLE + ODDLY_WRITTEN + BLANK + MORE_ODD_NUMBERS),
                st.integers().map(str),
                st.integers(min_value=2**63 - 5, max_value=2**70).map(str),
                st.text(st.characters(categories=["Nd", "No", "Nl", "Zs"]), max_size=30),
                st.floats().map(str),
                st.text(max_size=20),
                st.integers(min_value=4000, max_value=12_000).map(lambda n: "7" * n),
            )
        )
        self.assert_no_server_error(key, field_name, value)
