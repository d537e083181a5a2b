"""The open call as an activity kind: its registration and the hooks it plugs into."""

import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sammen.accounts.models import Participant, User
from sammen.activities.kinds import ActivityKind
from sammen.activities.models import Activity
from sammen.activities.permissions import ActivityAccess
from sammen.activities.queries import quoted_labels
from sammen.activities.selfcheck import Format, Question
from sammen.comments.deeds import COMMENTED
from sammen.comments.models import Comment, Thread
from sammen.comments.queries import visible_comment_count
from sammen.core.dates import format_date
from sammen.core.ratelimit import client_ip
from sammen.notifications.actions import do_follow, do_notify
from sammen.notifications.kinds import register_notification
from sammen.notifications.models import Follow
from sammen.recognition.actions import do_recognise

from .actions import (
    REVIEW_DUE_SOON,
    REVIEW_OVERDUE,
    do_merge_call_participants,
    do_setup_call,
)
from .caching import list_changed
from .discussion import comment_url
from .forms import CallRulesForm
from .jobs import register_daily_jobs
from .models import SHUFFLE_MODULUS, Call, Idea, IdeaStatus, Support
from .queries import call_metrics, review_promise

RULE_FIELDS = ("description", "scope", "criteria", "after_selection", "reward")


def opening_blockers(activity: Activity) -> list[str]:
    call = Call.objects.filter(activity=activity).first()
    if call is None:
        return [_("The call has not been set up yet.")]
    # Named with the rules form's labels, the words the organiser sees there.
    missing = [
        str(CallRulesForm.base_fields[field].label)
        for field in RULE_FIELDS
        if not getattr(call, field).strip()
    ]
    if missing:
        return [
            _("The call's rules are not complete yet. Still missing: %(parts)s.")
            % {"parts": quoted_labels(missing)}
        ]
    return []


# Visitors without a participant share this many random orders, one per bucket, so
# the cache can keep their lists (views.ideas.idea_list_html). Each order is the same
# fair shuffle turned to start elsewhere; participants keep an order of their own.
SHUFFLE_BUCKETS = 256


