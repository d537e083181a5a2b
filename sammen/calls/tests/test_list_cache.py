"""The idea list visitors share through the cache, and the random order read from its index."""

import re
from datetime import timedelta
from unittest.mock import patch

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.accounts.models import User
from sammen.activities.permissions import ActivityAccess
from sammen.calls.actions import (
    do_answer_idea,
    do_edit_idea,
    do_hide_idea,
    do_restore_idea,
    do_support_idea,
    do_unsupport_idea,
    do_withdraw_idea,
)
from sammen.calls.caching import IDEAS, LIST, versions
from sammen.calls.models import SHUFFLE_MODULUS, SHUFFLE_MULTIPLIER, Call, Idea, IdeaStatus
from sammen.calls.permissions import CallAccess
from sammen.calls.queries import ideas_for
from sammen.comments.actions import do_add_comment
from sammen.spaces.permissions import SpaceAccess
from sammen.testing import BaseTestCase, make_member, make_user, participant_of
from sammen.testing.calls import make_call, make_idea


class SharedListTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        activity = self.call.activity
        self.url = reverse("calls:ideas", args=[activity.space.slug, activity.slug])

    def visit(self, url: str = "") -> str:
        response = self.client.get(url or self.url, {"sort": "newest"})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def queries(self, url: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            self.visit(url)
        return len(captured.captured_queries)

    def test_a_visitor_gets_the_list_from_the_cache_without_reading_the_ideas(self):
        first, second = self.queries(), self.queries()
        self.assertLess(second, first)
        self.assertIn("A lighthouse museum", self.visit())

    def test_a_support_shows_at_once_in_the_shared_list(self):
        self.assertIn("0 supports", self.visit())
        do_support_idea(participant_of(self.maja), self.idea)
        self.assertIn("1 support<", self.visit())
        do_unsupport_idea(participant_of(self.maja), self.idea)
        self.assertIn("0 supports", self.visit())

    def test_a_comment_shows_at_once_in_the_shared_list(self):
        self.assertIn("0 comments", self.visit())
        do_add_comment(participant_of(self.maja), self.idea.thread, "Yes!")
        self.assertIn("1 comment<", self.visit())

    def test_an_answer_an_edit_and_a_new_idea_show_at_once(self):
        self.visit()
        do_edit_idea(participant_of(self.bob), self.idea, title="A lighthouse café", body="Tea.")
        self.assertNotIn("A lighthouse museum", self.visit())
        do_answer_idea(self.alice, self.idea, status="selected", text="We build it.")
        self.assertIn("badge--idea-selected", self.visit())
        make_idea(self.call, self.maja, "Harbour choir")
        page = self.visit()
        self.assertIn("Harbour choir", page)
        self.assertIn("2 ideas", page)

    def test_hidden_ideas_leave_the_shared_list_and_its_count_at_once(self):
        make_idea(self.call, self.maja, "Harbour choir")
        self.assertIn("2 ideas", self.visit())
        do_hide_idea(self.alice, self.idea, "Off topic")
        page = self.visit()
        self.assertNotIn("A lighthouse museum", page)
        self.assertIn("1 idea", page)
        do_restore_idea(self.alice, self.idea)
        self.assertIn("A lighthouse museum", self.visit())

    def test_a_withdrawn_idea_leaves_the_shared_list(self):
        self.visit()
        do_withdraw_idea(participant_of(self.bob), self.idea)
        self.assertNotIn("A lighthouse museum", self.visit())

    def test_nobody_sees_another_persons_support_from_the_cache(self):
        do_support_idea(participant_of(self.bob), make_idea(self.call, self.maja, "Choir"))
        self.login(self.bob)
        self.assertIn("You support this", self.visit())
        for viewer in [None, self.charlie, self.alice]:
            self.login(viewer)
            self.assertNotIn("You support this", self.visit())
        self.login(self.bob)
        self.assertIn("You support this", self.visit())

    def htmx_list(self, viewer: User | None) -> str:
        self.login(viewer)
        response = self.client.get(self.url, {"sort": "newest"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_members_share_a_list_each_with_their_own_supports_marked(self):
        choir = make_idea(self.call, self.maja, "Harbour choir")
        make_idea(self.call, self.maja, "Harbour market")
        do_support_idea(participant_of(self.bob), choir)
        dina = make_user("Dina")
        make_member(self.museum, dina)
        self.assertNotIn("You support this", self.htmx_list(dina))  # fills the cache
        with CaptureQueriesContext(connection) as captured:
            shared = self.htmx_list(self.bob)
        self.assertFalse([q for q in captured.captured_queries if "calls_idea" in q["sql"]])
        with patch("sammen.calls.views.ideas.shared_list_key", return_value=None):
            alone = self.htmx_list(self.bob)
        self.assertEqual(shared, alone)
        self.assertEqual(shared.count("You support this"), 1)
        self.assertEqual(shared.count("idea-card--supported"), 1)
        self.assertNotIn("You support this", self.htmx_list(dina))

    def test_a_support_shows_at_once_on_a_members_shared_list(self):
        self.assertNotIn("You support this", self.htmx_list(self.bob))
        choir = make_idea(self.call, self.maja, "Harbour choir")
        do_support_idea(participant_of(self.bob), choir)
        self.assertEqual(self.htmx_list(self.bob).count("You support this"), 1)
        do_unsupport_idea(participant_of(self.bob), choir)
        self.assertNotIn("You support this", self.htmx_list(self.bob))

    def test_who_may_share_an_idea_and_who_may_not_get_their_own_lists(self):
        do_withdraw_idea(participant_of(self.bob), self.idea)
        stranger = make_user("Stranger")
        self.assertIn("Yours could be the first", self.htmx_list(self.bob))
        page = self.htmx_list(stranger)
        self.assertIn("No ideas yet.", page)
        self.assertNotIn("Yours could be the first", page)

    def test_an_organisers_list_is_their_own(self):
        Idea.objects.filter(pk=self.idea.pk).update(status=IdeaStatus.ARCHIVED)  # unlisted
        self.assertNotIn("A lighthouse museum", self.htmx_list(self.bob))
        self.assertIn("A lighthouse museum", self.htmx_list(self.maja))
        self.assertNotIn("A lighthouse museum", self.htmx_list(self.bob))

    def test_each_language_has_its_own_shared_list(self):
        self.assertIn("Newest", self.visit())
        self.client.cookies["sammen_language"] = "nl"
        self.assertNotIn(">Newest<", self.visit())

    def test_the_activity_page_shows_the_shared_list_too(self):
        self.visit()
        do_support_idea(participant_of(self.maja), self.idea)
        page = self.client.get(self.call.activity.get_absolute_url()).content.decode()
        self.assertIn("1 support<", page)

    def test_searches_and_deep_pages_are_not_kept(self):
        self.visit()
        before = versions(self.call.pk)
        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.url, {"q": "lighthouse"})
            self.client.get(self.url, {"q": "lighthouse"})
        idea_reads = [q for q in captured.captured_queries if "calls_idea" in q["sql"]]
        self.assertGreaterEqual(len(idea_reads), 2)
        self.assertEqual(versions(self.call.pk), before)

    def test_supports_bump_the_list_version_and_new_ideas_the_ideas_version_too(self):
        before = versions(self.call.pk)
        do_support_idea(participant_of(self.maja), self.idea)
        after_support = versions(self.call.pk)
        self.assertGreater(after_support[LIST], before[LIST])
        self.assertEqual(after_support[IDEAS], before[IDEAS])
        with self.captureOnCommitCallbacks(execute=True):
            make_idea(self.call, self.maja, "Harbour choir")
        after_idea = versions(self.call.pk)
        self.assertGreater(after_idea[IDEAS], after_support[IDEAS])
        self.assertGreater(after_idea[LIST], after_support[LIST])


def many_ideas(call: Call, authors: list[User], count: int) -> None:
    """Submit `count` ideas, dated back a little so no author meets the daily limit."""
    for number in range(count):
        idea = make_idea(call, authors[number % len(authors)], f"Idea {number}")
        Idea.objects.filter(pk=idea.pk).update(created_at=F("created_at") - timedelta(days=2))


class RandomOrderTests(BaseTestCase):
    def test_a_page_in_random_order_follows_the_visitors_seed_across_pages(self):
        call = make_call(self.museum, self.alice)
        many_ideas(call, [self.bob, self.maja], 45)
        access = CallAccess(
            call=call,
            activity_access=ActivityAccess(call.activity, SpaceAccess(self.museum, None)),
            participant=None,
            is_blocked=False,
            is_evaluator=False,
        )
        ids = list(Idea.objects.filter(call=call).values_list("pk", flat=True))
        for seed in [1, 7, 1_000_000_007, SHUFFLE_MODULUS - 2]:
            turned = {pk: (pk * SHUFFLE_MULTIPLIER + seed) % SHUFFLE_MODULUS for pk in ids}
            expected = sorted(ids, key=turned.__getitem__)
            shown = []
            for number in [1, 2, 3]:
                page = ideas_for(access, sort="random", seed=seed, page_number=number)
                shown += [idea.pk for idea in page.object_list]
            self.assertEqual(shown, expected)


class RandomOrderQueryTests(BaseTestCase):
    def test_the_random_list_costs_the_same_queries_however_many_ideas(self):
        call = make_call(self.museum, self.alice)
        make_idea(call, self.bob)
        self.login(self.bob)
        activity = call.activity
        url = reverse("calls:ideas", args=[activity.space.slug, activity.slug])

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url, {"sort": "random"}).status_code, 200)
            return len(captured.captured_queries)

        few = count()
        many_ideas(call, [self.maja], 25)
        self.assertEqual(count(), few)
        page = self.client.get(url, {"sort": "random"}).content.decode()
        self.assertEqual(len(re.findall(r'class="card idea-card', page)), 20)


