"""The co-author picker finds members by name; it never lists everyone or shows an email."""

from typing import Any

from django.urls import reverse

from sammen.activities.actions import do_close_activity
from sammen.calls.models import CoAuthor, Idea
from sammen.testing import BaseTestCase, make_member, make_user, participant_of
from sammen.testing.calls import make_call

HTMX = {"HX-Request": "true"}


class CoAuthorPickerTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.args = [self.museum.slug, self.call.activity.slug]
        self.submit_url = reverse("calls:submit", args=self.args)
        self.find_url = reverse("calls:find_co_authors", args=self.args)
        self.maja_id = participant_of(self.maja).pk

    def find(self, query: str, **more: Any):
        return self.client.get(self.find_url, {"co_author_query": query, **more}, headers=HTMX)

    def test_the_new_idea_page_does_not_list_every_member(self):
        self.login(self.bob)
        response = self.client.get(self.submit_url)
        self.assertContains(response, 'name="co_author_query"')
        self.assertNotContains(response, 'name="co_authors"')
        self.assertNotContains(response, "Maja")
        self.assertNotContains(response, "Alice")

    def test_part_of_a_name_finds_the_members_who_have_it(self):
        self.login(self.bob)
        response = self.find("aj")
        self.assertContains(response, f'value="{self.maja_id}"')
        self.assertContains(response, "Maja")
        self.assertNotContains(response, "Alice")
        self.assertContains(self.find("ALI"), "Alice")

    def test_it_finds_neither_the_author_nor_people_outside_the_space(self):
        self.login(self.bob)
        self.assertContains(self.find("Bob"), "No other member of this space has")
        self.assertContains(self.find("Charlie"), "No other member of this space has")

    def test_an_email_address_finds_nobody_and_none_is_shown(self):
        self.login(self.bob)
        for query in ["maja@example.org", "@example", "example.org", "maja@"]:
            with self.subTest(query=query):
                self.assertNotContains(self.find(query), 'name="co_authors"')
        response = self.find("a")
        self.assertContains(response, "Maja")
        self.assertNotContains(response, "@")

    def test_the_matches_are_few_and_say_when_there_are_more(self):
        for number in range(12):
            make_member(self.museum, make_user(f"Rower{number:02d}"))
        self.login(self.bob)
        response = self.find("rower")
        self.assertEqual(response.content.decode().count('name="co_authors"'), 8)
        self.assertContains(response, "More members match: type more of the name.")

    def test_the_chosen_co_authors_stay_chosen_while_searching_again(self):
        self.login(self.bob)
        response = self.find("Alice", co_authors=[self.maja_id])
        self.assertContains(response, f'value="{self.maja_id}" checked')
        alice_id = participant_of(self.alice).pk
        self.assertContains(response, f'value="{alice_id}">')

    def test_only_people_who_may_submit_an_idea_can_search(self):
        self.login(self.charlie)  # an account, not a member
        self.assertEqual(self.find("Maja").status_code, 403)
        self.login(None)
        self.assertEqual(self.find("Maja").status_code, 302)
        self.login(self.alice)
        do_close_activity(self.alice, self.call.activity)
        self.login(self.bob)
        self.assertEqual(self.find("Maja").status_code, 403)

    def test_a_private_spaces_members_stay_unknown_to_outsiders(self):
        call = make_call(self.quiet_room, self.alice, "Quiet stories")
        self.login(self.charlie)
        url = reverse("calls:find_co_authors", args=[self.quiet_room.slug, call.activity.slug])
        self.assertEqual(self.client.get(url, {"co_author_query": "Ali"}).status_code, 404)

    def test_bad_input_is_answered_calmly(self):
        self.login(self.bob)
        for query in ["\x00", "Ma\x00ja", "\u202e", "x" * 10_000, "%", "_", "' OR 1=1 --"]:
            with self.subTest(query=query[:10]):
                self.assertEqual(self.find(query).status_code, 200)
        self.assertContains(self.find("Ma\x00ja"), "Maja")
        self.assertNotContains(self.find("%"), "Maja")
        for chosen in ["²", str(2**64), "-1", participant_of(self.charlie).pk]:
            with self.subTest(chosen=chosen):
                response = self.find("", co_authors=[chosen])
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'name="co_authors"')

    def test_without_javascript_find_shows_the_form_again_with_the_matches(self):
        self.login(self.bob)
        response = self.client.post(
            self.submit_url,
            {
                "title": "Boats",
                "body": "More boats.",
                "co_author_query": "maj",
                "find_co_authors": "1",
            },
        )
        self.assertContains(response, f'value="{self.maja_id}"')
        self.assertContains(response, 'value="Boats"')
        self.assertContains(response, "More boats.")
        self.assertNotContains(response, "errorlist")
        self.assertFalse(Idea.objects.exists())
        response = self.client.post(
            self.submit_url, {"title": "Boats", "body": "More boats.", "co_authors": self.maja_id}
        )
        idea = Idea.objects.get(title="Boats")
        self.assertRedirects(response, idea.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(CoAuthor.objects.filter(idea=idea, participant_id=self.maja_id).exists())

    def test_a_form_with_errors_keeps_the_chosen_co_authors(self):
        self.login(self.bob)
        response = self.client.post(
            self.submit_url, {"title": "", "body": "More boats.", "co_authors": self.maja_id}
        )
        self.assertContains(response, f'value="{self.maja_id}" checked')
        self.assertContains(response, "Maja")