def shuffle_seed(request: HttpRequest, participant: Participant | None) -> int:
    """Return a number that stays the same for one visitor, so their random order holds."""
    if participant is not None:
        visitor = str(participant.public_id)
        return zlib.crc32(visitor.encode()) % 1_000_000_007 + 1
    visitor = f"{client_ip(request)}|{request.headers.get('user-agent', '')}"
    bucket = zlib.crc32(visitor.encode()) % SHUFFLE_BUCKETS
    return bucket * (SHUFFLE_MODULUS // SHUFFLE_BUCKETS) + 1


def activity_context(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> dict[str, Any]:
    """Return what the activity page needs to show the call and its first ideas."""
    from .permissions import call_access_for, can_submit_idea
    from .views.ideas import idea_list_html

    call_access = call_access_for(request, access)
    return {
        "call": call_access.call,
        "call_access": call_access,
        "idea_list": idea_list_html(request, call_access),
        "can_submit": can_submit_idea(call_access),
        "momentum_stages": list(call_access.call.momentum_stages.all()),
        "review_dates": list(call_access.call.review_dates.all()),
        "review_promise": review_promise(call_access.call, timezone.now()),
        "following_call": isinstance(request.user, User)
        and Follow.objects.filter(user=request.user, activity=activity).exists(),
    }


OPEN_CALL = ActivityKind(
    key="call",
    label=gettext_lazy("Open call"),
    description=gettext_lazy(
        "Participants submit ideas, discuss and support them; you answer each one."
    ),
    template="calls/_activity_body.html",
    intro_template="calls/_activity_intro.html",
    context=activity_context,
    opening_blockers=opening_blockers,
    setup=do_setup_call,
    settings_url_name="calls:settings",
    metrics=call_metrics,
    stylesheet="calls/calls.css",
    selfcheck=Format(
        Question("new_ideas", gettext_lazy("Do you want participants to bring their own ideas?")),
        gettext_lazy("an open call"),
        gettext_lazy(
            "An open call fits: it collects ideas that people discuss and support, "
            "and you answer each one."
        ),
    ),
)


def update_comment_count(thread: Thread) -> None:
    """Keep an idea's comment count; other kinds' threads are none of the call's business."""
    call_ids = list(Idea.objects.filter(thread=thread).values_list("call_id", flat=True))
    if not call_ids:
        return
    Idea.objects.filter(thread=thread).update(comment_count=visible_comment_count(thread))
    for call_id in call_ids:
        list_changed(call_id)


def tell_about_comment(comment: Comment) -> None:
    """Credit the commenter, let them follow along, and tell the idea's people."""
    idea = (
        Idea.objects.filter(thread_id=comment.thread_id)
        .select_related("call__activity__space", "author__user")
        .first()
    )
    if idea is None:
        return
    author = comment.author
    do_recognise(author, idea.call.activity.space, COMMENTED, f"comment:{comment.pk}")
    if author.user is not None:
        do_follow(author.user, thread=idea.thread)
    audience = list(User.objects.filter(follows__thread=idea.thread))
    if comment.parent is not None and comment.parent.author.user is not None:
        audience.append(comment.parent.author.user)
    do_notify(
        audience,
        "idea_commented",
        {"name": author.public_name, "idea": idea.title},
        comment_url(comment, idea),
        skip=author.user,
    )


def personal_call_data(user: User) -> dict[str, Any]:
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {"ideas": [], "supports": []}
    return {
        "ideas": [
            {
                "title": idea.title,
                "text": idea.body,
                "call": idea.call.activity.title,
                "status": idea.status,
                "answer": idea.answer,
                "created_at": idea.created_at.isoformat(),
            }
            for idea in Idea.objects.filter(author=participant).select_related("call__activity")
        ],
        "supports": [
            {"idea": support.idea.title, "at": support.created_at.isoformat()}
            for support in Support.objects.filter(participant=participant).select_related("idea")
        ],
    }


def promised_date(value: str) -> str:
    """Return a stored review date as the reader's language writes a date."""
    return format_date(datetime.fromisoformat(value))


def describe_review_due_soon(params: Mapping[str, Any]) -> str:
    count = int(params["count"])
    return ngettext(
        "You promised answers in “%(call)s” by %(date)s. %(count)s idea is still waiting "
        "for its answer.",
        "You promised answers in “%(call)s” by %(date)s. %(count)s ideas are still waiting "
        "for their answer.",
        count,
    ) % {"call": params["call"], "date": promised_date(params["date"]), "count": count}


def describe_review_overdue(params: Mapping[str, Any]) -> str:
    count = int(params["count"])
    return ngettext(
        "The answers in “%(call)s” were promised by %(date)s. %(count)s idea is still "
        "waiting for its answer; the call page now shows this to everyone.",
        "The answers in “%(call)s” were promised by %(date)s. %(count)s ideas are still "
        "waiting for their answer; the call page now shows this to everyone.",
        count,
    ) % {"call": params["call"], "date": promised_date(params["date"]), "count": count}


def register_notifications() -> None:
    register_notification(
        "idea_submitted",
        lambda p: _("New idea in “%(call)s”: “%(idea)s”") % {"call": p["call"], "idea": p["idea"]},
    )
    register_notification(
        "idea_answered",
        lambda p: (
            _("“%(idea)s” has an answer: %(status)s")
            % {"idea": p["idea"], "status": IdeaStatus(p["status"]).label}
        ),
    )
    register_notification(
        "idea_commented",
        lambda p: _("%(name)s commented on “%(idea)s”") % {"name": p["name"], "idea": p["idea"]},
    )
    register_notification(
        "co_author_invited",
        lambda p: (
            _("%(name)s invited you to co-author “%(idea)s”")
            % {"name": p["name"], "idea": p["idea"]}
        ),
    )
    register_notification(
        "idea_reached_review",
        lambda p: _("“%(idea)s” has enough support and goes to review") % {"idea": p["idea"]},
    )
    register_notification(
        "idea_archived",
        lambda p: (
            _(
                "“%(idea)s” did not reach %(supports)s supports within %(days)s days and is "
                "archived. Thank you for sharing it: it stays readable, and you can build on it "
                "in a next call."
            )
            % {"idea": p["idea"], "supports": p["supports"], "days": p["days"]}
        ),
    )
    register_notification(REVIEW_DUE_SOON, describe_review_due_soon)
    register_notification(REVIEW_OVERDUE, describe_review_overdue)


def connect() -> None:
    from sammen.accounts import hooks as account_hooks
    from sammen.activities.kinds import register_kind
    from sammen.comments import hooks as comment_hooks
    from sammen.demo.parts import register_demo_part

    from .demo import build_demo
    from .webhooks import register_events as register_webhook_events

    register_kind(OPEN_CALL)
    register_webhook_events()
    register_demo_part("call", build_demo)
    register_notifications()
    register_daily_jobs()
    comment_hooks.thread_changed.append(update_comment_count)
    comment_hooks.comment_added.append(tell_about_comment)
    account_hooks.participant_mergers.append(do_merge_call_participants)
    account_hooks.personal_data_sections.append(personal_call_data)
