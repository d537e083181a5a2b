"""The design tokens live in one place, the :root of sammen.css, and everything draws with them.

Every app's stylesheet takes its colours from the tokens and uses only tokens that
exist; templates write no colour of their own; and the few colours Python must write
into SVG attributes (the QR code) are the same tokens. The kinds check their own
uses of the tokens in their tests (test_design_tokens.py in each kind).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.test import SimpleTestCase

import sammen

PACKAGE = Path(sammen.__file__).resolve().parent
BASE = PACKAGE / "core" / "static" / "sammen" / "css" / "sammen.css"

HEX = re.compile(r"(?<![\w-])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")
COLOUR_FUNCTION = re.compile(
    r"(?<![\w-])(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix)\(", re.IGNORECASE
)
# The CSS named colours (transparent, currentColor and system colours are not literals).
NAMED = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen
"""
NAMED_COLOURS = frozenset(NAMED.split())
VAR = re.compile(r"var\(\s*(--[\w-]+)")


@dataclass(frozen=True)
class Declaration:
    selector: str  # the prelude of the rule the declaration is in
    name: str
    value: str
    line: int


def declarations(css: str) -> list[Declaration]:
    """Return a stylesheet's declarations, each with its rule's selector and its line."""
    # Blank out comments but keep their newlines, so line numbers stay true.
    css = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), css, flags=re.DOTALL)
    found: list[Declaration] = []
    preludes: list[str] = []
    start = 0
    for match in re.finditer(r"[{};]", css):
        text = css[start : match.start()]
        if match.group() == "{":
            preludes.append(" ".join(text.split()))
        elif preludes and ":" in text and not text.strip().startswith("@"):
            name, value = text.split(":", 1)
            value_at = start + len(name) + 1 + (len(value) - len(value.lstrip()))
            line = css.count("\n", 0, value_at) + 1
            found.append(Declaration(preludes[-1], name.strip(), value.strip(), line))
        if match.group() == "}" and preludes:
            preludes.pop()
        start = match.end()
    return found


def colour_literals(value: str) -> list[str]:
    """Return the colours written out in a CSS value (not through a custom property)."""
    value = re.sub(r"url\([^)]*\)|\"[^\"]*\"|'[^']*'", "", value)
    value = re.sub(r"--[\w-]+", "", value)
    found = HEX.findall(value) + [m.group().rstrip("(") for m in COLOUR_FUNCTION.finditer(value)]
    words = re.findall(r"(?<![\w-])[a-zA-Z][\w-]*", value)
    return found + [word for word in words if word.lower() in NAMED_COLOURS]


def stylesheets() -> list[Path]:
    """Return every app's stylesheet, sammen.css included, but not third-party files."""
    return sorted(
        path
        for path in PACKAGE.glob("*/static/**/*.css")
        if "vendor" not in path.relative_to(PACKAGE).parts
    )


def root_tokens() -> dict[str, str]:
    """Return the custom properties sammen.css defines in :root, by name."""
    return {
        item.name: item.value
        for item in declarations(BASE.read_text())
        if item.selector == ":root" and item.name.startswith("--")
    }


def resolved(tokens: dict[str, str], name: str) -> str:
    """Return a token's value, following tokens that are another token."""
    value = tokens[name]
    while alias := re.fullmatch(r"var\((--[\w-]+)\)", value):
        value = tokens[alias.group(1)]
    return value


def hex_value(colour: str) -> str:
    """Return a hex colour in one spelling: lower case, six or eight digits."""
    digits = colour.lstrip("#").lower()
    if len(digits) in (3, 4):
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


class ColourLiteralFinderTests(SimpleTestCase):
    """The checker itself: it must see what the tests below rely on it to see."""

    def test_it_finds_hex_functional_and_named_colours_with_their_lines(self):
        css = (
            ":root { --ok: #fff; }\n"
            "/* #abc in a comment */\n"
            ".a { color: #17603f; border: 1px solid white; }\n"
            "@media (max-width: 40rem) {\n"
            "  .b:hover { box-shadow: 0 2px 8px rgb(0 0 0 / 0.15); }\n"
            "}\n"
        )
        found = [
            (item.line, literal)
            for item in declarations(css)
            if item.selector != ":root"
            for literal in colour_literals(item.value)
        ]
        self.assertEqual(found, [(3, "#17603f"), (3, "white"), (5, "rgb")])

    def test_it_lets_tokens_keywords_and_ids_through(self):
        css = (
            "#take-part, #add { overflow-anchor: none; white-space: nowrap; }\n"
            ".a { color: var(--color-text, currentColor); fill: transparent; stroke: inherit; }\n"
            ".b { --group: var(--group-0); background: var(--group, var(--color-accent)); }\n"
        )
        items = declarations(css)
        self.assertEqual([literal for item in items for literal in colour_literals(item.value)], [])


class DesignTokenTests(SimpleTestCase):
    def test_no_stylesheet_writes_a_colour_of_its_own(self):
        """Kinds' sheets and the shared rules below :root use tokens: `file:line: value`."""
        found = [
            f"{shown(path)}:{item.line}: {item.name}: {item.value}"
            for path in stylesheets()
            for item in declarations(path.read_text())
            if not (path == BASE and item.selector == ":root")
            if colour_literals(item.value)
        ]
        self.assertEqual(found, [])

    def test_every_token_a_stylesheet_uses_is_defined(self):
        """In sammen.css's :root, or as a custom property in the sheet that uses it."""
        tokens = root_tokens()
        missing = []
        for path in stylesheets():
            items = declarations(path.read_text())
            local = {item.name for item in items if item.name.startswith("--")}
            missing += [
                f"{shown(path)}:{item.line}: {name}"
                for item in items
                for name in VAR.findall(item.value)
                if name not in tokens and name not in local
            ]
        self.assertEqual(missing, [])

    def test_the_checks_read_the_shared_sheet_and_each_kinds_sheet(self):
        names = {shown(path) for path in stylesheets()}
        self.assertIn("sammen/core/static/sammen/css/sammen.css", names)
        self.assertIn("sammen/calls/static/calls/calls.css", names)
        self.assertIn("sammen/conversations/static/conversations/conversations.css", names)
        self.assertIn("sammen/live/static/live/live.css", names)
        self.assertGreater(len(root_tokens()), 50)

    def test_every_colour_python_writes_is_a_token(self):
        """A colour Python must write (into an SVG attribute) has the value of a token."""
        tokens = root_tokens()
        values = {hex_value(resolved(tokens, name)) for name in tokens}
        values.discard("")
        found = []
        for path in sorted(PACKAGE.rglob("*.py")):
            if "tests" in path.relative_to(PACKAGE).parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                for colour in re.findall(r"[\"'](#[0-9a-fA-F]{3,8})[\"']", line):
                    if hex_value(colour) not in values:
                        found.append(f"{shown(path)}:{number}: {colour}")
        self.assertEqual(found, [])

    def test_templates_write_no_colour_of_their_own(self):
        """SVG and HTML attributes take colours from the stylesheet (currentColor is fine)."""
        attribute = re.compile(
            r"\b(fill|stroke|stop-color|flood-color|color|bgcolor|style)\s*=\s*\"([^\"]*)\""
        )
        found = []
        for path in sorted(PACKAGE.glob("**/templates/**/*.html")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                for name, value in attribute.findall(line):
                    literals = colour_literals(value)
                    if literals:
                        found.append(f"{shown(path)}:{number}: {name}={literals}")
        self.assertEqual(found, [])
