"""Ideas: submitting, editing, withdrawing, co-authors and images, hiding and restoring."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.audit.actions import do_log_audit_entry
from sammen.comments.actions import do_start_thread
from sammen.core.errors import ActionRefused
from sammen.moderation.registry import check_hide_reason
from sammen.notifications.actions import do_follow, do_notify
from sammen.recognition.actions import do_recognise
from sammen.spaces.models import Membership
from sammen.webhooks.actions import emit

from .. import deeds, webhooks
from ..audit_actions import AuditAction
from ..caching import ideas_changed
from ..models import (
    MAX_IMAGES_PER_IDEA,
    Call,
    CoAuthor,
    Idea,
    IdeaImage,
    IdeaStatus,
    trending_score,
)

MAX_IDEAS_PER_DAY = 10
MAX_CO_AUTHORS = 5


@dataclass(frozen=True)
class ImageInput:
    content: ContentFile
    description: str = ""


def check_idea_text(title: str, body: str) -> None:
    if not title.strip():
        raise ActionRefused(_("Give your idea a title."), field="title")
    if not body.strip():
        raise ActionRefused(_("Describe your idea."), field="body")


def check_builds_on(call: Call, builds_on: Idea | None, idea: Idea | None = None) -> None:
    if builds_on is None:
        return
    if builds_on.call_id != call.pk or builds_on.is_hidden:
        raise ActionRefused(
            _("An idea can only build on another idea of this call."), field="builds_on"
        )
    if idea is not None and builds_on.pk == idea.pk:
        raise ActionRefused(_("An idea cannot build on itself."), field="builds_on")


def add_images(idea: Idea, images: list[ImageInput]) -> None:
    """Add `images` after the idea's last one. Call it with the idea's row locked (or new),
    so two saves at once cannot pass the limit together."""
    kept = idea.images.aggregate(count=Count("id"), last=Max("position"))
    start = 0 if kept["last"] is None else kept["last"] + 1
    if kept["count"] + len(images) > MAX_IMAGES_PER_IDEA:
        raise ActionRefused(
            _("An idea has at most %(count)s images.") % {"count": MAX_IMAGES_PER_IDEA},
            field="images",
        )
    for offset, item in enumerate(images):
        width, height = get_image_dimensions(item.content)
        picture = IdeaImage(
            idea=idea,
            description=item.description,
            position=start + offset,
            width=width,
            height=height,
        )
        picture.image.save(item.content.name or "idea.webp", item.content, save=False)
        picture.save()


def invite_co_authors(idea: Idea, author: Participant, co_authors: list[Participant]) -> None:
    space = idea.call.activity.space
    invited = [p for p in dict.fromkeys(co_authors) if p.pk != author.pk]
    if len(invited) + idea.co_authors.count() > MAX_CO_AUTHORS:
        raise ActionRefused(
            _("An idea has at most %(count)s co-authors.") % {"count": MAX_CO_AUTHORS},
            field="co_authors",
        )
    members = set(
        Membership.objects.filter(space=space, user__participant__in=invited).values_list(
            "user__participant", flat=True
        )
    )
    if any(p.pk not in members for p in invited):
        raise ActionRefused(_("Co-authors must be members of the space."), field="co_authors")
    for participant in invited:
        _co_author, created = CoAuthor.objects.get_or_create(idea=idea, participant=participant)
        if created:
            transaction.on_commit(
                partial(
                    do_notify,
                    [participant.user],
                    "co_author_invited",
                    {"name": visible_author_name(idea), "idea": idea.title},
                    idea.get_absolute_url(),
                )
            )


def visible_author_name(idea: Idea) -> str:
    if idea.author_is_hidden():
        return _("An anonymous author")
    return idea.author.public_name


def do_submit_idea(
    author: Participant,
    call: Call,
    *,
    title: str,
    body: str,
    builds_on: Idea | None = None,
    images: list[ImageInput] | None = None,
    co_authors: list[Participant] | None = None,
) -> Idea:
    """Publish an idea in the call's submission stage, with its discussion."""
    if not call.accepts_ideas:
        raise ActionRefused(_("This call does not accept ideas right now."))
    check_idea_text(title, body)
    check_builds_on(call, builds_on)
    since = timezone.now() - timedelta(days=1)
    if Idea.objects.filter(author=author, created_at__gte=since).count() >= MAX_IDEAS_PER_DAY:
        raise ActionRefused(_("You have shared many ideas today. Please come back tomorrow."))
    activity = call.activity
    now = timezone.now()
    with transaction.atomic():
        thread = do_start_thread(activity, author)
        idea = Idea.objects.create(
            call=call,
            author=author,
            title=title,
            body=body,
            builds_on=builds_on,
            thread=thread,
            created_at=now,
            trending=trending_score(0, now),
        )
        idea.call = call
        add_images(idea, images or [])
        invite_co_authors(idea, author, co_authors or [])
        do_recognise(author, activity.space, deeds.IDEA_SUBMITTED, f"idea:{idea.pk}")
        if author.user is not None:
            do_follow(author.user, thread=thread)
        followers = User.objects.filter(follows__activity=activity)
        ideas_changed(call.pk)
        emit(activity.space_id, webhooks.IDEA_SUBMITTED, partial(webhooks.idea_data, idea.pk))
        transaction.on_commit(
            lambda: do_notify(
                followers,
                "idea_submitted",
                {"idea": idea.title, "call": activity.title},
                idea.get_absolute_url(),
                skip=author.user,
            )
        )
    return idea


