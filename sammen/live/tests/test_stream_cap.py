"""One person holds a few event streams at most: a browser cannot keep hundreds open."""

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.core.signing import get_cookie_signer
from django.test import TransactionTestCase

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import make_space, make_user
from sammen.testing.live import join_anonymously, make_session

from ..hub import MAX_STREAMS_PER_PERSON, get_hub


class StreamCapTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.url = f"/live/{self.session.code}/events/"

    def cookie_for(self, name: str) -> str:
        attendee = join_anonymously(self.session, name)
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        return signer.sign(str(attendee.participant.public_id))

    async def open(self, cookie: str) -> Any:
        self.async_client.cookies[COOKIE_NAME] = cookie
        response: Any = await self.async_client.get(self.url)
        self.assertEqual(response.status_code, 200)
        content = aiter(response.streaming_content)
        await asyncio.wait_for(content.__anext__(), 5)  # the whole state, at once
        return content

    def open_streams(self) -> list[str]:
        """Return the holders of the open streams, one entry per stream."""
        room = get_hub().rooms.get(self.session.pk)
        return sorted(s.holder or "" for s in room.streams if not s.replaced) if room else []

    async def test_a_person_past_the_cap_loses_their_oldest_stream(self):
        """The oldest is told it was replaced, and ends; the others stay open."""
        pia = await sync_to_async(self.cookie_for)("Pia")
        lars = await sync_to_async(self.cookie_for)("Lars")
        others = await self.open(lars)
        streams = [await self.open(pia) for _ in range(MAX_STREAMS_PER_PERSON)]
        self.assertEqual(len(self.open_streams()), MAX_STREAMS_PER_PERSON + 1)
        streams.append(await self.open(pia))
        last = await asyncio.wait_for(streams[0].__anext__(), 5)
        self.assertIn(b"event: replaced", last)
        with self.assertRaises(StopAsyncIteration):
            await asyncio.wait_for(streams[0].__anext__(), 5)
        self.assertEqual(len(self.open_streams()), MAX_STREAMS_PER_PERSON + 1)

        # Many more tries still leave the same few open, and Lars's stream untouched.
        for _ in range(20):
            streams.append(await self.open(pia))
        holders = self.open_streams()
        self.assertEqual(len(holders), MAX_STREAMS_PER_PERSON + 1)
        self.assertEqual(len(set(holders)), 2)
        self.assertIn(MAX_STREAMS_PER_PERSON, [holders.count(h) for h in set(holders)])
        for content in [others, *streams]:
            await content.aclose()
