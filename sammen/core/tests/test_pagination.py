"""One pagination partial serves every list, keeping the list's filters in its links."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase


class PaginationTests(SimpleTestCase):
    def render(self, url: str, number: int, **options: object) -> str:
        request = RequestFactory().get(url)
        page = Paginator(list(range(50)), 10).page(number)
        return render_to_string("_pagination.html", {"page": page, **options}, request=request)

    def test_the_links_keep_the_filters_and_change_only_the_page(self):
        html = self.render("/ideas/?sort=new&q=tree&page=2", 2, any_order=True)
        self.assertIn('href="?sort=new&amp;q=tree&amp;page=1"', html)
        self.assertIn('href="?sort=new&amp;q=tree&amp;page=3"', html)
        self.assertIn(">Previous</a>", html)
        self.assertIn(">Next</a>", html)
        self.assertIn("Page 2 of 5", html)

    def test_a_list_shown_on_another_page_links_to_its_own_address_and_swaps_with_htmx(self):
        base = "/s/m/a/call/ideas/"
        html = self.render("/s/m/a/call/", 1, base=base, target="#idea-list", label="Ideas")
        self.assertIn('href="/s/m/a/call/ideas/?page=2"', html)
        self.assertIn('hx-get="/s/m/a/call/ideas/?page=2" hx-target="#idea-list"', html)
        self.assertIn('aria-label="Ideas"', html)
        self.assertNotIn('rel="prev"', html)

    def test_newest_first_lists_say_newer_and_older(self):
        html = self.render("/notifications/?page=3", 3)
        self.assertIn(">Newer</a>", html)
        self.assertIn(">Older</a>", html)

    def test_one_page_needs_no_pagination(self):
        request = RequestFactory().get("/")
        page = Paginator([1, 2], 10).page(1)
        self.assertNotIn("<nav", render_to_string("_pagination.html", {"page": page}, request))
