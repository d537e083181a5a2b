"""What recognition knows of the apps it serves: their deeds and their parts of a profile.

Each app declares the deeds it rewards (`Deed`) and registers them with
`register_deeds()`; an activity kind registers the sections it adds to a person's public
profile with `register_profile_section()`. Both are called from `AppConfig.ready()`, so
recognition names no kind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django_stubs_ext import StrOrPromise

from sammen.accounts.models import Participant
from sammen.spaces.models import Space
from sammen.spaces.permissions import AnyUser

from .models import DEED_MAX_LENGTH


@dataclass(frozen=True)
class Deed:
    """Something a participant did that earns points. Outcomes weigh far more than activity."""

    key: str
    label: StrOrPromise
    points: int


_deeds: dict[str, Deed] = {}


def register_deeds(*deeds: Deed) -> None:
    for deed in deeds:
        if len(deed.key) > DEED_MAX_LENGTH:
            raise ImproperlyConfigured(f"The deed {deed.key!r} is over {DEED_MAX_LENGTH}.")
        if _deeds.get(deed.key, deed) is not deed:
            raise ImproperlyConfigured(f"Two apps register the deed {deed.key!r}.")
        _deeds[deed.key] = deed


def registered_deed(key: str) -> Deed | None:
    return _deeds.get(key)


@dataclass(frozen=True)
class ProfileViewing:
    """Whose profile is shown, to whom, and what the viewer may see of it."""

    person: Participant
    viewer: AnyUser
    # The spaces whose contributions the viewer may see.
    spaces: QuerySet[Space]
    is_self: bool
    page_number: str | int | None


@dataclass(frozen=True)
class ProfileSection:
    """A part of the profile's main column: a template and what it needs."""

    template: str
    context: dict[str, Any]


ProfileSectionBuilder = Callable[[ProfileViewing], ProfileSection | None]

_profile_sections: list[ProfileSectionBuilder] = []


def register_profile_section(build: ProfileSectionBuilder) -> None:
    """Add a section to every profile; `build` returns None when it has nothing to show."""
    if build not in _profile_sections:
        _profile_sections.append(build)


def profile_sections(viewing: ProfileViewing) -> list[ProfileSection]:
    """Return the sections the registered apps show on this profile, in registration order."""
    sections = (build(viewing) for build in _profile_sections)
    return [section for section in sections if section is not None]


# What other apps know of a person's part in one space (an ambassador's figures, say),
# shown to the space's organisers above the deeds when they thank or reward the person.
SpacePartBuilder = Callable[[Participant, Space], ProfileSection | None]

_space_parts: list[SpacePartBuilder] = []


def register_space_part(build: SpacePartBuilder) -> None:
    """Add a section to the organisers' page of a person in a space; None when it has nothing."""
    if build not in _space_parts:
        _space_parts.append(build)


def space_parts(person: Participant, space: Space) -> list[ProfileSection]:
    sections = (build(person, space) for build in _space_parts)
    return [section for section in sections if section is not None]
