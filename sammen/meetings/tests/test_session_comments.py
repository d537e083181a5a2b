"""What attendees wrote with their session ratings: the planners read it on the return
page and on each session's own page, without names, escaped, the newest first; nobody
else does, and the exports count the comments without carrying them."""

import json
from datetime import timedelta
from unittest.mock import patch

from django.urls import reverse

from sammen.meetings.actions import do_rate_session
from sammen.meetings.attendees import ticket_token
from sammen.meetings.models import Meeting, Session
from sammen.testing import BaseTestCase
from sammen.testing.meetings import make_meeting

from .return_world import HandMeeting, hand_meeting, on

SCRIPT = "<script>alert('hi')</script> Too loud"


def url(meeting: Meeting, name: str, *args: object) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


class SessionCommentsTestCase(BaseTestCase):
    world: HandMeeting
    meeting: Meeting
    panel: Session

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = hand_meeting(cls.museum, cls.alice, cls.bob, cls.charlie)
        cls.meeting = cls.world.meeting
        cls.panel = cls.world.sessions[1]
        assert cls.meeting.starts_at is not None
        with on(cls.meeting.starts_at + timedelta(hours=3)):
            # Five more ratings of the panel, each with a comment, one after the other.
            for number, registration in enumerate(cls.world.registrations[3:8]):
                do_rate_session(registration, cls.panel, score=3, comment=f"Panel note {number}")
            workshop = cls.world.sessions[0]
            do_rate_session(cls.world.registrations[8], workshop, score=5, comment=SCRIPT)

    def setUp(self):
        self.login(self.alice)

    def comments_url(self, session: Session | None = None) -> str:
        return url(self.meeting, "session_comments", (session or self.panel).pk)


class PersonaTests(SessionCommentsTestCase):
    def test_the_owner_and_moderators_read_the_comments(self):
        for user in (self.alice, self.maja):
            self.login(user)
            for page in (url(self.meeting, "return"), self.comments_url()):
                with self.subTest(user=str(user), page=page):
                    self.assertContains(self.client.get(page), "Panel note 4")

    def test_attendees_members_and_people_without_a_role_are_refused(self):
        # Bob and Charlie both attended (and rated); Bob is a member of the space.
        for user in (self.bob, self.charlie):
            self.login(user)
            for page in (url(self.meeting, "return"), self.comments_url()):
                with self.subTest(user=str(user), page=page):
                    self.assertEqual(self.client.get(page).status_code, 403)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        self.login(None)
        response = self.client.get(self.comments_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_an_attendees_own_page_shows_nobody_elses_comment(self):
        self.login(None)
        bobs = self.world.registrations[0]
        page = self.client.get(url(self.meeting, "answers", ticket_token(bobs)))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Panel note")
        self.assertNotContains(page, "Too loud")

    def test_a_session_of_another_meeting_or_none_is_not_found(self):
        other = make_meeting(self.museum, self.alice, "Another day").sessions.get()
        for session_id in (other.pk, 99999):
            with self.subTest(session=session_id):
                response = self.client.get(url(self.meeting, "session_comments", session_id))
                self.assertEqual(response.status_code, 404)

    def test_the_page_refuses_a_post(self):
        self.assertEqual(self.client.post(self.comments_url()).status_code, 405)


class ReturnPageTests(SessionCommentsTestCase):
    def test_the_return_shows_the_newest_comments_of_each_session_with_their_count(self):
        response = self.client.get(url(self.meeting, "return"))
        self.assertContains(response, "What attendees wrote about the sessions")
        self.assertContains(response, "5 comments")
        text = response.content.decode()
        shown = [text.index(f"Panel note {number}") for number in (4, 3, 2)]
        self.assertEqual(shown, sorted(shown), "the newest first")
        for older in ("Panel note 1", "Panel note 0"):
            self.assertNotContains(response, older)
        self.assertContains(response, f'href="{self.comments_url()}"')
        self.assertContains(response, "All 5 comments")
        # One comment on the first session: all of it is shown, with no link to more.
        self.assertContains(response, "1 comment")
        self.assertNotContains(response, f'href="{self.comments_url(self.world.sessions[0])}"')

    def test_comments_are_escaped_and_never_named(self):
        response = self.client.get(url(self.meeting, "return"))
        self.assertNotContains(response, SCRIPT)
        self.assertContains(response, "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; Too loud")
        for name in ("Guest4", "Guest8", "Guest9", "@example.org"):
            self.assertNotContains(response, name)

    def test_the_page_takes_a_fixed_number_of_queries(self):
        self.client.get(url(self.meeting, "return"))
        with self.assertNumQueries(26):
            self.client.get(url(self.meeting, "return"))


class SessionCommentsPageTests(SessionCommentsTestCase):
    def test_it_lists_every_comment_the_newest_first_without_names(self):
        response = self.client.get(self.comments_url())
        self.assertContains(response, "What attendees wrote about “The partners&#x27; panel”")
        self.assertContains(response, "5 comments, the newest first.")
        text = response.content.decode()
        shown = [text.index(f"Panel note {number}") for number in (4, 3, 2, 1, 0)]
        self.assertEqual(shown, sorted(shown))
        self.assertContains(response, "rated 3 of 5")
        for name in ("Guest4", "Guest8", "@example.org"):
            self.assertNotContains(response, name)
        # The ratings without a comment are not listed.
        self.assertNotContains(response, "rated 2 of 5")

    def test_it_is_paginated(self):
        with patch("sammen.meetings.views.return_report.COMMENTS_PER_PAGE", 2):
            first = self.client.get(self.comments_url())
            last = self.client.get(self.comments_url(), {"page": "3"})
            odd = self.client.get(self.comments_url(), {"page": "x"})
        self.assertContains(first, "Panel note 4")
        self.assertNotContains(first, "Panel note 2")
        self.assertContains(first, "Page 1 of 3")
        self.assertContains(last, "Panel note 0")
        self.assertNotContains(last, "Panel note 1")
        self.assertContains(odd, "Page 1 of 3")

    def test_it_escapes_what_was_written(self):
        response = self.client.get(self.comments_url(self.world.sessions[0]))
        self.assertNotContains(response, SCRIPT)
        self.assertContains(response, "&lt;script&gt;")

    def test_a_session_without_comments_says_so(self):
        fresh = make_meeting(self.museum, self.alice, "Small talk")
        response = self.client.get(url(fresh, "session_comments", fresh.sessions.get().pk))
        self.assertContains(response, "No comments on this session yet.")


class ExportTests(SessionCommentsTestCase):
    def test_the_exports_count_the_comments_but_do_not_carry_them(self):
        csv = self.client.get(url(self.meeting, "return_csv")).content.decode("utf-8-sig")
        self.assertIn("1,reaction,The partners' panel,comments,,5,,,,,,,", csv.splitlines())
        data = json.loads(self.client.get(url(self.meeting, "return_json")).content)
        self.assertEqual([session["comments"] for session in data["sessions"]], [1, 5])
        for export in (csv, json.dumps(data)):
            self.assertNotIn("Panel note", export)
            self.assertNotIn("Too loud", export)
