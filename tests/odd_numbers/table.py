"""The table of every URL of the project: what each reads a number from, and how it is asked."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import URLPattern, URLResolver, get_resolver

from sammen.meetings.attendees import ticket_token
from sammen.meetings.follow_up_mail import follow_up_token
from sammen.meetings.models import Objective
from sammen.testing import make_api_token, participant_of

if TYPE_CHECKING:
    from .world import OddNumberWorld


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


def journey_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"space_slug": t.museum.slug, "activity_slug": t.journey.activity.slug, **extra}


def touchpoint_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return journey_kwargs(t, touchpoint_id=t.touchpoint.pk, **extra)


def rating_of(t: "OddNumberWorld") -> int:
    """Return the id of one of Bob's ratings in the journey."""
    return t.journey.ratings.order_by("pk").values_list("pk", flat=True)[0]


def meeting_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"space_slug": t.museum.slug, "activity_slug": t.meeting.activity.slug, **extra}


def objective_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return meeting_kwargs(t, objective_id=t.meeting.objectives.order_by("pk")[0].pk)


def first_session(t: "OddNumberWorld") -> int:
    return t.meeting.sessions.order_by("pk").values_list("pk", flat=True)[0]


def meeting_session_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return meeting_kwargs(t, session_id=first_session(t))


def ticket_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return meeting_kwargs(t, token=ticket_token(t.registration), **extra)


def learning_of(t: "OddNumberWorld") -> Objective:
    return t.meeting.objectives.filter(level="learning").order_by("pk")[0]


def room_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"code": t.session.code, **extra}


def person_kwargs(t: "OddNumberWorld", **extra: Any) -> dict[str, Any]:
    return {"public_id": participant_of(t.bob).public_id, **extra}


def webhook_kwargs(t: "OddNumberWorld") -> dict[str, Any]:
    return {"space_slug": t.museum.slug, "webhook_id": t.webhook.pk}


def nothing(t: "OddNumberWorld") -> dict[str, Any]:
    return {}


