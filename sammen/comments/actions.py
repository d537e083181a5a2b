from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.recognition.actions import do_recognise, do_withdraw_recognition

from . import hooks
from .audit_actions import AuditAction
from .deeds import COMMENT_HELPFUL
from .models import Comment, Thread


def thread_changed(thread: Thread) -> None:
    for callback in hooks.thread_changed:
        callback(thread)


def do_start_thread(activity: Activity, owner: Participant | None) -> Thread:
    """Open the discussion under something of an activity; its owner may mark comments helpful."""
    return Thread.objects.create(space=activity.space, activity=activity, owner=owner)


def do_add_comment(
    author: Participant, thread: Thread, body: str, *, parent: Comment | None = None
) -> Comment:
    """Add a comment, or a reply to a comment (replies go one level deep)."""
    if not body.strip():
        raise ActionRefused(_("Write something before you send it."), field="body")
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ActionRefused(_("You can only reply to a comment in the same discussion."))
        if parent.parent is not None:
            parent = parent.parent  # a reply to a reply joins the same conversation
        if not parent.is_visible:
            raise ActionRefused(_("This comment is no longer there to reply to."))
    with transaction.atomic():
        comment = Comment.objects.create(thread=thread, author=author, body=body, parent=parent)
        thread_changed(thread)
        for callback in hooks.comment_added:
            transaction.on_commit(partial(callback, comment))
    return comment


def do_edit_comment(author: Participant, comment: Comment, body: str) -> None:
    if comment.author_id != author.pk:
        raise ActionRefused(_("Only its author can edit a comment."))
    if not comment.is_visible:
        raise ActionRefused(_("This comment can no longer be edited."))
    if not body.strip():
        raise ActionRefused(_("Write something before you send it."), field="body")
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])


def do_delete_comment(author: Participant, comment: Comment) -> None:
    """Delete a comment. Replies stay; the comment shows as deleted above them."""
    if comment.author_id != author.pk:
        raise ActionRefused(_("Only its author can delete a comment."))
    if comment.deleted_at is not None:
        return
    with transaction.atomic():
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.save(update_fields=["deleted_at", "body"])
        thread_changed(comment.thread)


def do_hide_comment(actor: User, comment: Comment, reason: str) -> None:
    """Hide a comment from everyone but its author and the moderators, and record it."""
    if comment.deleted_at is not None:
        raise ActionRefused(_("Its author has deleted this comment already."))
    if comment.hidden_at is not None:
        return
    with transaction.atomic():
        comment.hidden_at = timezone.now()
        comment.hidden_by = actor
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        thread_changed(comment.thread)
        do_log_audit_entry(
            actor, comment.thread.space, AuditAction.COMMENT_HIDDEN, comment, reason=reason
        )


def do_restore_comment(actor: User, comment: Comment) -> None:
    """Show a hidden comment again, where it was, and record it."""
    if comment.hidden_at is None:
        return
    with transaction.atomic():
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        thread_changed(comment.thread)
        do_log_audit_entry(actor, comment.thread.space, AuditAction.COMMENT_RESTORED, comment)


def do_mark_helpful(owner: Participant, comment: Comment, helpful: bool = True) -> None:
    """Let the owner of a discussion (an idea's author) mark a comment as helpful."""
    if comment.thread.owner_id != owner.pk:
        raise ActionRefused(_("Only the author of the idea can mark comments as helpful."))
    if comment.author_id == owner.pk:
        raise ActionRefused(_("Mark other people's comments as helpful, not your own."))
    with transaction.atomic():
        comment.helpful_at = timezone.now() if helpful else None
        comment.save(update_fields=["helpful_at"])
        source = f"comment:{comment.pk}"
        if helpful:
            do_recognise(comment.author, comment.thread.space, COMMENT_HELPFUL, source)
        else:
            do_withdraw_recognition(comment.author, COMMENT_HELPFUL, source)


def do_merge_comments(source: Participant, target: Participant) -> None:
    """Move `source`'s comments, and the discussions it owns, to `target`."""
    Comment.objects.filter(author=source).update(author=target)
    Thread.objects.filter(owner=source).update(owner=target)
