import json
import re

from django.contrib.staticfiles import finders
from django.test import TestCase
from django.urls import reverse


class HtmxConfigTests(TestCase):
    def test_htmx_is_told_not_to_inject_inline_styles_before_it_loads(self):
        page = self.client.get(reverse("home")).content.decode()
        meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
        assert meta is not None
        self.assertIs(json.loads(meta.group(1))["includeIndicatorStyles"], False)
        self.assertLess(meta.start(), page.index("vendor/htmx-"))

    def test_the_indicator_styles_ship_in_the_stylesheet(self):
        path = finders.find("sammen/css/sammen.css")
        assert isinstance(path, str)
        with open(path, encoding="utf-8") as stylesheet:
            css = stylesheet.read()
        self.assertIn(".htmx-request .htmx-indicator", css)
