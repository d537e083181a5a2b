"""Every catalogue is complete, nothing is fuzzy, and the compiled files match the sources."""

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def message_keys(catalogue: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}


def test_the_catalogues_hold_every_message_of_the_code(tmp_path, monkeypatch, settings):
    """A string marked for translation but missing from the catalogues shows in English."""
    from django.core.management import call_command

    code = tmp_path / "sammen"
    shutil.copytree(
        LOCALE.parent,
        code,
        ignore=shutil.ignore_patterns("tests", "__pycache__", "locale", "static", "*.pyc"),
    )
    (code / "locale").mkdir()
    monkeypatch.chdir(code)
    settings.LOCALE_PATHS = [code / "locale"]
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    extracted = message_keys(polib.pofile(str(code / "locale/en/LC_MESSAGES/django.po")))
    catalogued = message_keys(polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po")))
    missing = sorted(extracted - catalogued)
    stale = sorted(catalogued - extracted)
    assert missing == [], f"run `make messages`: not in the catalogues: {missing[:10]}"
    assert stale == [], f"run `make messages`: no longer in the code: {stale[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete_and_nothing_is_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy: {fuzzy[:10]}"
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in source.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            got = compiled.gettext(key)
            expected = entry.msgstr
        assert got == expected, f"{language}: run `make messages` ({entry.msgid!r})"


@pytest.mark.parametrize("language", ["nl", "da", "sv"])
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{\{ ?[a-z_.]+ ?\}\}")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        translations = (
            [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        )
        expected = set(placeholder.findall(entry.msgid + entry.msgid_plural))
        for translation in translations:
            found = set(placeholder.findall(translation))
            if entry.msgid_plural:
                # A form may spell out the number ("one member") instead of the counter.
                found |= {"%(counter)s"} & expected
            assert found == expected, f"{language}: {entry.msgid!r} -> {translation!r}"