def do_edit_idea(
    author: Participant,
    idea: Idea,
    *,
    title: str,
    body: str,
    builds_on: Idea | None = None,
    new_images: list[ImageInput] | None = None,
    remove_image_ids: list[int] | None = None,
) -> None:
    if idea.author_id != author.pk:
        raise ActionRefused(_("Only its author can edit an idea."))
    if not idea.call.accepts_ideas or idea.status != IdeaStatus.PUBLISHED:
        raise ActionRefused(_("Ideas can only be edited while the call accepts ideas."))
    check_idea_text(title, body)
    check_builds_on(idea.call, builds_on, idea)
    with transaction.atomic():
        Idea.objects.select_for_update().only("pk").get(pk=idea.pk)  # one save at a time
        removed = list(idea.images.filter(pk__in=remove_image_ids or []))
        for picture in removed:
            name = picture.image.name
            picture.delete()
            transaction.on_commit(partial(IdeaImage.image.field.storage.delete, name))
        add_images(idea, new_images or [])
        idea.title, idea.body, idea.builds_on = title, body, builds_on
        idea.save(update_fields=["title", "body", "builds_on", "updated_at"])
        ideas_changed(idea.call_id)


def do_withdraw_idea(author: Participant, idea: Idea) -> bool:
    """Withdraw an idea. Return True when it stays visible, as others took part in it."""
    if idea.author_id != author.pk:
        raise ActionRefused(_("Only its author can withdraw an idea."))
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.status in {IdeaStatus.WITHDRAWN, IdeaStatus.ARCHIVED}:
            return True
        ideas_changed(idea.call_id)
        if idea.support_count == 0 and not idea.thread.comments.exists():
            thread = idea.thread
            names = [picture.image.name for picture in idea.images.all()]
            idea.delete()
            thread.delete()
            for name in names:
                transaction.on_commit(partial(IdeaImage.image.field.storage.delete, name))
            return False
        idea.status = IdeaStatus.WITHDRAWN
        idea.withdrawn_at = timezone.now()
        idea.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return True


def do_respond_to_co_authorship(participant: Participant, idea: Idea, *, accept: bool) -> None:
    invitation = CoAuthor.objects.filter(idea=idea, participant=participant).first()
    if invitation is None:
        raise ActionRefused(_("There is no invitation to co-author this idea."))
    if accept:
        if invitation.accepted_at is None:
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
    else:
        invitation.delete()


def idea_people(idea: Idea) -> list[User]:
    """Return the accounts of the idea's author and accepted co-authors."""
    people = [idea.author.user] if idea.author.user else []
    people += [
        co_author.participant.user
        for co_author in idea.co_authors.filter(accepted_at__isnull=False).select_related(
            "participant__user"
        )
        if co_author.participant.user is not None
    ]
    return people


def do_hide_idea(actor: User, idea: Idea, reason: str) -> None:
    """Hide an idea from everyone but its author and the organisers, with the reason why."""
    reason = check_hide_reason(reason)  # moderation's one rule for every hide reason
    if idea.is_hidden:
        return
    with transaction.atomic():
        idea.hidden_at, idea.hidden_by, idea.hidden_reason = timezone.now(), actor, reason
        # Not `updated_at`: hiding is not a change the author made.
        idea.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        ideas_changed(idea.call_id)
        do_log_audit_entry(
            actor, idea.call.activity.space, AuditAction.IDEA_HIDDEN, idea, reason=reason
        )


def do_restore_idea(actor: User, idea: Idea) -> None:
    """Show a hidden idea again, where it was."""
    if not idea.is_hidden:
        return
    with transaction.atomic():
        idea.hidden_at, idea.hidden_by, idea.hidden_reason = None, None, ""
        idea.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        ideas_changed(idea.call_id)
        do_log_audit_entry(actor, idea.call.activity.space, AuditAction.IDEA_RESTORED, idea)
