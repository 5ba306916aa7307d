"""Every user-facing text of every scale file is in all three UI languages, and the scale shows
the Swedish text when Swedish is active."""

import json

import pytest
from django.utils import translation

from fidelity.scale import SCALES_DIR, get_scale

SCALE_FILES = sorted(SCALES_DIR.glob("*.json"))
LANGUAGES = ("en", "fi", "sv")


def _text_objects(node, path=""):
    """(JSON path, text object) for every dict with an "en" text, however deeply nested."""
    if isinstance(node, dict):
        if "en" in node:
            yield path or "/", node
            return
        for key, value in node.items():
            yield from _text_objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_objects(value, f"{path}/{index}")


@pytest.mark.parametrize("path", SCALE_FILES, ids=lambda p: p.name)
def test_every_text_has_finnish_swedish_and_english(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = list(_text_objects(data))
    assert texts, "no texts found"
    missing = [
        f"{where}: {language}"
        for where, obj in texts
        for language in LANGUAGES
        if not isinstance(obj.get(language), str) or not obj[language].strip()
    ]
    assert missing == []


def test_swedish_item_title_when_swedish_is_active():
    item = get_scale("ips25-2019").item(1)
    with translation.override("sv"):
        assert item.name == item.name_texts["sv"] == "Antal klienter per jobbcoach"
    with translation.override("fi"):
        assert item.name == item.name_texts["fi"]
