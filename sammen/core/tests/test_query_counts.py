"""List pages make the same number of queries however much they list."""

from django.urls import reverse

from sammen.spaces.actions import do_create_space
from sammen.testing import BaseTestCase, make_activity, make_user


class QueryCountTests(BaseTestCase):
    def count_queries(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(context.captured_queries)

    def test_the_space_home_is_constant_in_the_number_of_activities(self):
        self.login(self.maja)
        url = self.museum.get_absolute_url()
        make_activity(self.museum, self.alice, "One", open_it=True)
        few = self.count_queries(url)
        for number in range(6):
            make_activity(self.museum, self.alice, f"More {number}", open_it=number % 2 == 0)
        self.assertEqual(self.count_queries(url), few)
        with self.assertNumQueries(few):
            self.client.get(url)

    def test_the_directory_and_home_are_constant_in_the_number_of_spaces(self):
        self.login(self.bob)
        directory, home = self.count_queries(reverse("spaces:directory")), self.count_queries("/")
        owner = make_user("Founder")
        for number in range(5):
            do_create_space(owner, name=f"Extra {number}", slug=f"extra-{number}")
        self.assertEqual(self.count_queries(reverse("spaces:directory")), directory)
        self.assertEqual(self.count_queries("/"), home)

    def test_the_member_list_is_constant_in_the_number_of_members(self):
        self.login(self.alice)
        url = reverse("spaces:members", args=[self.museum.slug])
        few = self.count_queries(url)
        from sammen.testing import make_member

        for number in range(5):
            make_member(self.museum, make_user(f"Extra{number}"))
        self.assertEqual(self.count_queries(url), few)