ALL = ("*",)  # every field of the target is typed
TOUCHPOINT_FIELDS = {
    "name": "The cloakroom",
    "channel": "in_person",
    "performer": "staff",
    "risk": "low",
}
MEETING_SESSION = {
    "title": "World café",
    "starts_at": "2027-05-01T13:00",
    "ends_at": "2027-05-01T14:30",
    "format": "world_cafe",
    "audience_minutes": "30",
}
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
    # The insights of a space and their exports, narrowed to one activity: ?activity=
    "insights:space": Target("GET", "alice", space_kwargs, fields=["activity"]),
    "insights:csv": Target("GET", "alice", space_kwargs, fields=["activity"]),
    "insights:json": Target("GET", "alice", space_kwargs, fields=["activity"]),
    "insights:minutes": Target(
        "POST", "alice", space_kwargs, fields=["comments.comment", "call.idea"], typed=ALL
    ),
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
    "journeys:settings": Target(
        "POST",
        "alice",
        journey_kwargs,
        lambda t: {"audience": "anyone", "scale": "7", "segments": "Yes\nNo"},
        ["scale"],
        typed=("scale",),
    ),
    "journeys:change_stage": Target(
        "POST",
        "alice",
        lambda t: journey_kwargs(t, stage_id=t.touchpoint.stage_id),
        lambda t: {"step": "nothing"},
    ),
    "journeys:add_touchpoint": Target(
        "POST",
        "alice",
        lambda t: journey_kwargs(t, stage_id=t.touchpoint.stage_id),
        lambda t: {**TOUCHPOINT_FIELDS, "monthly_volume": "12"},
        ["monthly_volume"],
        typed=ALL,
    ),
    "journeys:edit_touchpoint": Target(
        "POST",
        "alice",
        touchpoint_kwargs,
        lambda t: {**TOUCHPOINT_FIELDS, "monthly_volume": "12"},
        ["monthly_volume"],
        typed=ALL,
    ),
    "journeys:change_touchpoint": Target(
        "POST", "alice", touchpoint_kwargs, lambda t: {"step": "nothing"}
    ),
    "moderation:report_touchpoint": Target(
        "POST", "bob", lambda t: journey_kwargs(t, target_id=t.touchpoint.pk)
    ),
    "moderation:hide_touchpoint": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.touchpoint.pk}
    ),
    "moderation:restore_touchpoint": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": t.touchpoint.pk}
    ),
    "moderation:report_touchpoint_comment": Target(
        "POST", "alice", lambda t: journey_kwargs(t, target_id=rating_of(t))
    ),
    "moderation:hide_touchpoint_comment": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": rating_of(t)}
    ),
    "moderation:restore_touchpoint_comment": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "target_id": rating_of(t)}
    ),
    # The journey's figures: the wave shown, and the two compared (segment ids, wave numbers).
    "journeys:figures": Target(
        "GET", "alice", journey_kwargs, lambda t: {"compare": "segments"}, ["wave", "a", "b"]
    ),
    "journeys:figures#waves": Target(
        "GET", "alice", journey_kwargs, lambda t: {"compare": "waves"}, ["a", "b"]
    ),
    "journeys:export_touchpoints": Target("GET", "alice", journey_kwargs, fields=["wave"]),
    "journeys:export_json": Target("GET", "alice", journey_kwargs, fields=["wave"]),
    "journeys:export_curve": Target("GET", "alice", journey_kwargs, fields=["wave"]),
    "journeys:export_mermaid": Target("GET", "alice", journey_kwargs, fields=["wave"]),
    "journeys:comments": Target(
        "POST",
        "alice",
        touchpoint_kwargs,
        lambda t: {"step": "hide", "reason": "Off topic", "rating": rating_of(t)},
        ["rating"],
    ),
    "journeys:comments#page": Target("GET", "alice", touchpoint_kwargs, fields=["page"]),
    "journeys:decide": Target(
        "POST", "alice", touchpoint_kwargs, lambda t: {"service_choice": "keep_person"}
    ),
    "journeys:add_plan": Target(
        "POST", "alice", touchpoint_kwargs, lambda t: {"kind": "gesture", "text": "A card"}
    ),
    "journeys:delete_plan": Target(
        "POST", "alice", lambda t: touchpoint_kwargs(t, plan_id=t.plan.pk)
    ),
    "journeys:open_call": Target(
        "POST", "alice", touchpoint_kwargs, lambda t: {"title": "How might we?"}
    ),
    "meetings:settings": Target(
        "POST",
        "alice",
        meeting_kwargs,
        lambda t: {"audience": "anyone", "capacity": "50", "follow_up_days": "30, 90"},
        ["capacity"],
        typed=("capacity",),
    ),
    # A face is one of the scale's numbers, compared as written: "٣" is no face.
    "journeys:rate": Target("POST", "bob", touchpoint_kwargs, lambda t: {"score": "4"}, ["score"]),
    "journeys:propose": Target(
        "POST", "bob", touchpoint_kwargs, lambda t: {"name": "Parking", "channel": "in_person"}
    ),
    "journeys:closing": Target(
        "POST",
        "bob",
        journey_kwargs,
        lambda t: {"segment": t.journey.segments.get(label="Yes").pk, "recommendation": "9"},
        ["segment", "recommendation"],
    ),
    "meetings:objectives": Target(
        "POST",
        "alice",
        meeting_kwargs,
        lambda t: {"level": "learning", "text": "Partners learn"},
        ["target"],
        typed=("target",),
    ),
    "meetings:edit_objective": Target(
        "POST",
        "alice",
        objective_kwargs,
        lambda t: {"level": "learning", "text": "Partners learn"},
        ["target"],
        typed=("target",),
    ),
    "meetings:change_objective": Target(
        "POST", "alice", objective_kwargs, lambda t: {"step": "nothing"}
    ),
    "meetings:programme": Target(
        "POST",
        "alice",
        meeting_kwargs,
        lambda t: MEETING_SESSION,
        ["audience_minutes", "objectives"],
        typed=("audience_minutes",),
    ),
    "meetings:edit_session": Target(
        "POST",
        "alice",
        meeting_session_kwargs,
        lambda t: MEETING_SESSION,
        ["audience_minutes", "objectives"],
        typed=("audience_minutes",),
    ),
    "meetings:delete_session": Target("POST", "alice", meeting_session_kwargs),
    "meetings:session_ics": Target("GET", "bob", meeting_session_kwargs),
    "meetings:costs": Target(
        "POST",
        "alice",
        meeting_kwargs,
        lambda t: {"category": "venue", "amount": "10"},
        ["amount"],
        typed=("amount",),
    ),
    "meetings:edit_cost": Target(
        "POST",
        "alice",
        lambda t: meeting_kwargs(t, cost_id=t.cost_line.pk),
        lambda t: {"category": "venue", "amount": "10"},
        ["amount"],
        typed=("amount",),
    ),
    "meetings:delete_cost": Target(
        "POST", "alice", lambda t: meeting_kwargs(t, cost_id=t.cost_line.pk)
    ),
    "meetings:delete_intangible": Target(
        "POST", "alice", lambda t: meeting_kwargs(t, intangible_id=t.intangible.pk)
    ),
    "meetings:registrations": Target("GET", "alice", meeting_kwargs, fields=["page"]),
    "meetings:session_comments": Target("GET", "alice", meeting_session_kwargs, fields=["page"]),
    "meetings:record_impact": Target(
        "POST",
        "alice",
        lambda t: meeting_kwargs(t, objective_id=t.impact.pk),
        fields=lambda t: [
            f"impact-{t.impact.pk}-{name}" for name in ("before", "after", "per_unit")
        ],
        typed=ALL,
    ),
    "meetings:check_in_attendee": Target(
        "POST", "alice", lambda t: meeting_kwargs(t, registration_id=t.registration.pk)
    ),
    # What attendees answer, by their ticket's token (Bob's), and the follow-up's link.
    "meetings:add_live_session": Target("POST", "alice", meeting_session_kwargs),
    "meetings:rate_session": Target(
        "POST",
        "bob",
        lambda t: ticket_kwargs(t, session_id=first_session(t)),
        lambda t: {"score": "4"},
        ["score"],
    ),
    "meetings:plan_action": Target(
        "POST",
        "bob",
        ticket_kwargs,
        lambda t: {"text": "Ask partners first", "confidence": "50"},
        ["confidence"],
    ),
    "meetings:learning": Target(
        "POST", "bob", ticket_kwargs, fields=lambda t: [f"objective_{learning_of(t).pk}"]
    ),
    "meetings:answer_learning": Target(
        "POST",
        "bob",
        lambda t: ticket_kwargs(t, objective_id=learning_of(t).pk),
        lambda t: {"value": "4"},
        ["value"],
    ),
    "meetings:follow_up": Target(
        "POST",
        "bob",
        lambda t: meeting_kwargs(t, token=follow_up_token(t.follow_up)),
        lambda t: {
            "applied": "yes",
            "frequency": "once",
            f"contribution_{t.impact.pk}": "40",
            f"confidence_{t.impact.pk}": "60",
        },
        lambda t: [f"contribution_{t.impact.pk}", f"confidence_{t.impact.pk}"],
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
    "api:tokens": Target(
        "POST",
        "alice",
        nothing,
        lambda t: {
            "name": "Graphic",
            "spaces": str(t.museum.pk),
            "access": "read",
            "lifetime": "30",
        },
        ["spaces", "lifetime"],
    ),
    "api:revoke_token": Target(
        "POST",
        "alice",
        lambda t: {"token_id": make_api_token(t.alice, [t.museum])[0].pk},
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
    "webhooks:detail": Target("GET", "alice", webhook_kwargs, fields=["page"]),
    "webhooks:secret": Target("POST", "alice", webhook_kwargs),
    "webhooks:update": Target(
        "POST", "alice", webhook_kwargs, lambda t: {"events": ["report.filed"]}
    ),
    "webhooks:ping": Target("POST", "alice", webhook_kwargs),
    "webhooks:enable": Target("POST", "alice", webhook_kwargs),
    "webhooks:disable": Target("POST", "alice", webhook_kwargs),
    "webhooks:delete": Target("POST", "alice", webhook_kwargs),
    "webhooks:redeliver": Target(
        "POST", "alice", lambda t: {**webhook_kwargs(t), "delivery_id": t.delivery.pk}
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
    "recognition:state_reward": Target(
        "POST", "alice", space_kwargs, lambda t: {"kind": "ticket", "title": "A"}, ["activity"]
    ),
    "recognition:grant_reward": Target(
        "POST",
        "alice",
        lambda t: {**space_kwargs(t), **person_kwargs(t)},
        lambda t: {"reason": "Why"},
        ["reward"],
    ),
    "ambassadors:invite": Target("POST", "alice", space_kwargs, fields=["member"]),
    "ambassadors:withdraw": Target(
        "POST", "alice", lambda t: {**space_kwargs(t), "ambassador_id": t.ambassador.pk}
    ),
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
    "insights:refresh",
    "api:docs",
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
    "spaces:require_sso",  # a provider chosen among the configured ones (a ChoiceField)
    "spaces:delete",
    "spaces:join",
    "spaces:leave",
    "spaces:members",
    "spaces:invite",
    "webhooks:list",
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
    "journeys:map",
    "journeys:add_stage",
    "journeys:apply_starter",
    "journeys:import_map",
    "journeys:export_map",
    "journeys:start_wave",
    "journeys:rate_next",
    "journeys:thanks",
    "journeys:verify_email",
    "journeys:confirm_email",
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
    "journeys:export_ratings",
    "meetings:meeting_ics",
    "meetings:add_intangible",
    "meetings:register",
    "meetings:confirm_registration",
    "meetings:your_registration",
    "meetings:ticket",
    "meetings:resend_confirmation",
    "meetings:cancel_registration",
    "meetings:registrations_csv",
    "meetings:check_in",
    "meetings:scan",
    "meetings:check_in_code",
    "meetings:your_answers",
    "meetings:answers",
    "meetings:return",
    "meetings:return_csv",
    "meetings:return_json",
    "ambassadors:space_link",
    "ambassadors:link",
    "ambassadors:list",
    "ambassadors:mine",
    "ambassadors:answer",
    "recognition:rewards",
    "recognition:person_in_space",
    "recognition:send_thank_you",
    "recognition:thank_yous",
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
