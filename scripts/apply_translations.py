"""Write translations from a JSON file into the catalogues, then compile them.

The JSON maps each English message to its translations:

    {"Vote": {"nl": "Stemmen", "da": "Stem", "sv": "Rösta"},
     "%(counter)s vote": {"plural": "%(counter)s votes",
                          "nl": ["%(counter)s stem", "%(counter)s stemmen"], ...}}

A message with a context is written "context\\u0004message". Run it after
`make messages` has put the new messages in the catalogues; entries it fills stop
being fuzzy. Several people can work at once: wrap both steps in one
`flock var/messages.lock ...` so they never write a catalogue at the same time.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "sammen" / "locale"
LANGUAGES = ("nl", "da", "sv")


def apply(translations: dict[str, dict[str, object]]) -> list[str]:
    """Fill the catalogues from `translations`; return messages no catalogue holds."""
    missing: set[str] = set()
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path), wrapwidth=79)
        for key, by_language in translations.items():
            context, _sep, msgid = key.rpartition("\x04")
            entry = catalogue.find(msgid, msgctxt=context or False)
            if entry is None:
                missing.add(key)
                continue
            if language not in by_language:
                continue
            value = by_language[language]
            if entry.msgid_plural:
                if not isinstance(value, list):
                    raise SystemExit(f"{key!r}: {language} needs a list of plural forms")
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = str(value)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        catalogue.save(str(path))
        # Wrap lines as gettext does, so a change shows only what it changed.
        subprocess.run(  # noqa: S603
            ["msgcat", "--add-location=file", "-o", str(path), str(path)],  # noqa: S607
            check=True,
        )
    subprocess.run(
        [sys.executable, "-m", "sammen", "compilemessages", "--ignore=node_modules"],
        cwd=LOCALE.parent,
        check=True,
    )
    return sorted(missing)


def main() -> None:
    source = Path(sys.argv[1])
    missing = apply(json.loads(source.read_text(encoding="utf-8")))
    for key in missing:
        print(f"not in the catalogues (run `make messages` first?): {key!r}")


if __name__ == "__main__":
    main()
