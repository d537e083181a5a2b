"""What can be reported and hidden. Each app that owns such a thing registers it from its
own `AppConfig.ready()`; moderation names none of them.

A registration says how to find one for a reporter (with the kind's own view permissions)
and for the moderators of a space, how to hide and restore it (through the owner's own
actions, so audit entries and recomputes stay theirs), whether it is hidden, and how the
queue describes it.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from sammen.core.errors import ActionRefused

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sammen.accounts.models import Participant, User
    from sammen.activities.models import Activity
    from sammen.activities.permissions import ActivityAccess
    from sammen.spaces.models import Space
    from sammen.spaces.permissions import SpaceAccess

T = TypeVar("T", bound=Model)

# The one rule for the reason a moderator gives when hiding anything: required, since its
# author sees it in its place, and at most this long. (It was the open call's rule for
# ideas; comments and statements hidden from the queue always followed it.)
HIDE_REASON_MAX_LENGTH = 200


def check_hide_reason(reason: str) -> str:
    """Return the reason for hiding, trimmed; refuse it when empty or too long."""
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why you hide it: the author sees the reason."), field="reason")
    if len(reason) > HIDE_REASON_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the reason to %(count)s characters or fewer.")
            % {"count": HIDE_REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def locking(field_name: str) -> Callable[[Any], None]:
    """Return a `Reportable.lock` for a model whose `hidden` reads one field (its
    `state`, its `hidden_at`): lock the row and refresh that field, so two moderators act
    once; refuse when the row is gone."""

    def lock(target: Model) -> None:
        rows = list(
            type(target)
            ._default_manager.select_for_update()
            .filter(pk=target.pk)
            .values_list(field_name, flat=True)
        )
        if not rows:
            raise ActionRefused(_("This is no longer there."))
        setattr(target, field_name, rows[0])

    return lock


@dataclass(frozen=True)
class Hidden:
    """When and by whom something was hidden, and the reason its author sees."""

    at: datetime | None
    by: "User | None"
    reason: str


@dataclass(frozen=True)
class Description:
    """How the moderation pages show one reported or hidden thing."""

    activity: "Activity | None"
    # The link to it in place (the queue), and what the link says.
    url: str
    link_text: str
    # Whether `link_text` is what people wrote (so it is in the space's language).
    link_text_is_content: bool
    excerpt: str
    # Its own title, shown above the excerpt on the report page ("" when it has none).
    title: str = ""
    author: "Participant | None" = None
    show_author: bool = True
    # Said instead of the author's name when `show_author` is false ("" to say nothing).
    hidden_author_note: StrOrPromise = ""
    # Set once its author deleted it: what the queue says instead of the excerpt.
    gone_note: StrOrPromise = ""


@dataclass(frozen=True)
class ReportPlace(Generic[T]):
    """Something a person is about to report, as they see it, and where to go back to."""

    access: "ActivityAccess"
    target: T
    back_url: str
    back_label: str


@dataclass(frozen=True)
class Reportable(Generic[T]):
    """One model whose rows people may report and the moderators of a space may hide."""

    # A short name used in URLs and URL names: "idea" gives ideas/<id>/report/ and
    # "moderation:report_idea", "moderation:hide_idea", "moderation:restore_idea".
    type_name: str
    model: type[T]
    # The queue's badge ("Idea") and the report page's heading ("Report this idea").
    label: StrOrPromise
    report_heading: StrOrPromise
    # Find one for a person about to report it: 404 unless they see it.
    # Called with (request, space_slug, activity_slug, target_id).
    access_for_report: Callable[["HttpRequest", str, str, int], ReportPlace[T]]
    # Find one in a space for its moderators: 404 unless it belongs to the space.
    access_for_moderator: Callable[["SpaceAccess", int], T]
    # Load several by id for the queue, with what `describe` reads.
    in_bulk: Callable[[Collection[int]], dict[int, T]]
    # Return the space's hidden ones, most recently hidden first, at most `limit`.
    hidden_in: Callable[["Space", int], list[T]]
    space_id_of: Callable[[T], int]
    # Return when, by whom and why it was hidden, or None when it is not hidden.
    hidden: Callable[[T], Hidden | None]
    # Whether others no longer see it (hidden, deleted, not yet approved): nothing to report.
    out_of_view: Callable[[T], bool]
    # Lock its row and refresh what `hidden` reads, so two moderators act once; refuse
    # when it is gone or cannot be hidden (e.g. deleted by its author).
    lock: Callable[[T], None]
    # Hide and restore through the owner's own actions (audit entries, recomputes).
    hide: Callable[["User", T, str], None]
    restore: Callable[["User", T], None]
    describe: Callable[[T], Description]
    url_segment: str = ""

    @property
    def segment(self) -> str:
        return self.url_segment or f"{self.type_name}s"


_reportables: dict[str, Reportable[Any]] = {}


def register_reportable(reportable: Reportable[Any]) -> None:
    """Let people report `reportable.model` and the moderators of a space hide it."""
    _reportables[reportable.type_name] = reportable


def reportables() -> list[Reportable[Any]]:
    return list(_reportables.values())


def reportable_named(type_name: str) -> Reportable[Any]:
    return _reportables[type_name]


def reportable_for(target: Model) -> Reportable[Any] | None:
    """Return the registration of the target's model, or None when it cannot be reported."""
    for reportable in _reportables.values():
        if isinstance(target, reportable.model):
            return reportable
    return None


def reportable_for_model(model: type[Model] | None) -> Reportable[Any] | None:
    for reportable in _reportables.values():
        if model is reportable.model:
            return reportable
    return None
