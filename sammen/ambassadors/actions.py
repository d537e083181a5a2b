from datetime import date, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.notifications.actions import do_notify
from sammen.spaces.models import Membership, Role, Space

from .audit_actions import AuditAction
from .models import Ambassador, AmbassadorState, Arrival, Visit

# Invitations are personal; this stops a runaway script, not an owner.
INVITATIONS_PER_HOUR = 30


def is_owner(user: User, space: Space) -> bool:
    return Membership.objects.filter(space=space, user=user, role=Role.OWNER).exists()


def do_invite_ambassador(actor: User, space: Space, user: User) -> Ambassador:
    """Ask a member to be an ambassador of the space; they accept or decline."""
    if not is_owner(actor, space):
        raise ActionRefused(_("Only owners of the space invite ambassadors."))
    if not Membership.objects.filter(space=space, user=user).exists():
        raise ActionRefused(_("Ambassadors are members of the space."), field="member")
    since = timezone.now() - timedelta(hours=1)
    recent = Ambassador.objects.filter(space=space, invited_by=actor, invited_at__gte=since)
    if recent.count() >= INVITATIONS_PER_HOUR:
        raise ActionRefused(
            _("You invited many ambassadors in the last hour. Please wait a little.")
        )
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().filter(space=space, user=user).first()
        if ambassador is not None and ambassador.state in {
            AmbassadorState.INVITED,
            AmbassadorState.ACTIVE,
        }:
            raise ActionRefused(
                _("%(name)s is already invited or an ambassador.") % {"name": user.display_name},
                field="member",
            )
        now = timezone.now()
        if ambassador is None:
            try:
                with transaction.atomic():
                    ambassador = Ambassador.objects.create(
                        space=space, user=user, invited_by=actor, invited_at=now
                    )
            except IntegrityError:
                raise ActionRefused(
                    _("%(name)s is already invited or an ambassador.")
                    % {"name": user.display_name},
                    field="member",
                ) from None
        else:
            # Asked again after declining or being withdrawn: a fresh invitation, same link.
            ambassador.invited_by, ambassador.invited_at = actor, now
            ambassador.accepted_at = ambassador.declined_at = ambassador.withdrawn_at = None
            ambassador.save(
                update_fields=[
                    "invited_by",
                    "invited_at",
                    "accepted_at",
                    "declined_at",
                    "withdrawn_at",
                ]
            )
        do_log_audit_entry(actor, space, AuditAction.INVITED, ambassador, to=user.display_name)
        transaction.on_commit(
            partial(
                do_notify,
                [user],
                "ambassador_invited",
                {"space": space.name},
                reverse("ambassadors:mine", args=[space.slug]),
                skip=actor,
            )
        )
    return ambassador


def do_answer_invitation(user: User, ambassador: Ambassador, *, accept: bool) -> None:
    """Accept or decline an invitation to be an ambassador; only the invited person may."""
    if ambassador.user_id != user.pk:
        raise ActionRefused(_("This invitation is for someone else."))
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
        if ambassador.state != AmbassadorState.INVITED:
            raise ActionRefused(_("This invitation was already answered or withdrawn."))
        if accept:
            ambassador.accepted_at = timezone.now()
            ambassador.save(update_fields=["accepted_at"])
        else:
            ambassador.declined_at = timezone.now()
            ambassador.save(update_fields=["declined_at"])


def do_withdraw_ambassador(actor: User, ambassador: Ambassador) -> None:
    """End someone's part as an ambassador; their links keep working but count no more."""
    if not is_owner(actor, ambassador.space):
        raise ActionRefused(_("Only owners of the space withdraw ambassadors."))
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
        if ambassador.state == AmbassadorState.WITHDRAWN:
            raise ActionRefused(_("This ambassador was already withdrawn."))
        ambassador.withdrawn_at = timezone.now()
        ambassador.save(update_fields=["withdrawn_at"])
        do_log_audit_entry(
            actor,
            ambassador.space,
            AuditAction.WITHDRAWN,
            ambassador,
            to=ambassador.user.display_name,
        )


def do_record_visit(
    ambassador: Ambassador,
    activity: Activity,
    visitor_key: str,
    participant: Participant | None,
    *,
    count_visit: bool = True,
    today: date | None = None,
) -> Arrival | None:
    """Count a visit through an ambassador's link; the first link a visitor came by wins.

    A visit counts once a day per visitor and link (refreshing adds nothing). The arrival
    is written once per visitor and space: a later link, from the same ambassador or
    another, keeps the first one's credit. Both are one INSERT that the database's unique
    constraints keep single under parallel requests. Return the visitor's arrival.
    """
    if not ambassador.is_active or activity.space_id != ambassador.space_id:
        return None
    if count_visit:
        Visit.objects.bulk_create(
            [
                Visit(
                    ambassador=ambassador,
                    activity=activity,
                    visitor_key=visitor_key,
                    day=today or timezone.localdate(),
                )
            ],
            ignore_conflicts=True,
        )
    if (
        participant is not None
        and Arrival.objects.filter(space_id=ambassador.space_id, participant=participant).exists()
    ):
        # Someone already in the space through another link (or browser) keeps that one.
        return None
    Arrival.objects.bulk_create(
        [
            Arrival(
                space_id=ambassador.space_id,
                ambassador=ambassador,
                activity=activity,
                visitor_key=visitor_key,
            )
        ],
        ignore_conflicts=True,
    )
    if participant is not None:
        do_link_visitor(visitor_key, participant)
    return Arrival.objects.filter(space_id=ambassador.space_id, visitor_key=visitor_key).first()


def do_link_visitor(visitor_key: str, participant: Participant) -> int:
    """Write who a visitor turned out to be on their arrivals; return how many were linked.

    A participant counts for one arrival per space: the first written keeps them.
    """
    linked = 0
    arrivals = Arrival.objects.filter(visitor_key=visitor_key, participant__isnull=True)
    for arrival in arrivals:
        try:
            with transaction.atomic():
                linked += Arrival.objects.filter(pk=arrival.pk, participant__isnull=True).update(
                    participant=participant
                )
        except IntegrityError:
            continue  # the participant already came to this space through another link
    return linked


def do_merge_arrivals(source: Participant, target: Participant) -> None:
    """Move arrivals to the account that claims them; where both came, the earlier counts."""
    for arrival in Arrival.objects.filter(participant=source):
        other = Arrival.objects.filter(space_id=arrival.space_id, participant=target).first()
        if other is not None and other.first_seen <= arrival.first_seen:
            Arrival.objects.filter(pk=arrival.pk).update(participant=None)
            continue
        with transaction.atomic():
            if other is not None:
                Arrival.objects.filter(pk=other.pk).update(participant=None)
            Arrival.objects.filter(pk=arrival.pk).update(participant=target)
