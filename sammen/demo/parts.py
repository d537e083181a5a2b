"""The demo's parts: each activity kind brings its own, and `load_demo` runs them all.

The demo (sammen/demo/data.py) creates the people and the two spaces; a kind registers,
from its AppConfig.ready(), a function that gets them and builds the kind's activities
in those spaces by calling the kind's actions. Parts run in the order they registered,
which is the order of INSTALLED_APPS, so the demo comes out the same every time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

if TYPE_CHECKING:
    from sammen.accounts.models import User
    from sammen.spaces.models import Space


@dataclass(frozen=True)
class Demo:
    """What a demo part builds on: the demo's people and spaces."""

    # Every demo account by email ("member@demo.example").
    users: dict[str, "User"]
    # Owner of both spaces.
    owner: "User"
    # Moderator in both spaces.
    moderator: "User"
    # "museum" (Dutch, everyone is a member) and "festival" (English, invite-only).
    spaces: dict[str, "Space"]

    def user(self, name: str) -> "User":
        """Return the demo account `name` ("member" for member@demo.example)."""
        return self.users[f"{name}@demo.example"]


DemoPart = Callable[[Demo], object]

_parts: dict[str, DemoPart] = {}


def register_demo_part(name: str, build: DemoPart) -> None:
    """Have `build(demo)` add its part to the demo; registering a name again replaces it."""
    _parts[name] = build


def demo_parts() -> list[tuple[str, DemoPart]]:
    """Return the registered parts in the order they run."""
    return list(_parts.items())


def replay(moment: datetime) -> Any:
    """Let the demo's story happen at `moment`, as if the actions ran on that day."""
    return patch("django.utils.timezone.now", return_value=moment)
