"""The test base: personas for every role, built by calling the same actions users trigger.

Alice owns the Harbour Museum, Maja moderates it, Bob is a member, Charlie has an
account but no role there, and anonymous visitors have no account. Alice also owns
a private space, the Quiet Room, that only she belongs to.

This package's own module holds what every app's tests share and knows no kind; each
kind's helpers are in a module of their own (`sammen.testing.calls`,
`sammen.testing.conversations`, `sammen.testing.live`), which only that kind's tests
and the tests in the top-level `tests/` folder import (the contracts in pyproject.toml).
"""

import io
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.test import TestCase
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sammen.accounts.actions import do_create_account
from sammen.accounts.models import Participant, User
from sammen.activities.actions import (
    MeasureInput,
    do_create_activity,
    do_open_activity,
    do_update_brief,
)
from sammen.activities.models import Activity
from sammen.api.actions import do_create_token
from sammen.api.models import ApiToken
from sammen.spaces.actions import do_change_role, do_create_space, do_join_space
from sammen.spaces.models import Membership, Role, Space

PASSWORD = "correct horse battery staple"

COMPLETE_BRIEF = {
    "goal": "An exhibition visitors recognise as partly theirs.",
    "business_challenge": "Young adults rarely visit.",
    "audience": "People aged 18 to 30 in the city.",
    "audience_insight": "Their story on display, with their name.",
    "audience_challenge": "Museums feel like places not made for them.",
    "channels": "An open call online and posters at the station.",
    "channels_reason": "They meet us online first.",
}
MEASURES = [MeasureInput("Storylines submitted", Decimal(150), "stories")]


def make_user(name: str, **kwargs: Any) -> User:
    return do_create_account(f"{name.lower()}@example.org", PASSWORD, name, **kwargs)


def make_space(owner: User, name: str, **kwargs: Any) -> Space:
    kwargs.setdefault("slug", name.lower().replace(" ", "-"))
    return do_create_space(owner, name=name, **kwargs)


def make_member(space: Space, user: User, role: str = Role.MEMBER) -> Membership:
    owner = Membership.objects.filter(space=space, role=Role.OWNER).first()
    assert owner is not None
    space.visibility, previous = "public", space.visibility
    membership = do_join_space(user, space)
    space.visibility = previous
    if role != Role.MEMBER:
        do_change_role(owner.user, membership, role)
        membership.refresh_from_db()
    return membership


def participant_of(user: User) -> Participant:
    """Return the participant behind a person's account."""
    return Participant.objects.get(user=user)


def moderation_url(name: str, space_slug: str, *args: int) -> str:
    """Return the address of a moderation view of a space (`moderation:<name>`)."""
    return reverse(f"moderation:{name}", args=[space_slug, *args])


def make_activity(
    space: Space,
    by: User,
    title: str = "Storylines",
    *,
    complete: bool = True,
    kind: str = "sample",
    open_it: bool = False,
) -> Activity:
    activity = do_create_activity(by, space, title=title, kind=kind)
    if complete:
        do_update_brief(by, activity, texts=COMPLETE_BRIEF, measures=MEASURES, self_check={})
    if open_it:
        do_open_activity(by, activity)
    activity.refresh_from_db()
    return activity


class BaseTestCase(TestCase):
    alice: User
    maja: User
    bob: User
    charlie: User
    museum: Space
    quiet_room: Space

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = make_user("Alice")
        cls.maja = make_user("Maja")
        cls.bob = make_user("Bob")
        cls.charlie = make_user("Charlie")
        cls.museum = make_space(cls.alice, "Harbour Museum", description="Stories of the harbour.")
        make_member(cls.museum, cls.maja, Role.MODERATOR)
        make_member(cls.museum, cls.bob)
        cls.quiet_room = make_space(cls.alice, "Quiet Room", visibility="private")

    def login(self, user: User | None) -> None:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)


def image_upload(
    name: str = "photo.jpg",
    image_format: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    with_location: bool = False,
) -> SimpleUploadedFile:
    """Return an uploaded image made on the spot, optionally with GPS metadata."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (29, 107, 88))
    exif = Image.Exif()
    if with_location:
        exif[0x010F] = "Camera maker"  # Make
        exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}  # GPSInfo
    image.save(buffer, image_format, exif=exif.tobytes() if with_location else b"")
    content_types = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=content_types.get(image_format, "image/webp")
    )


def in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(n)` in `count` threads released at the same moment; return their results.

    Each thread has its own database connection, as requests in several processes do.
    """
    start = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            results[number] = work(number)
        except BaseException as error:  # raised again below, in the test's own thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


@contextmanager
def cache_without_redis() -> Iterator[None]:
    """Use the cache an instance without Redis has (settings.py): files in a folder."""
    folder = tempfile.mkdtemp()
    try:
        backend = "sammen.core.cache.FileBasedCache"  # as settings.py has it
        with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": folder}}):
            yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def one_rate_window(at: float = 7200.0) -> Iterator[None]:
    """Hold the rate limits' clock still, so every attempt inside falls in one window
    however slowly the machine runs (a 10-second window is soon crossed on a busy one)."""
    with mock.patch("sammen.core.ratelimit.time", SimpleNamespace(time=lambda: at)):
        yield


def fresh_window(seconds: int, needed: float = 20) -> None:
    """Wait, if need be, until a rate-limit window of `seconds` has `needed` seconds left,
    so parallel attempts of a test all fall in one window."""
    left = seconds - time.time() % seconds
    if left < needed:
        time.sleep(left + 0.1)


def make_api_token(
    user: User, spaces: list[Space], *, write: bool = False, days: int = 30
) -> tuple[ApiToken, str]:
    """Create a personal access token as the token page does; return it and its secret."""
    return do_create_token(
        user,
        name="Test token",
        spaces=spaces,
        can_write=write,
        expires_at=timezone.now() + timedelta(days=days),
    )