class SearchTests(BaseTestCase):
    def access(self, call: Call) -> CallAccess:
        return CallAccess(
            call=call,
            activity_access=ActivityAccess(call.activity, SpaceAccess(self.museum, None)),
            participant=None,
            is_blocked=False,
            is_evaluator=False,
        )

    def test_a_search_in_random_order_follows_the_visitors_seed_across_pages(self):
        call = make_call(self.museum, self.alice)
        many_ideas(call, [self.bob, self.maja], 30)
        for idea in Idea.objects.filter(call=call)[:25]:
            do_edit_idea(idea.author, idea, title=f"Quay {idea.pk}", body="Along the quay.")
        quay = Idea.objects.filter(call=call, title__startswith="Quay")
        ids = list(quay.values_list("pk", flat=True))
        seed = 123_456
        turned = {pk: (pk * SHUFFLE_MULTIPLIER + seed) % SHUFFLE_MODULUS for pk in ids}
        shown = []
        for number in [1, 2]:
            page = ideas_for(self.access(call), query="quay", seed=seed, page_number=number)
            self.assertEqual(page.paginator.count, 25)
            shown += [idea.pk for idea in page.object_list]
        self.assertEqual(shown, sorted(ids, key=turned.__getitem__))

    def test_a_kept_search_finds_an_idea_that_arrives_after_it(self):
        call = make_call(self.museum, self.alice)
        make_idea(call, self.bob, "Quay lights")
        self.assertEqual(ideas_for(self.access(call), query="quay").paginator.count, 1)
        make_idea(call, self.maja, "Quay choir")
        page = ideas_for(self.access(call), query="quay")
        self.assertEqual(page.paginator.count, 2)
        self.assertEqual({idea.title for idea in page.object_list}, {"Quay lights", "Quay choir"})
