"""The conversation as an activity kind: its registration and the hooks it plugs into."""

import zlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.accounts.models import Participant, User
from sammen.activities.kinds import ActivityKind
from sammen.activities.models import Activity
from sammen.activities.permissions import ActivityAccess
from sammen.activities.selfcheck import Format, Question
from sammen.core.ratelimit import client_ip

from .actions import do_merge_conversation_participants, do_setup_conversation
from .models import Conversation, Statement, StatementState, Vote
from .queries import conversation_metrics

MIN_STATEMENTS_TO_OPEN = 3


def opening_blockers(activity: Activity) -> list[str]:
    conversation = Conversation.objects.filter(activity=activity).first()
    if conversation is None:
        return [_("The conversation has not been set up yet.")]
    blockers = []
    if not conversation.description.strip():
        blockers.append(_("Say what the conversation asks: write its question."))
    shown = Statement.objects.filter(conversation=conversation, state=StatementState.SHOWN).count()
    if shown < MIN_STATEMENTS_TO_OPEN:
        blockers.append(
            _(
                "Add at least %(count)s statements, so the first participants have "
                "something to vote on."
            )
            % {"count": MIN_STATEMENTS_TO_OPEN}
        )
    return blockers


def visitor_seed(request: HttpRequest, participant: Participant | None) -> str:
    """Return a value that stays the same for one visitor, so their next statement holds."""
    if participant is not None:
        return f"p{participant.pk}"
    visitor = f"{client_ip(request)}|{request.headers.get('user-agent', '')}"
    return f"v{zlib.crc32(visitor.encode())}"


def activity_context(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> dict[str, Any]:
    """Return what the activity page needs: the voting card and where the viewer stands."""
    from .permissions import (
        can_add_statement,
        can_see_report,
        conversation_access_for,
        voting_refusal,
    )
    from .queries import moderation_counts, taking_part

    conversation_access = conversation_access_for(request, access)
    refusal = voting_refusal(conversation_access)
    return {
        "conversation": conversation_access.conversation,
        "conversation_access": conversation_access,
        "part": taking_part(
            conversation_access, refusal, visitor_seed(request, conversation_access.participant)
        ),
        "can_add_statement": can_add_statement(conversation_access),
        "can_see_report": can_see_report(conversation_access),
        "moderation": (
            moderation_counts(conversation_access.conversation) if access.can_manage else None
        ),
    }


CONVERSATION = ActivityKind(
    key="conversation",
    label=gettext_lazy("Conversation"),
    description=gettext_lazy(
        "Participants vote agree, disagree or pass on short statements and add their own; "
        "Sammen maps the groups of opinion and what unites them."
    ),
    template="conversations/_activity_body.html",
    intro_template="conversations/_activity_intro.html",
    context=activity_context,
    opening_blockers=opening_blockers,
    setup=do_setup_conversation,
    settings_url_name="conversations:settings",
    metrics=conversation_metrics,
    stylesheet="conversations/conversations.css",
    selfcheck=Format(
        Question(
            "agreement",
            gettext_lazy("Do you need to learn where people agree and disagree?"),
        ),
        gettext_lazy("a conversation"),
        gettext_lazy(
            "A conversation fits: it maps the groups of opinion and the statements that unite them."
        ),
    ),
)


def personal_conversation_data(user: User) -> dict[str, Any]:
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {"statements": [], "conversation_votes": []}
    return {
        "statements": [
            {
                "statement": statement.text,
                "conversation": statement.conversation.activity.title,
                "state": statement.state,
                "created_at": statement.created_at.isoformat(),
            }
            for statement in Statement.objects.filter(author=participant).select_related(
                "conversation__activity"
            )
        ],
        "conversation_votes": [
            {
                "statement": vote.statement.text,
                "conversation": vote.conversation.activity.title,
                "vote": {1: "agree", -1: "disagree", 0: "pass"}[vote.value],
                "at": vote.updated_at.isoformat(),
            }
            for vote in Vote.objects.filter(participant=participant).select_related(
                "statement", "conversation__activity"
            )
        ],
    }


def register_notifications() -> None:
    from sammen.notifications.kinds import register_notification

    register_notification(
        "statement_waiting",
        lambda p: (
            _("New statements wait for your approval in “%(conversation)s”")
            % {"conversation": p["conversation"]}
        ),
    )
    register_notification(
        "statement_approved",
        lambda p: (
            _("Your statement “%(statement)s” is now in “%(conversation)s”")
            % {"statement": p["statement"], "conversation": p["conversation"]}
        ),
    )


def connect() -> None:
    from sammen.accounts import hooks as account_hooks
    from sammen.activities.kinds import register_kind
    from sammen.demo.parts import register_demo_part

    from .demo import build_demo
    from .webhooks import register_events as register_webhook_events

    register_kind(CONVERSATION)
    register_webhook_events()
    register_demo_part("conversation", build_demo)
    register_notifications()
    account_hooks.participant_mergers.append(do_merge_conversation_participants)
    account_hooks.personal_data_sections.append(personal_conversation_data)
