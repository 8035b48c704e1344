"""Every interface string is translated in Indonesian, English and Vietnamese.

The strings are extracted afresh from the code and templates (GNU gettext's xgettext, through
Django's makemessages, into a scratch folder), so a string added without a translation fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PACKAGE = Path(settings.PACKAGE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    if shutil.which("xgettext") is None:
        message = "GNU gettext is not installed: cannot check the translations."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    scratch = tmp_path_factory.mktemp("messages")
    source = scratch / "sinergi"
    shutil.copytree(
        PACKAGE, source, ignore=shutil.ignore_patterns("locale", "__pycache__", "tests")
    )
    (scratch / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[scratch / "locale"]):
            call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = polib.pofile(str(scratch / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return {(entry.msgctxt or "", entry.msgid) for entry in fresh}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(extracted, language):
    catalogue = {(e.msgctxt or "", e.msgid): e for e in _catalogue(language) if not e.obsolete}
    missing = sorted(
        key[1] for key in extracted if key not in catalogue or not catalogue[key].translated()
    )
    assert not missing, f"{language}: untranslated strings (run `make messages`): {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders_and_are_not_fuzzy(language):
    problems = []
    for entry in _catalogue(language):
        if entry.obsolete or not entry.msgid:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid}")
        singular = set(PLACEHOLDER.findall(entry.msgid))
        if not entry.msgid_plural:
            if set(PLACEHOLDER.findall(entry.msgstr)) != singular:
                problems.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
            continue
        # A plural form may use the plural's extra placeholders (e.g. the count), and must keep
        # those both forms share.
        plural = set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.msgstr_plural.values():
            found = set(PLACEHOLDER.findall(text))
            if not (singular & plural) <= found <= (singular | plural):
                problems.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed.")
    folder = PACKAGE / "locale" / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(folder / "django.po")], check=True
    )
    fresh = {(e.msgid, e.msgstr) for e in polib.mofile(str(compiled))}
    committed = {(e.msgid, e.msgstr) for e in polib.mofile(str(folder / "django.mo"))}
    assert fresh == committed, "The .mo file is stale: run `make messages`."
