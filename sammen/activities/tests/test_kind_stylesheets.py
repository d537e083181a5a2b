"""A kind brings its own stylesheet; every page loads the installed kinds' sheets."""

import re
from pathlib import Path

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

    def test_what_shared_templates_and_other_kinds_use_is_styled_in_the_shared_sheet(self):
        """A class that a shared template, or a second kind, uses must not get its style
        only from one kind's sheet: without that kind the others would lose it."""
        sheets = {
            kind.stylesheet.split("/")[0]: Path(str(finders.find(kind.stylesheet))).read_text()
            for kind in installed_kinds()
            if kind.stylesheet
        }
        shared = Path(str(finders.find("sammen/css/sammen.css"))).read_text()
        styled_by_kind = {
            name: key
            for key, text in sheets.items()
            for name in set(SELECTOR_CLASS.findall(strip_comments(text)))
        }
        shared_classes = set(SELECTOR_CLASS.findall(strip_comments(shared)))
        root = Path(__file__).resolve().parents[2]
        wrong = []
        for template in sorted(root.glob("**/templates/**/*.html")):
            app = template.relative_to(root).parts[0]
            for name in classes_in(template.read_text()):
                owner = styled_by_kind.get(name)
                if owner is not None and name not in shared_classes and app != owner:
                    wrong.append(f"{template.relative_to(root)}: .{name} (only in {owner}'s sheet)")
        self.assertEqual(wrong, [])


SELECTOR_CLASS = re.compile(r"\.([a-zA-Z][\w-]*)(?=[^{}]*\{)")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def classes_in(html: str) -> set[str]:
    names: set[str] = set()
    for value in CLASS_ATTRIBUTE.findall(html):
        value = re.sub(r"\{[{%].*?[%}]\}", " ", value)  # template tags are not class names
        names.update(word for word in value.split() if re.fullmatch(r"[a-zA-Z][\w-]*", word))
    return names
