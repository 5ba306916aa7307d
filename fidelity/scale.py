"""The fidelity scale as versioned data.

Each scale version is one JSON file in ``fidelity/scales/`` (e.g. ``ips25_2019.json``), holding
the items, their anchors in several languages, the data sources, checklist elements, numeric
thresholds and score bands. Nothing about a particular item is written in code: a corrected
anchor, a new threshold, or THL's Finnish adaptation is a new data file with a new id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

SCALES_DIR = Path(__file__).resolve().parent / "scales"
DEFAULT_SCALE = "ips25-2019"


def _text(texts: dict[str, str]) -> str:
    """The text in the active language, falling back to Finnish and then English."""
    language = (get_language() or "fi")[:2]
    return texts.get(language) or texts.get("fi") or texts["en"]


@dataclass(frozen=True)
class Rule:
    score: int
    at_least: float | None = None
    at_most: float | None = None
    denominator_below: int | None = None


@dataclass(frozen=True)
class Measure:
    code: str
    unit: str
    label_texts: dict
    per_coach: bool
    computed: bool
    rules: tuple[Rule, ...]
    note_texts: dict

    @property
    def label(self) -> str:
        return _text(self.label_texts)

    @property
    def note(self) -> str:
        return _text(self.note_texts)


@dataclass(frozen=True)
class Element:
    code: str
    texts: dict

    @property
    def text(self) -> str:
        return _text(self.texts)


@dataclass(frozen=True)
class Item:
    number: int
    section: str
    code: str
    name_texts: dict
    measures_texts: dict
    anchor_texts: dict
    sources: tuple[str, ...]
    verification: str
    kind: str
    measure: Measure | None = None
    elements: tuple[Element, ...] = ()
    element_scores: tuple[tuple[int, int], ...] = ()  # (at_least, score), best first

    @property
    def name(self) -> str:
        return _text(self.name_texts)

    @property
    def measures(self) -> str:
        return _text(self.measures_texts)

    def anchor(self, score: int) -> str:
        return _text(self.anchor_texts[str(score)])

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(score, self.anchor(score)) for score in range(1, 6)]


@dataclass(frozen=True)
class Band:
    code: str
    min: int
    max: int
    label_texts: dict

    @property
    def label(self) -> str:
        return _text(self.label_texts)


@dataclass(frozen=True)
class Scale:
    id: str
    name_texts: dict
    score_min: int
    score_max: int
    bands: tuple[Band, ...]
    sections: tuple[tuple[str, dict], ...]
    items: tuple[Item, ...]

    @property
    def name(self) -> str:
        return _text(self.name_texts)

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def section_label(self, code: str) -> str:
        return _text(dict(self.sections)[code])

    @property
    def numbers(self) -> list[int]:
        return [item.number for item in self.items]

    def items_by_section(self) -> list[tuple[str, list[Item]]]:
        return [
            (self.section_label(code), [i for i in self.items if i.section == code])
            for code, _ in self.sections
        ]


class ScaleError(ValueError):
    """A scale file that does not describe a usable scale."""


def parse_scale(data: dict) -> Scale:
    """Build a Scale from its JSON data, checking what scoring depends on."""
    items = []
    for raw in data["items"]:
        measure = None
        if raw["kind"] == "numeric":
            m = raw["measure"]
            rules = tuple(Rule(**rule) for rule in m["rules"])
            if rules[-1].at_least is not None or rules[-1].at_most is not None:
                raise ScaleError(f"item {raw['number']}: the last rule must be a catch-all")
            measure = Measure(
                code=m["code"],
                unit=m["unit"],
                label_texts=m["label"],
                per_coach=m["per_coach"],
                computed=m["computed"],
                rules=rules,
                note_texts=raw.get("measure_note", {"en": ""}),
            )
        elements = tuple(Element(e["code"], e["text"]) for e in raw.get("elements", ()))
        element_scores = tuple((r["at_least"], r["score"]) for r in raw.get("element_scores", ()))
        if raw["kind"] == "checklist" and (not elements or element_scores[-1][0] != 0):
            raise ScaleError(f"item {raw['number']}: a checklist needs elements and a 0 rule")
        if sorted(raw["anchors"]) != ["1", "2", "3", "4", "5"]:
            raise ScaleError(f"item {raw['number']}: anchors 1-5 are needed")
        items.append(
            Item(
                number=raw["number"],
                section=raw["section"],
                code=raw["code"],
                name_texts=raw["name"],
                measures_texts=raw["measures"],
                anchor_texts=raw["anchors"],
                sources=tuple(raw["sources"]),
                verification=raw["verification"],
                kind=raw["kind"],
                measure=measure,
                elements=elements,
                element_scores=element_scores,
            )
        )
    if [item.number for item in items] != list(range(1, len(items) + 1)):
        raise ScaleError("items must be numbered 1..n in order")
    bands = tuple(
        Band(b["code"], b["min"], b["max"], b["label"])
        for b in sorted(data["bands"], key=lambda b: -b["max"])
    )
    lowest, highest = len(items) * data["score_min"], len(items) * data["score_max"]
    covered = sorted(total for band in bands for total in range(band.min, band.max + 1))
    if covered != list(range(lowest, highest + 1)):
        raise ScaleError("bands must cover every possible total exactly once")
    return Scale(
        id=data["id"],
        name_texts=data["name"],
        score_min=data["score_min"],
        score_max=data["score_max"],
        bands=bands,
        sections=tuple((s["code"], s["label"]) for s in data["sections"]),
        items=tuple(items),
    )


@cache
def available_scales() -> dict[str, Scale]:
    scales = {}
    for path in sorted(SCALES_DIR.glob("*.json")):
        scale = parse_scale(json.loads(path.read_text(encoding="utf-8")))
        scales[scale.id] = scale
    return scales


def get_scale(scale_id: str = DEFAULT_SCALE) -> Scale:
    try:
        return available_scales()[scale_id]
    except KeyError:
        raise ScaleError(f"unknown scale {scale_id!r}") from None


def scale_choices() -> list[tuple[str, str]]:
    return [(scale.id, scale.name) for scale in available_scales().values()]
