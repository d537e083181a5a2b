from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import reverse

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.spaces.models import Block, Membership, Space

from .models import Reason, Report
from .registry import (
    Description,
    Hidden,
    Reportable,
    reportable_for,
    reportable_for_model,
    reportables,
)

# The queue shows the oldest open reports first; a space with more waiting sees
# these, and the rest once they are dealt with.
QUEUE_LIMIT = 200
HIDDEN_LIMIT = 30


@dataclass
class ModeratedItem:
    """Something reported or hidden as the moderation page shows it, with its open reports."""

    target: Model | None  # None once its author deleted it for good
    space: Space
    reports: list[Report] = field(default_factory=list)
    author_membership: Membership | None = None
    author_blocked: bool = False

    @cached_property
    def registration(self) -> Reportable[Any] | None:
        return reportable_for(self.target) if self.target is not None else None

    @cached_property
    def description(self) -> Description | None:
        if self.target is None or self.registration is None:
            return None
        return self.registration.describe(self.target)

    @cached_property
    def hidden_state(self) -> Hidden | None:
        if self.target is None or self.registration is None:
            return None
        return self.registration.hidden(self.target)

    @property
    def kind(self) -> str:
        """Return the registered type name, such as "idea" ("" once deleted for good)."""
        return self.registration.type_name if self.registration is not None else ""

    @property
    def label(self) -> str:
        return str(self.registration.label) if self.registration is not None else ""

    @property
    def report_heading(self) -> str:
        return str(self.registration.report_heading) if self.registration is not None else ""

    @property
    def dom_id(self) -> str:
        if self.target is None:
            return f"deleted-{self.reports[0].pk}"
        return f"{self.kind}-{self.target.pk}"

    @property
    def activity(self) -> Activity | None:
        return self.description.activity if self.description is not None else None

    @property
    def url(self) -> str:
        """Return where organisers see it in place."""
        return self.description.url if self.description is not None else ""

    @property
    def excerpt(self) -> str:
        return self.description.excerpt if self.description is not None else ""

    @property
    def is_gone(self) -> bool:
        return self.description is None or bool(self.description.gone_note)

    @property
    def author(self) -> Participant | None:
        return self.description.author if self.description is not None else None

    @property
    def show_author(self) -> bool:
        return self.description is not None and self.description.show_author

    @property
    def hidden_at(self) -> datetime | None:
        return self.hidden_state.at if self.hidden_state is not None else None

    @property
    def hidden_by(self) -> User | None:
        return self.hidden_state.by if self.hidden_state is not None else None

    @property
    def hidden_reason(self) -> str:
        return self.hidden_state.reason if self.hidden_state is not None else ""

    @property
    def is_hidden(self) -> bool:
        return self.hidden_state is not None

    def moderation_url(self, step: str) -> str:
        assert self.target is not None
        return reverse(f"moderation:{step}_{self.kind}", args=[self.space.slug, self.target.pk])

    @property
    def hide_url(self) -> str:
        return self.moderation_url("hide")

    @property
    def restore_url(self) -> str:
        return self.moderation_url("restore")

    @property
    def suggested_reason(self) -> str:
        """Return the reason most reporters gave, as a starting point for the public one."""
        if not self.reports:
            return ""
        reason, _count = Counter(report.reason for report in self.reports).most_common(1)[0]
        return str(Reason(reason).label)


def with_authors(items: list[ModeratedItem], space: Space) -> list[ModeratedItem]:
    """Attach each author's membership and block, so the page can offer to block them."""
    user_ids = {
        item.author.user_id
        for item in items
        if item.author is not None and item.show_author and item.author.user_id
    }
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(space=space, user_id__in=user_ids)
    }
    blocked = set(
        Block.objects.filter(space=space, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    for item in items:
        author_id = item.author.user_id if item.author is not None else None
        if author_id is not None and item.show_author:
            item.author_membership = memberships.get(author_id)
            item.author_blocked = author_id in blocked
    return items


def open_reports(space: Space) -> tuple[list[ModeratedItem], bool]:
    """Return what was reported in the space, oldest report first, and whether more wait
    beyond the queue's limit."""
    reports = list(
        Report.objects.filter(space=space, resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "id")[: QUEUE_LIMIT + 1]
    )
    more = len(reports) > QUEUE_LIMIT
    reports = reports[:QUEUE_LIMIT]
    wanted: dict[int, set[int]] = {}
    for report in reports:
        wanted.setdefault(report.target_type_id, set()).add(report.target_id)
    targets: dict[int, dict[int, Model]] = {}
    for type_id, ids in wanted.items():
        reportable = reportable_for_model(ContentType.objects.get_for_id(type_id).model_class())
        targets[type_id] = dict(reportable.in_bulk(ids)) if reportable is not None else {}
    items: dict[tuple[int, int], ModeratedItem] = {}
    for report in reports:
        key = (report.target_type_id, report.target_id)
        if key not in items:
            target = targets[report.target_type_id].get(report.target_id)
            items[key] = ModeratedItem(target=target, space=space)
        items[key].reports.append(report)
    return with_authors(list(items.values()), space), more


def recently_hidden(space: Space) -> list[ModeratedItem]:
    """Return what is hidden in the space, most recently hidden first (such as statements
    organisers rejected before anyone saw them)."""
    items = [
        ModeratedItem(target=target, space=space)
        for reportable in reportables()
        for target in reportable.hidden_in(space, HIDDEN_LIMIT)
    ]
    items.sort(key=hidden_moment, reverse=True)
    return with_authors(items[:HIDDEN_LIMIT], space)


def hidden_moment(item: ModeratedItem) -> datetime:
    return (
        item.hidden_at
        or getattr(item.target, "created_at", None)
        or datetime.min.replace(tzinfo=UTC)
    )


def blocks_in(space: Space) -> QuerySet[Block]:
    return (
        Block.objects.filter(space=space)
        .select_related("user", "blocked_by")
        .order_by("-created_at", "-id")
    )


def personal_moderation_data(user: User) -> dict[str, Any]:
    """Return the reports the person made, for "Download my data"."""
    return {
        "reports_made": [
            {
                "space": report.space.name,
                "about": f"{report.target_type.model} {report.target_id}",
                "reason": report.reason,
                "note": report.note,
                "at": report.created_at.isoformat(),
                "resolution": report.resolution or None,
            }
            for report in Report.objects.filter(reporter=user)
            .select_related("space", "target_type")
            .order_by("created_at")
        ]
    }
