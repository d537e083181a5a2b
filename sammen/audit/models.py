from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SPACE_CREATED = "space.created", _("created the space")
    SPACE_UPDATED = "space.updated", _("changed the space's settings")
    MEMBER_ROLE_CHANGED = "member.role_changed", _("changed a member's role")
    MEMBER_REMOVED = "member.removed", _("removed a member")
    INVITE_CREATED = "invite.created", _("created an invitation link")
    INVITE_REVOKED = "invite.revoked", _("revoked an invitation link")
    ACTIVITY_CREATED = "activity.created", _("created an activity")
    ACTIVITY_UPDATED = "activity.updated", _("changed an activity")
    ACTIVITY_DELETED = "activity.deleted", _("deleted a draft activity")
    BRIEF_UPDATED = "brief.updated", _("changed a brief")
    ACTIVITY_OPENED = "activity.opened", _("opened an activity")
    ACTIVITY_CLOSED = "activity.closed", _("closed an activity")
    ACTIVITY_REOPENED = "activity.reopened", _("reopened an activity")
    ACTIVITY_ANSWERED = "activity.answered", _("published the answer to an activity")
    RESULTS_RECORDED = "activity.results", _("recorded the results of an activity")
    CALL_UPDATED = "call.updated", _("changed the rules of a call")
    CALL_SCHEDULED = "call.scheduled", _("changed the stages of a call")
    JURY_UPDATED = "call.jury_updated", _("changed the jury of a call")
    IDEA_ANSWERED = "idea.answered", _("answered an idea")
    IDEA_HIDDEN = "idea.hidden", _("hid an idea")
    IDEA_RESTORED = "idea.restored", _("restored a hidden idea")
    COMMENT_HIDDEN = "comment.hidden", _("hid a comment")
    COMMENT_RESTORED = "comment.restored", _("restored a hidden comment")
    REPORT_DISMISSED = "report.dismissed", _("dismissed a report")
    MEMBER_BLOCKED = "member.blocked", _("blocked a member")
    MEMBER_UNBLOCKED = "member.unblocked", _("lifted a block")
    BADGE_AWARDED = "badge.awarded", _("thanked a contributor with a badge")
    BADGE_REVOKED = "badge.revoked", _("took back a badge")
    LIVE_UPDATED = "live.updated", _("changed the settings of a live session")
    LIVE_CREW_CHANGED = "live.crew", _("changed who helps run a live session")
    LIVE_QUESTIONS_LOCKED = "live.questions", _("opened or locked the questions of a live session")
    LIVE_QUESTION_MODERATED = "live.question", _("moderated a question in a live session")
    LIVE_POLL_CHANGED = "live.poll", _("prepared, opened, closed or reset a poll")
    LIVE_ANSWER_MODERATED = "live.answer", _("moderated an answer to a poll")
    CONVERSATION_UPDATED = "conversation.updated", _("changed the settings of a conversation")
    STATEMENTS_SEEDED = "conversation.seeded", _("added seed statements to a conversation")
    CONVERSATION_IMPORTED = "conversation.imported", _("imported a conversation from Pol.is")
    STATEMENT_APPROVED = "statement.approved", _("approved a statement")
    STATEMENT_HIDDEN = "statement.hidden", _("hid a statement")
    STATEMENT_RESTORED = "statement.restored", _("restored a hidden statement")
    STATEMENT_META_CHANGED = "statement.meta", _("changed whether a statement is about the process")


class AuditEntry(models.Model):
    """One thing an owner or moderator did: who, what, when, and on which object."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.target_label}"
