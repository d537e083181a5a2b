"""Places where other apps plug into an account's life.

Each app registers its functions in its AppConfig.ready(); the lists are filled
once at start-up and only read afterwards.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Participant, User

# Each returns the part of "Download my data" that its app holds: {section: data}.
personal_data_sections: list[Callable[["User"], dict[str, Any]]] = []

# Each returns translated reasons why the account cannot be deleted yet.
deletion_blockers: list[Callable[["User"], list[str]]] = []

# Each moves its contributions from the first participant to the second.
participant_mergers: list[Callable[["Participant", "Participant"], None]] = []

# Each removes what its app copied of a person who deletes their account (a name
# shown in a session, say), keeping the contributions; called with their participant.
participant_erasers: list[Callable[["Participant"], None]] = []
