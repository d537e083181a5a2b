"""The demo data: two spaces that show what Sammen is for, built by calling actions.

A city museum invites storylines for an exhibition (in Dutch), and a festival
co-programmes its next edition with its audience (in English). Every role has an
account with the same password, listed on the sign-in page while they exist.

This module makes the people and the spaces; each activity kind brings its own part
(its `demo.py`, registered with `sammen.demo.parts`), and `load_demo` runs them all.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from sammen.accounts.actions import do_create_account
from sammen.accounts.models import User
from sammen.spaces.actions import (
    do_accept_invite,
    do_change_role,
    do_create_invite,
    do_create_space,
)
from sammen.spaces.models import Membership, Role, Space

from .models import DemoAccount
from .parts import Demo, demo_parts

DEMO_PASSWORD = "sammen-demo"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    # The language their emails come in; no choice in the profile, so whoever tries a
    # demo account goes on reading in their own language.
    language: str
    role_description: str
    listed: bool = True


PEOPLE = [
    Person(
        "owner@demo.example",
        "Eva de Vries",
        "nl",
        gettext_noop("Owner of both spaces: runs activities, manages members, reads the audit log"),
    ),
    Person(
        "moderator@demo.example",
        "Lars Holm",
        "da",
        gettext_noop("Moderator in both spaces: runs activities and invites people"),
    ),
    Person(
        "member@demo.example",
        "Noor Bakker",
        "en",
        gettext_noop("Member of both spaces: takes part"),
    ),
    Person("astrid@demo.example", "Astrid Lind", "sv", "", listed=False),
    Person("joost@demo.example", "Joost Jansen", "nl", "", listed=False),
    Person("mia@demo.example", "Mia Chen", "en", "", listed=False),
    Person("fatima@demo.example", "Fatima El Amrani", "nl", "", listed=False),
    Person("sem@demo.example", "Sem de Groot", "nl", "", listed=False),
    Person("ingrid@demo.example", "Ingrid Dahl", "da", "", listed=False),
    Person("oskar@demo.example", "Oskar Berg", "sv", "", listed=False),
    Person("lena@demo.example", "Lena Vos", "nl", "", listed=False),
    Person("tom@demo.example", "Tom Baker", "en", "", listed=False),
]


def create_people() -> dict[str, User]:
    users = {}
    for position, person in enumerate(PEOPLE):
        user = do_create_account(
            person.email, DEMO_PASSWORD, person.name, reading_language=person.language
        )
        if person.listed:
            DemoAccount.objects.create(
                user=user, role_description=person.role_description, position=position
            )
        users[person.email] = user
    return users


def add_members(space: Space, owner: User, moderator: User, members: list[User]) -> None:
    """Bring people in the way organisers do: with an invitation link."""
    invite = do_create_invite(owner, space, days=30, max_uses=50)
    for user in [moderator, *members]:
        do_accept_invite(user, invite)
    membership = Membership.objects.get(space=space, user=moderator)
    do_change_role(owner, membership, Role.MODERATOR)


@transaction.atomic
def load_demo() -> None:
    """Create the people and the two spaces, then let every kind's demo part fill them."""
    users = create_people()
    owner = users["owner@demo.example"]
    moderator = users["moderator@demo.example"]
    members = [
        user
        for email, user in users.items()
        if email not in {"owner@demo.example", "moderator@demo.example"}
    ]
    museum = do_create_space(
        owner,
        name="Stadsmuseum Zuiderlicht",
        slug="stadsmuseum-zuiderlicht",
        description=(
            "Het museum van en voor de stad. Voor de tentoonstelling ‘De stad van morgen’ "
            "zoeken we verhalen van inwoners: over waar je woont, werkt en droomt."
        ),
        visibility="public",
        default_language="nl",
    )
    add_members(museum, owner, moderator, members)

    festival = do_create_space(
        owner,
        name="Northern Lights Festival",
        slug="northern-lights-festival",
        description=(
            "A three-day music festival by the harbour. This year, our audience helps "
            "programme the small stages."
        ),
        visibility="invite",
        default_language="en",
    )
    add_members(festival, owner, moderator, members[:6])
    demo = Demo(
        users=users,
        owner=owner,
        moderator=moderator,
        spaces={"museum": museum, "festival": festival},
    )
    for _name, build in demo_parts():
        build(demo)
