from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from itertools import pairwise

from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity, Phase
from sammen.audit.actions import do_log_audit_entry
from sammen.comments.models import Thread
from sammen.core.errors import ActionRefused
from sammen.moderation.registry import check_hide_reason
from sammen.notifications.actions import do_follow, do_notify
from sammen.recognition.actions import do_recognise, do_withdraw_recognition
from sammen.spaces.models import Membership
from sammen.spaces.queries import organisers_of

from . import deeds
from .audit_actions import AuditAction
from .caching import ideas_changed, list_changed
from .models import (
    ANSWER_STATUSES,
    MAX_CRITERIA,
    MAX_IMAGES_PER_IDEA,
    MAX_MOMENTUM_STAGES,
    REVIEW_REMINDER_DAYS,
    TRENDING_EPOCH,
    TRENDING_SECONDS_PER_DECADE,
    Call,
    CoAuthor,
    Criterion,
    Evaluator,
    Idea,
    IdeaImage,
    IdeaStatus,
    MomentumStage,
    ReviewDate,
    Score,
    Stage,
    Support,
    Supporters,
    trending_score,
)
from .queries import ideas_awaiting_answer

MAX_IDEAS_PER_DAY = 10
MAX_CO_AUTHORS = 5
MAX_REVIEW_DATES = 12


@dataclass(frozen=True)
class ImageInput:
    content: ContentFile
    description: str = ""


def do_setup_call(activity: Activity) -> Call:
    """Give an activity of the open-call kind its call, once."""
    call, _created = Call.objects.get_or_create(activity=activity)
    return call


def do_update_call_rules(
    actor: User,
    call: Call,
    *,
    description: str,
    scope: str,
    criteria: str,
    after_selection: str,
    reward: str,
    blind: bool,
    supporters: str,
    cover: ContentFile | None = None,
    remove_cover: bool = False,
) -> None:
    """Save the call's frame: what it asks, what counts, what happens, what people get."""
    if supporters not in Supporters.values:
        raise ActionRefused(_("Choose who may support ideas."), field="supporters")
    if blind != call.blind and call.ideas.exists():
        raise ActionRefused(
            _("Blind mode can only change before the first idea arrives."), field="blind"
        )
    old_cover = call.cover.name if call.cover else ""
    call.description, call.scope, call.criteria = description, scope, criteria
    call.after_selection, call.reward = after_selection, reward
    call.blind, call.supporters = blind, supporters
    fields = [
        "description",
        "scope",
        "criteria",
        "after_selection",
        "reward",
        "blind",
        "supporters",
    ]
    if cover is not None:
        call.cover.save(cover.name or "cover.webp", cover, save=False)
        fields.append("cover")
    elif remove_cover and old_cover:
        call.cover = None
        fields.append("cover")
    with transaction.atomic():
        call.save(update_fields=fields)
        list_changed(call.pk)
        do_log_audit_entry(actor, call.activity.space, AuditAction.CALL_UPDATED, call.activity)
        if old_cover and "cover" in fields:
            transaction.on_commit(lambda: call.cover.storage.delete(old_cover))


def do_update_call_schedule(
    actor: User,
    call: Call,
    *,
    submission_ends_at: datetime | None,
    support_ends_at: datetime | None,
    review_ends_at: datetime | None,
    stage_override: str,
    submissions_paused: bool,
    momentum: list[tuple[int, int]],
    review_dates: list[date],
) -> None:
    """Set the stages' dates, the stage by hand, pausing, momentum thresholds, review dates."""
    if stage_override not in {"", *Stage.values}:
        raise ActionRefused(_("Choose one of the stages offered."), field="stage_override")
    dates = [d for d in (submission_ends_at, support_ends_at, review_ends_at) if d is not None]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ActionRefused(
            _("The stages must end in order: submissions, then support, then review.")
        )
    if len(momentum) > MAX_MOMENTUM_STAGES:
        raise ActionRefused(
            _("A call has at most %(count)s momentum thresholds.") % {"count": MAX_MOMENTUM_STAGES}
        )
    for (supports, days), (next_supports, next_days) in pairwise(momentum):
        if next_supports <= supports or next_days <= days:
            raise ActionRefused(
                _(
                    "Each momentum threshold asks for more supports, in more days, "
                    "than the one before."
                )
            )
    if any(supports < 1 or days < 1 for supports, days in momentum):
        raise ActionRefused(_("Thresholds need at least one support and one day."))
    if len(set(review_dates)) > MAX_REVIEW_DATES:
        raise ActionRefused(
            _("A call has at most %(count)s review dates.") % {"count": MAX_REVIEW_DATES}
        )
    call.submission_ends_at, call.support_ends_at = submission_ends_at, support_ends_at
    call.review_ends_at, call.stage_override = review_ends_at, stage_override
    call.submissions_paused = submissions_paused
    with transaction.atomic():
        call.save(
            update_fields=[
                "submission_ends_at",
                "support_ends_at",
                "review_ends_at",
                "stage_override",
                "submissions_paused",
            ]
        )
        call.momentum_stages.all().delete()
        MomentumStage.objects.bulk_create(
            MomentumStage(call=call, position=position, supports_needed=supports, within_days=days)
            for position, (supports, days) in enumerate(momentum)
        )
        call.review_dates.all().delete()
        ReviewDate.objects.bulk_create(
            ReviewDate(call=call, date=day) for day in sorted(set(review_dates))
        )
        do_log_audit_entry(
            actor,
            call.activity.space,
            AuditAction.CALL_SCHEDULED,
            call.activity,
            stage=stage_override or "by date",
            paused=submissions_paused,
        )
        # Cards show the way to the next threshold, and whether support is still open.
        list_changed(call.pk)


