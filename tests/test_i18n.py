"""The Finnish and Swedish catalogs are complete, and the compiled .mo files match them."""

from __future__ import annotations

import datetime
import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from .conftest import login

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
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr(s) and flags."""
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
        elif line.startswith("msgctxt"):
            field = ("msgctxt",)
            entry["msgctxt"] = _unquote(line)
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

    def compiled_text(entry: dict) -> str:
        if "msgctxt" in entry:
            return compiled.pgettext(entry["msgctxt"], entry["msgid"])
        return compiled.gettext(entry["msgid"])

    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e and compiled_text(e) != e["msgstr"]["0"]
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


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_catalogs_hold_every_string_the_code_marks(tmp_path, settings):
    """`makemessages` on a copy of the sources adds and drops nothing: no marked string is
    missing from the catalogs, so none can show up untranslated."""
    root = LOCALE.parent
    for name in ["ips", "fidelity", "outcomes", "templates", "locale"]:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        call_command("makemessages", locale=["fi"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)

    def msgids(path: Path) -> set[tuple[str, str]]:
        return {(e.get("msgctxt", ""), e["msgid"]) for e in parse_po(path)}

    committed = msgids(LOCALE / "fi" / "LC_MESSAGES" / "django.po")
    current = msgids(tmp_path / "locale" / "fi" / "LC_MESSAGES" / "django.po")
    assert sorted(current - committed) == [], "Run `make messages` and translate the new strings"
    assert sorted(committed - current) == [], "Run `make messages` to drop obsolete strings"


@pytest.mark.django_db
def test_language_choice_is_saved_and_follows_the_user_to_another_browser(owner):
    # Arrange
    first_browser = login(owner)

    # Act
    response = first_browser.post(reverse("set_language"), {"language": "sv", "next": "/"})
    owner.refresh_from_db()
    second_browser = login(owner)  # no language cookie, asks for English
    page = second_browser.get(reverse("caseload"))

    # Assert
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert owner.language == "sv"
    assert '<html lang="sv">' in page.content.decode()
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"


@pytest.mark.django_db
def test_an_unknown_language_is_not_saved(owner):
    browser = login(owner)

    browser.post(reverse("set_language"), {"language": "xx", "next": "/"})
    owner.refresh_from_db()

    assert owner.language == ""


@pytest.mark.parametrize(
    ("language", "day", "moment", "number"),
    [
        ("fi", "31.12.2025", "31.12.2025 14.05", "2,5"),
        ("sv", "31.12.2025", "31.12.2025 14.05", "2,5"),
        ("en", "31 Dec 2025", "31 Dec 2025 14:05", "2.5"),
    ],
)
def test_dates_and_decimals_follow_the_language_in_helsinki_time(language, day, moment, number):
    template = Template(
        '{% load l10n %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}|'
        "{{ x|floatformat:1 }}"
    )
    utc_moment = datetime.datetime(2025, 12, 31, 12, 5, tzinfo=datetime.UTC)  # 14.05 in Helsinki

    with translation.override(language):
        rendered = template.render(
            Context({"d": datetime.date(2025, 12, 31), "t": utc_moment, "x": 2.5})
        )

    assert rendered == f"{day}|{moment}|{number}"


@pytest.mark.django_db
def test_logging_out_does_not_leave_the_saved_language_to_the_next_user(owner):
    owner.language = "sv"
    owner.save()
    browser = login(owner)
    browser.get(reverse("caseload"))  # the saved language is applied once, after login
    browser.cookies.pop(settings.LANGUAGE_COOKIE_NAME)

    response = browser.post(reverse("logout"))

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_switch_in_the_menu_wins_over_the_saved_language(owner):
    owner.language = "sv"
    owner.save()
    browser = login(owner)
    browser.get(reverse("caseload"))

    browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = browser.get(reverse("caseload"))
    owner.refresh_from_db()

    assert owner.language == "en"
    assert '<html lang="en">' in page.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in page.cookies  # nothing set behind the user's back


@pytest.mark.django_db
def test_the_password_login_itself_sets_the_saved_language(client, owner):
    owner.set_password("correct horse battery")
    owner.language = "sv"
    owner.save()

    response = client.post(
        reverse("login"), {"username": owner.username, "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"


def test_templates_and_tables_name_date_formats_instead_of_patterns():
    """Dates follow the reader's language only when code names a format (ips/formats/)."""
    root = LOCALE.parent
    pattern = re.compile(r"""(?:\|date:|format=)["']([^"']+)["']""")
    # The weekday's short name (the same pattern in every language), and ISO dates for machines
    # (<time datetime="…">).
    allowed = {"D", "Y-m-d"}
    literal = [
        f"{path.relative_to(root)}: {match}"
        for path in [*(root / "templates").rglob("*.html"), *(root / "ips").glob("tables.py")]
        for match in pattern.findall(path.read_text(encoding="utf-8"))
        if not match.endswith("_FORMAT") and match not in allowed
    ]

    assert literal == []
