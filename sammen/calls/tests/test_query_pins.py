"""What the open call's busiest requests cost the database: pinned (issue 13), so a change
that adds a query to a list or a support is seen. The counts do not grow with the ideas
(test_list_cache.py and test_idea_cards.py say so for the lists)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.calls.models import Support
from sammen.testing import BaseTestCase, one_rate_window
from sammen.testing.calls import make_call, make_idea

HTMX = {"HX-Request": "true"}
# The space, the activity with its call, the list's versions; no idea is read.
LIST_FROM_CACHE = 3
# Shared by the members in this one's place, with their own supports marked: the session
# and user, the space and the membership, the activity and the call, the participant,
# this person's supports among the page's ideas, the header's unread notifications.
LIST_MEMBER_FROM_CACHE = 9
# An organiser's own (archived ideas too): as above, then the page of ideas (and their
# number), their images, the call's momentum stages and the header's open reports.
LIST_ORGANISER = 13
# The session and user, the space and the membership, the activity and the call, the
# participant, the idea, then in one transaction (two savepoint statements here) the
# support, its recognition points and the idea's count and trending score.
SUPPORT = 13


class OpenCallQueryTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.ideas = [make_idea(self.call, self.bob, title=f"Idea {n}") for n in range(3)]
        activity = self.call.activity
        self.list_url = reverse("calls:ideas", args=[activity.space.slug, activity.slug])
        self.slugs = (activity.space.slug, activity.slug)

    def count(self, send: object) -> int:
        with one_rate_window(), CaptureQueriesContext(connection) as captured:
            response = send()  # type: ignore[operator]
        self.assertIn(response.status_code, {200, 302}, response.content[:300])
        return len(captured.captured_queries)

    def list_queries(self) -> int:
        return self.count(lambda: self.client.get(self.list_url, {"sort": "newest"}))

    def test_a_visitors_list_from_the_shared_cache(self):
        self.list_queries()  # fills the cache
        self.assertEqual(self.list_queries(), LIST_FROM_CACHE)

    def test_a_members_list_from_the_cache_members_share(self):
        self.login(self.bob)
        self.list_queries()  # fills the cache
        self.assertEqual(self.list_queries(), LIST_MEMBER_FROM_CACHE)

    def test_an_organisers_list(self):
        self.login(self.maja)
        self.list_queries()
        self.assertEqual(self.list_queries(), LIST_ORGANISER)

    def test_a_support(self):
        self.login(self.maja)
        idea = self.ideas[0]
        url = reverse("calls:support", args=[*self.slugs, idea.pk])
        queries = self.count(lambda: self.client.post(url, {"support": "1"}, headers=HTMX))
        self.assertTrue(Support.objects.filter(idea=idea).exists())
        self.assertEqual(queries, SUPPORT)
