"""Limits on live sessions: a room behind one address works, a script and a code guesser do not."""

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.signing import get_cookie_signer
from django.test import TransactionTestCase, override_settings

from sammen.accounts.models import Participant
from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import BaseTestCase, make_space, make_user
from sammen.testing.live import join_anonymously, make_poll, make_session

from ..actions import do_open_poll
from ..asgi import with_live_streams
from ..models import Attendee, Response

TOO_MANY_CODES = "Too many wrong codes came from your network"
NO_SUCH_CODE = "No session has this code"


class RoomBehindOneAddressTests(BaseTestCase):
    """A venue's wifi puts the whole room behind one address: the room still works."""

    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, self.poll)
        self.room = f"/live/{self.session.code}/"

    def phone_joins(self) -> None:
        self.client.cookies.clear()
        self.client.post(f"{self.room}join/", {"name": ""})

    def test_the_defaults_hold_a_room_of_three_thousand_answering_twice_in_a_minute(self):
        """docs/deploy.md sizes them: 3,000 phones join within the hour (in one minute, if
        they like), and each answers and changes their answer within one minute."""
        self.assertGreaterEqual(settings.SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR, 3000)
        self.assertGreaterEqual(settings.SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE, 2 * 3000)

    def test_many_attendees_from_one_address_all_join_and_answer(self):
        option = self.poll.options.get(position=0).pk
        for _phone in range(100):
            self.phone_joins()
            self.client.post(f"{self.room}polls/{self.poll.pk}/answer/", {"option": option})
            self.client.post(f"{self.room}polls/{self.poll.pk}/answer/", {"option": option + 1})
        self.assertEqual(Attendee.objects.filter(session=self.session).count(), 100)
        self.assertEqual(Response.objects.filter(poll=self.poll).count(), 100)

    @override_settings(SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR=2)
    def test_joins_past_the_address_ceiling_are_refused_in_the_visitors_language(self):
        self.phone_joins()
        self.phone_joins()
        self.client.cookies.clear()
        response = self.client.post(
            f"{self.room}join/", {"name": ""}, headers={"accept-language": "nl"}, follow=True
        )
        self.assertContains(response, "Zo veel mensen deden mee via jouw netwerk")
        self.assertEqual(Attendee.objects.count(), 2)
        self.assertEqual(Participant.objects.filter(user__isnull=True).count(), 2)
        other = self.client.post(f"{self.room}join/", {"name": ""}, REMOTE_ADDR="10.1.2.3")
        self.assertNotIn("Zo veel", other.content.decode())
        self.assertEqual(Attendee.objects.count(), 3)

    @override_settings(SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE=3)
    def test_writes_past_the_address_ceiling_are_refused_and_change_nothing(self):
        option = self.poll.options.get(position=0).pk
        busy = "So many people on your network are taking part"
        accepted = 0
        while True:  # 3 a minute; 6 if the turn of a minute comes between
            self.phone_joins()
            response = self.client.post(
                f"{self.room}polls/{self.poll.pk}/answer/",
                {"option": option},
                headers={"HX-Request": "true"},
            )
            if busy in response.content.decode():
                break
            accepted += 1
            self.assertLessEqual(accepted, 6)
        self.assertGreaterEqual(accepted, 3)
        self.assertEqual(Response.objects.count(), accepted)
        response = self.client.post(
            f"{self.room}questions/", {"text": "Can I ask?"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, busy)
        self.assertFalse(self.session.questions.exists())

    def test_one_attendee_cannot_vote_more_than_their_own_limit(self):
        self.phone_joins()
        options = list(self.poll.options.values_list("pk", flat=True))
        accepted = None
        for number in range(41):  # 20 a minute; 40 if the turn of a minute comes between
            option = options[number % 2]
            response = self.client.post(
                f"{self.room}polls/{self.poll.pk}/answer/", {"option": option}, follow=True
            )
            if "You changed your answer many times" in response.content.decode():
                break
            accepted = option
        else:
            self.fail("no answer was refused")
        self.assertGreaterEqual(number, 20)
        self.assertEqual(Response.objects.get().choices.get().option_id, accepted)


class CodeGuessingTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)

    def guess(self, number: int, **extra: Any) -> Any:
        code = f"{number:06d}".translate(str.maketrans("0123456789", "ACEFHJKMNP"))
        if code == self.session.code:
            code = "WWWWWW"
        return self.client.get(f"/live/{code}/", **extra)

    def guess_until_refused(self) -> None:
        for number in range(250):  # 100 a minute; 200 if the turn of a minute comes between
            if self.guess(number).status_code == 429:
                return
        self.fail("no guess was refused")

    def test_an_address_that_guesses_codes_is_stopped_and_learns_nothing_more(self):
        statuses = [self.guess(number).status_code for number in range(300)]
        # The join form saying "no session has this code" (404), until the limit: 100 a
        # minute, so 200 at most when the guesses straddle the turn of a minute.
        first_refusal = statuses.index(429)
        self.assertGreaterEqual(first_refusal, 100)
        self.assertLessEqual(first_refusal, 200)
        self.assertEqual(set(statuses[:first_refusal]), {404})
        self.assertEqual(set(statuses[first_refusal:]), {429})
        # A right code now gets the same answer as a wrong one, on every way in.
        for url in [f"/live/{self.session.code}/", f"/j/{self.session.code}"]:
            response = self.client.get(url)
            self.assertContains(response, TOO_MANY_CODES, status_code=429)
            self.assertContains(response, f'value="{self.session.code}"', status_code=429)
        response = self.client.get("/join/", {"code": self.session.code})
        self.assertContains(response, TOO_MANY_CODES, status_code=429)
        response = self.client.post(f"/live/{self.session.code}/join/", {"name": ""})
        self.assertContains(response, TOO_MANY_CODES, status_code=429)
        self.assertFalse(Attendee.objects.exists())

    def test_the_refusal_is_in_the_visitors_language(self):
        self.guess_until_refused()
        response = self.guess(200, headers={"accept-language": "sv"})
        self.assertContains(response, "För många felaktiga koder", status_code=429)

    def test_people_already_in_the_room_and_other_addresses_carry_on(self):
        self.client.post(f"/live/{self.session.code}/join/", {"name": "Pia"})
        self.guess_until_refused()
        self.assertContains(self.client.get(f"/live/{self.session.code}/"), "Pia")
        self.client.cookies.clear()
        elsewhere = self.client.get(f"/live/{self.session.code}/", REMOTE_ADDR="10.9.8.7")
        self.assertEqual(elsewhere.status_code, 200)
        self.assertEqual(self.guess(400, REMOTE_ADDR="10.9.8.7").status_code, 404)


