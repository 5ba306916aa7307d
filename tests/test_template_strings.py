"""CI fails if a template holds a user-facing string that is not marked for translation.

Every template under ``templates/`` is split with Django's own template lexer. Text inside
``{% blocktranslate %}`` and the output of ``{% translate %}`` count as marked; every other tag
and variable is replaced by a placeholder without letters. What is left is parsed as HTML:
visible text with a letter in it, and the user-facing attributes (``title``, ``placeholder``,
``aria-label``, ``alt``, and ``value`` of submit and button inputs) with a letter in them,
are reported with the template and line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PLACEHOLDER = "\x01"  # stands for a tag or variable: no letters, so never reported
LETTER = re.compile(r"[^\W\d_]")
USER_FACING_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt"}
SKIPPED_ELEMENTS = {"script", "style"}  # neither may exist (CSP), but their text is not prose

# Templates that are multilingual on purpose, with why.
ALLOWED_TEMPLATES = {
    # Rendered by Django's server-error handler without a request context, so it shows the
    # message in Finnish, Swedish and English at once instead of relying on translation.
    "500.html",
}

# Literal text that is the same in every language. Keep this list short and say why.
ALLOWED = {
    "IPS-25",  # the name of the fidelity scale, never translated
    "n",  # statistical symbol for a count, as in "(n = 12)"
    "PDF",  # file format name
    "CSV",  # file format name
    "XLSX",  # file format name
}


def _marked_source(source: str) -> list[tuple[str, int]]:
    """The template as (text, line) pieces, with tags and variables replaced by placeholders
    and translated text dropped."""
    pieces: list[tuple[str, int]] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            pieces.append((PLACEHOLDER, token.lineno))
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append((token.contents, token.lineno))
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans"}:
                skip_until = "end" + name
            elif name == "comment":
                skip_until = "endcomment"
            elif name == "verbatim":
                skip_until = "endverbatim"
        pieces.append((PLACEHOLDER, token.lineno))
    return pieces


class _Finder(HTMLParser):
    def __init__(self, line_of):
        super().__init__(convert_charrefs=True)
        self.line_of = line_of
        self.problems: list[tuple[int, str]] = []
        self.skipping: list[str] = []

    def _report(self, text: str) -> None:
        cleaned = " ".join(text.replace(PLACEHOLDER, " ").split())
        words = [w.strip("()[]=:,;.!?–—/·|←→✓×%<>\"'") for w in cleaned.split()]
        if any(LETTER.search(word) and word not in ALLOWED for word in words):
            self.problems.append((self.line_of(self.getpos()), cleaned))

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            user_facing = name in USER_FACING_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (attributes.get("type") or "").lower() in {"submit", "button", "reset"}
            )
            if user_facing:
                self._report(value)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self._report(data)


def unmarked_strings(path: Path) -> list[str]:
    pieces = _marked_source(path.read_text(encoding="utf-8"))
    text = "".join(piece for piece, _line in pieces)
    # Map a line of the joined text back to the template's line.
    starts = []
    joined_line = 1
    for piece, line in pieces:
        starts.append((joined_line, line))
        joined_line += piece.count("\n")

    def line_of(position: tuple[int, int]) -> int:
        found = 1
        for joined, original in starts:
            if joined > position[0]:
                break
            found = original + (position[0] - joined)
        return found

    finder = _Finder(line_of)
    finder.feed(text)
    finder.close()
    relative = path.relative_to(TEMPLATES)
    return [f"{relative}:{line}: {snippet!r}" for line, snippet in finder.problems]


TEMPLATE_FILES = [
    path
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
    if str(path.relative_to(TEMPLATES)) not in ALLOWED_TEMPLATES
]


def test_templates_exist():
    assert len(TEMPLATE_FILES) > 20


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_user_facing_string_is_marked_for_translation(path):
    problems = unmarked_strings(path)
    assert problems == [], "Unmarked user-facing strings:\n" + "\n".join(problems)


def test_the_check_finds_unmarked_text_and_attributes(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    template = tmp_path / "sample.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "<p>Not marked</p>\n"
        "{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}\n"
        '<input type="submit" value="Send"><input type="text" value="{{ v }}">\n'
        '<a href="/x" title="Plain title">{{ name }}</a> (n = {{ count }}) IPS-25\n'
        "{# a comment #}{% comment %}Hidden text{% endcomment %}<!-- html comment -->\n"
    )
    problems = unmarked_strings(template)
    assert problems == [
        "sample.html:2: 'Not marked'",
        "sample.html:4: 'Send'",
        "sample.html:5: 'Plain title'",
    ]
