"""Make the English catalogue complete: English is the source language, so each
message translates to itself. Run by `make messages` after makemessages."""

import sys
from pathlib import Path

import polib

path = Path(sys.argv[1] if len(sys.argv) > 1 else "sammen/locale/en/LC_MESSAGES/django.po")
catalogue = polib.pofile(str(path), wrapwidth=79)
for entry in catalogue:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
catalogue.metadata["Project-Id-Version"] = "Sammen"
catalogue.metadata["Last-Translator"] = "Sammen team"
catalogue.metadata["Language-Team"] = "English"
catalogue.metadata["Language"] = "en"
catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
catalogue.save(str(path))
print(f"{path}: {len(catalogue)} messages")
