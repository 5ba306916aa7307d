"""The Finnish and Swedish catalogs are complete, and the compiled .mo files match them."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["fi", "sv"]


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgid_plural, msgstr(s) and flags."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": "", "msgid": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            field = ("msgid_plural",)
            entry["msgid_plural"] = _unquote(line)
        elif line.startswith("msgid"):
            field = ("msgid",)
            entry["msgid"] = _unquote(line)
        elif line.startswith("msgstr"):
            index = re.match(r"msgstr(?:\[(\d+)\])?", line).group(1) or "0"
            field = ("msgstr", index)
            entry["msgstr"][index] = _unquote(line)
        elif line.startswith('"') and field:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
    return [e for e in entries if e["msgid"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_not_fuzzy(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")

    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]

    assert entries
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = parse_po(folder / "django.po")
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e and compiled.gettext(e["msgid"]) != e["msgstr"]["0"]
    ]

    assert stale == [], "Run `make messages` to recompile the catalogs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")

    broken = [
        e["msgid"]
        for e in entries
        for text in e["msgstr"].values()
        if set(pattern.findall(text)) - set(pattern.findall(e["msgid"] + e.get("msgid_plural", "")))
    ]

    assert broken == []