def do_update_jury(
    actor: User, call: Call, *, criteria: list[tuple[str, int]], evaluators: list[User]
) -> None:
    """Name the jury and what it scores. Scores given on removed criteria go with them."""
    if len(criteria) > MAX_CRITERIA:
        raise ActionRefused(_("A jury has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    if any(not 1 <= weight <= 10 for _name, weight in criteria):
        raise ActionRefused(_("Give each criterion a weight from 1 to 10."))
    space = call.activity.space
    member_ids = set(Membership.objects.filter(space=space).values_list("user_id", flat=True))
    if any(user.pk not in member_ids for user in evaluators):
        raise ActionRefused(_("Evaluators must be members of the space."))
    with transaction.atomic():
        kept = []
        for position, (name, weight) in enumerate(criteria):
            criterion, _created = Criterion.objects.update_or_create(
                call=call, name=name, defaults={"weight": weight, "position": position}
            )
            kept.append(criterion.pk)
        call.jury_criteria.exclude(pk__in=kept).delete()
        call.evaluators.exclude(user__in=evaluators).delete()
        for user in evaluators:
            Evaluator.objects.get_or_create(call=call, user=user)
        do_log_audit_entry(
            actor,
            space,
            AuditAction.JURY_UPDATED,
            call.activity,
            evaluators=[user.display_name for user in evaluators],
        )


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
    start = idea.images.count()
    if start + len(images) > MAX_IMAGES_PER_IDEA:
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
        thread = Thread.objects.create(space=activity.space, activity=activity, owner=author)
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


def promote(idea: Idea, now: datetime, stages: list[MomentumStage]) -> None:
    """Move the idea past the momentum thresholds its supports reached in time.

    Called with the idea's row locked, so two supports cannot both promote it.
    """
    level = idea.momentum_level
    while (
        level < len(stages)
        and idea.support_count >= stages[level].supports_needed
        and now <= idea.created_at + timedelta(days=stages[level].within_days)
    ):
        level += 1
    if level == idea.momentum_level:
        return
    idea.momentum_level = level
    fields = ["momentum_level"]
    if level == len(stages) and idea.status == IdeaStatus.PUBLISHED:
        idea.status = IdeaStatus.UNDER_REVIEW
        fields.append("status")
        space = idea.call.activity.space
        for participant in [idea.author]:
            do_recognise(participant, space, deeds.IDEA_REVIEWED, f"idea:{idea.pk}")
        people = idea_people(idea)
        transaction.on_commit(
            lambda: do_notify(
                people, "idea_reached_review", {"idea": idea.title}, idea.get_absolute_url()
            )
        )
    idea.save(update_fields=fields)


def insert_support(idea: Idea, supporter: Participant, now: datetime) -> bool:
    """Store one support; return False when the participant supported the idea already.

    The unique constraint decides, without an error to recover from: a second click
    that arrives while the first is still in its transaction waits for it, then finds
    the row and inserts nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Support._meta.db_table} (idea_id, participant_id, created_at)"  # noqa: S608 - table names from the models, values as parameters
            " VALUES (%s, %s, %s) ON CONFLICT (idea_id, participant_id) DO NOTHING RETURNING id",
            [idea.pk, supporter.pk, connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.fetchone() is not None


def count_support(idea: Idea, change: int) -> tuple[int, int, str, int | None] | None:
    """Add `change` (1 or -1) to the idea's support count and set its trending score.

    Return the new count, momentum level and status, and the supports the idea's next
    momentum threshold asks for (None without one), or None when the idea no longer
    takes support. This UPDATE takes the idea's row lock, which the transaction then
    holds until it commits: the count moves in one statement, so it stays equal to
    the stored supports however many people support at once, and the lock is taken
    last so that it is held for as short a time as possible.
    """
    # The count after the change, at least 1 for the logarithm (as trending_score does).
    new_count = "support_count + 1" if change > 0 else "support_count - 1"
    at_least_one = f"CASE WHEN {new_count} > 1 THEN {new_count} ELSE 1 END"
    age = (idea.created_at - TRENDING_EPOCH).total_seconds() / TRENDING_SECONDS_PER_DECADE
    if change > 0:
        condition = " AND status IN (%s, %s) AND hidden_at IS NULL"
        condition_values = [IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW]
    else:
        condition, condition_values = " AND support_count > 0", []
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Idea._meta.db_table} SET support_count = {new_count},"  # noqa: S608 - no user input in the SQL text
            f" trending = LOG(10, {at_least_one}) + %s"
            f" WHERE id = %s{condition}"
            " RETURNING support_count, momentum_level, status,"
            f" (SELECT supports_needed FROM {MomentumStage._meta.db_table} AS stage"
            f" WHERE stage.call_id = {Idea._meta.db_table}.call_id"
            f" AND stage.position = {Idea._meta.db_table}.momentum_level)",
            [age, idea.pk, *condition_values],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1]), str(row[2]), None if row[3] is None else int(row[3])


def do_support_idea(supporter: Participant, idea: Idea) -> bool:
    """Support an idea once. Return True if this call added the support.

    The unique constraint keeps one support per participant; the idea's count moves
    in one UPDATE, last in the transaction, so the row lock that keeps the visible
    count equal to the stored supports is held from that statement to the commit only.
    """
    # The idea as the caller read it, with its call, when it did (views read it a moment
    # ago, to check access); otherwise as it is now. The UPDATE checks its status again.
    read = Idea.call.is_cached(idea) and Call.activity.is_cached(idea.call)
    fresh = idea if read else Idea.objects.select_related("call__activity__space").get(pk=idea.pk)
    if fresh.status not in {IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW} or fresh.is_hidden:
        raise ActionRefused(_("This idea no longer takes support."))
    if not fresh.call.accepts_support:
        raise ActionRefused(_("Support for this call has closed."))
    now = timezone.now()
    with transaction.atomic():
        try:
            added = insert_support(fresh, supporter, now)
        except IntegrityError:  # the idea was withdrawn and removed a moment ago
            raise ActionRefused(_("This idea no longer takes support.")) from None
        if not added:
            fresh.refresh_from_db(fields=["support_count", "status"])
            idea.support_count, idea.status = fresh.support_count, fresh.status
            return False
        do_recognise(supporter, fresh.call.activity.space, deeds.SUPPORTED, f"idea:{fresh.pk}")
        counted = count_support(fresh, +1)
        if counted is None:  # answered, withdrawn or hidden since we read it: undo it all
            raise ActionRefused(_("This idea no longer takes support."))
        fresh.support_count, fresh.momentum_level, fresh.status, next_needed = counted
        status = fresh.status
        if next_needed is not None and fresh.support_count >= next_needed:
            promote(fresh, now, list(fresh.call.momentum_stages.all()))
        changed = ideas_changed if fresh.status != status else list_changed
        changed(fresh.call_id)
    idea.support_count, idea.status = fresh.support_count, fresh.status
    return True


def do_unsupport_idea(supporter: Participant, idea: Idea) -> bool:
    """Take back one's support. Return True if there was one to take back."""
    fresh = Idea.objects.only("id", "call_id", "created_at").get(pk=idea.pk)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(idea=fresh, participant=supporter).delete()
        if not deleted:
            fresh.refresh_from_db(fields=["support_count"])
            idea.support_count = fresh.support_count
            return False
        do_withdraw_recognition(supporter, deeds.SUPPORTED, f"idea:{fresh.pk}")
        counted = count_support(fresh, -1)
        list_changed(fresh.call_id)
    if counted is not None:
        idea.support_count = counted[0]
    return True


def do_answer_idea(actor: User, idea: Idea, *, status: str, text: str) -> None:
    """Answer an idea in public with a status and the reason; tell everyone involved."""
    if status not in ANSWER_STATUSES:
        raise ActionRefused(_("Choose one of the answers offered."), field="status")
    if not text.strip():
        raise ActionRefused(_("Explain your answer in a few words."), field="text")
    if idea.status in {IdeaStatus.WITHDRAWN, IdeaStatus.ARCHIVED}:
        raise ActionRefused(_("Withdrawn and archived ideas are not answered."))
    space = idea.call.activity.space
    with transaction.atomic():
        idea.status, idea.answer = status, text
        idea.answered_at, idea.answered_by = timezone.now(), actor
        idea.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
        ideas_changed(idea.call_id)
        earned = {
            IdeaStatus.SELECTED: [deeds.IDEA_SELECTED],
            IdeaStatus.IN_PROGRESS: [deeds.IDEA_SELECTED],
            IdeaStatus.DONE: [deeds.IDEA_SELECTED, deeds.IDEA_DONE],
        }.get(IdeaStatus(status), [])
        for participant in [
            idea.author,
            *[
                co_author.participant
                for co_author in idea.co_authors.filter(accepted_at__isnull=False)
            ],
        ]:
            for deed in earned:
                do_recognise(participant, space, deed, f"idea:{idea.pk}")
        do_log_audit_entry(actor, space, AuditAction.IDEA_ANSWERED, idea, status=status)
        audience = [
            *idea_people(idea),
            *User.objects.filter(participant__supports__idea=idea),
            *User.objects.filter(
                Q(follows__thread=idea.thread) | Q(follows__activity=idea.call.activity)
            ),
        ]
        transaction.on_commit(
            lambda: do_notify(
                audience,
                "idea_answered",
                {"idea": idea.title, "status": status},
                idea.get_absolute_url(),
                skip=actor,
            )
        )


def do_score_idea(evaluator: Evaluator, idea: Idea, scores: dict[int, int]) -> None:
    """Store an evaluator's private 1-5 scores for an idea under review."""
    if idea.status != IdeaStatus.UNDER_REVIEW:
        raise ActionRefused(_("Only ideas under review are scored."))
    criteria = {criterion.pk for criterion in idea.call.jury_criteria.all()}
    if set(scores) - criteria:
        raise ActionRefused(_("Score the criteria of this call."))
    if any(not 1 <= value <= 5 for value in scores.values()):
        raise ActionRefused(_("Scores go from 1 to 5."))
    with transaction.atomic():
        for criterion_id, value in scores.items():
            Score.objects.update_or_create(
                idea=idea,
                evaluator=evaluator,
                criterion_id=criterion_id,
                defaults={"value": value},
            )


def do_sweep_momentum(call: Call, now: datetime | None = None) -> list[Idea]:
    """Archive the ideas that missed a momentum window, with a kind word to their authors."""
    now = now or timezone.now()
    stages = list(call.momentum_stages.all())
    archived: list[Idea] = []
    if not stages:
        return archived
    for idea in call.ideas.filter(status=IdeaStatus.PUBLISHED, momentum_level__lt=len(stages)):
        stage = stages[idea.momentum_level]
        if now <= idea.created_at + timedelta(days=stage.within_days):
            continue
        with transaction.atomic():
            idea.status, idea.archived_at = IdeaStatus.ARCHIVED, now
            idea.save(update_fields=["status", "archived_at", "updated_at"])
            ideas_changed(call.pk)
            people = idea_people(idea)
            transaction.on_commit(
                partial(
                    do_notify,
                    people,
                    "idea_archived",
                    {
                        "idea": idea.title,
                        "supports": stage.supports_needed,
                        "days": stage.within_days,
                    },
                    idea.get_absolute_url(),
                )
            )
        archived.append(idea)
    return archived


REVIEW_DUE_SOON = "review_due_soon"
REVIEW_OVERDUE = "review_overdue"


def do_remind_of_review(call: Call, now: datetime | None = None) -> str | None:
    """Remind the organisers of the answers they promised; return the reminder sent, if any.

    A few days before the review ends, and once it has passed, while ideas still wait
    for an answer, the space's owners and moderators hear how many. Each reminder goes
    once per review date, however often this runs: a changed date re-arms both.
    """
    now = now or timezone.now()
    promised_by = call.review_ends_at
    activity = call.activity
    # Closed calls still owe answers; drafts owe none, answered activities gave theirs.
    if promised_by is None or activity.phase not in {Phase.OPEN, Phase.CLOSED}:
        return None
    if now >= promised_by:
        kind, sent_for = REVIEW_OVERDUE, "review_overdue_reminded_for"
    elif now >= promised_by - timedelta(days=REVIEW_REMINDER_DAYS):
        kind, sent_for = REVIEW_DUE_SOON, "review_soon_reminded_for"
    else:
        return None
    waiting = ideas_awaiting_answer(call).count()
    if not waiting:
        return None
    with transaction.atomic():
        # The UPDATE claims the reminder: of two runs at once, only one changes the row.
        # It also checks that the date is still the one we read.
        claimed = (
            Call.objects.filter(pk=call.pk, review_ends_at=promised_by)
            .exclude(**{sent_for: promised_by})
            .update(**{sent_for: promised_by})
        )
        if not claimed:
            return None
        setattr(call, sent_for, promised_by)
        organisers = list(organisers_of(activity.space_id))
        url = reverse("calls:answers", args=[activity.space.slug, activity.slug])
        params = {"call": activity.title, "date": promised_by.isoformat(), "count": waiting}
        transaction.on_commit(partial(do_notify, organisers, kind, params, url))
    return kind


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
