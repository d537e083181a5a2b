"""A kind brings its own stylesheet; every page loads the installed kinds' sheets."""

from django.contrib.staticfiles import finders
from django.test import TestCase

from sammen.activities.kinds import installed_kinds


class KindStylesheetTests(TestCase):
    def test_each_kinds_stylesheet_is_shipped_in_its_own_app(self):
        sheets = [kind.stylesheet for kind in installed_kinds() if kind.stylesheet]
        self.assertGreaterEqual(len(sheets), 3)
        for sheet in sheets:
            found = finders.find(sheet)
            self.assertIsNotNone(found, sheet)
            self.assertNotIn("/core/", str(found))

    def test_every_page_links_the_shared_sheet_first_then_the_kinds(self):
        html = self.client.get("/").content.decode()
        shared = html.index("/static/sammen/css/sammen.css")
        for kind in installed_kinds():
            if kind.stylesheet:
                self.assertGreater(html.index(f"/static/{kind.stylesheet}"), shared)
