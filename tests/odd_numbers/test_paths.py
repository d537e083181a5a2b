"""Odd ids in URL paths: every URL is in the table, and an odd id finds nothing."""

from django.urls import reverse

from .table import NO_NUMBERS, TARGETS, project_urls, url_name
from .values import ODD_PATH_IDS
from .world import OddNumberWorld, fingerprint


class OddNumberTests(OddNumberWorld):
    def test_every_url_is_in_the_table(self):
        """A new URL must say in table.py whether it reads numbers, so none is forgotten."""
        urls = project_urls()
        table = {url_name(key) for key in TARGETS}
        self.assertEqual(set(urls) - table - NO_NUMBERS, set(), "add these URLs to TARGETS")
        self.assertEqual((table | NO_NUMBERS) - set(urls), set(), "these URLs are gone")
        for name, route in urls.items():
            # <id:…> takes what parse_id() takes; <int:…> lets 2**64 through to the database.
            self.assertNotIn("<int:", route, f"{name}: write ids in a path as <id:…>")
            if "<id:" in route:
                self.assertIn(name, table, f"{name} takes an id in its path")

    def test_odd_ids_in_paths_are_not_found(self):
        for key, target in TARGETS.items():
            kwargs = target.kwargs(self)
            for name in [name for name, value in kwargs.items() if isinstance(value, int)]:
                url = reverse(url_name(key), kwargs={**kwargs, name: 987654321})
                with self.subTest(url=key, id=name):
                    before = fingerprint()
                    for value in ODD_PATH_IDS:
                        path = url.replace("/987654321/", f"/{value}/")
                        response = self.request(key, target.data(self), path)
                        self.assertIn(response.status_code, {302, 403, 404}, path[:120])
                    self.assertEqual(fingerprint(), before, f"{key}: odd {name} changed data")