class LeanPathLimitTests(TransactionTestCase):
    """Participants' htmx writes and streams skip the middleware, not the limits."""

    def setUp(self) -> None:
        cache.clear()
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.poll = make_poll(self.session, owner)
        do_open_poll(owner, self.poll)
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.cookies = []
        for name in ["Pia", "Ole"]:
            attendee = join_anonymously(self.session, name)
            self.cookies.append(f"{COOKIE_NAME}={signer.sign(str(attendee.participant.public_id))}")

    async def request(
        self, method: str, path: str, body: bytes = b"", cookie: str = ""
    ) -> tuple[int, bytes]:
        messages: list[dict[str, Any]] = []
        received: list[int] = []

        async def receive() -> dict[str, Any]:
            if not received:
                received.append(1)
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(10)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        async def not_for_these(scope: Any, receive: Any, send: Any) -> None:
            raise AssertionError("these requests must take the lean path")

        token = "a" * 32
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"hx-request", b"true"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"cookie", f"{cookie}; csrftoken={token}".encode()),
                (b"x-csrftoken", token.encode()),
            ],
            "client": ("192.0.2.10", 5000),
            "server": ("testserver", 80),
        }
        await asyncio.wait_for(with_live_streams(not_for_these)(scope, receive, send), 10)
        body_out = b"".join(
            m.get("body", b"") for m in messages if m["type"] == "http.response.body"
        )
        return messages[0]["status"], body_out

    @override_settings(SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE=1)
    async def test_the_address_ceiling_holds_on_the_lean_path(self):
        option = await sync_to_async(lambda: self.poll.options.get(position=0).pk)()
        path = f"/live/{self.session.code}/polls/{self.poll.pk}/answer/"
        status, _body = await self.request(
            "POST", path, f"option={option}".encode(), self.cookies[0]
        )
        self.assertEqual(status, 200)
        status, body = await self.request(
            "POST", path, f"option={option}".encode(), self.cookies[1]
        )
        self.assertIn(b"So many people on your network", body)
        self.assertEqual(await sync_to_async(self.poll.responses.count)(), 1)

    async def test_wrong_codes_on_the_lean_path_count_too(self):
        statuses: list[int] = []
        while 429 not in statuses and 403 not in statuses and len(statuses) < 250:
            path = f"/live/WWW{len(statuses):03d}/react/"
            statuses.append((await self.request("POST", path, b"kind=heart"))[0])
        self.assertGreaterEqual(len(statuses), 101)
        self.assertEqual(set(statuses[:-1]), {404})
        self.assertEqual(statuses[-1], 403)
        # A stranger from that address cannot tell a real code from a wrong one now.
        status, _body = await self.request(
            "POST", f"/live/{self.session.code}/react/", b"kind=heart"
        )
        self.assertEqual(status, 403)
        # People in the room carry on.
        status, _body = await self.request(
            "POST", f"/live/{self.session.code}/react/", b"kind=heart", self.cookies[0]
        )
        self.assertEqual(status, 204)
