"""Fidelity arithmetic as pure functions over plain values and scale data.

* item scores → total and band (no total while any item is unscored);
* a numeric measure → the item score its thresholds give;
* per-coach measures → each coach rated, the ratings averaged, rounded to the nearest point;
* checklist elements present → item score.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .scale import Band, Item, Rule, Scale


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class Total:
    total: int
    band: Band


def validate_score(scale: Scale, score: int) -> int:
    if not isinstance(score, int) or not scale.score_min <= score <= scale.score_max:
        raise ScoringError(
            f"a score must be a whole number from {scale.score_min} to {scale.score_max}"
        )
    return score


def band_for(scale: Scale, total: int) -> Band:
    for band in scale.bands:
        if band.min <= total <= band.max:
            return band
    raise ScoringError(f"total {total} is outside the scale")


def total_and_band(scale: Scale, scores: Mapping[int, int | None]) -> Total | None:
    """The total and band, or None while any item of the scale is unscored."""
    values = [scores.get(number) for number in scale.numbers]
    if any(value is None for value in values):
        return None
    total = sum(validate_score(scale, value) for value in values)
    return Total(total, band_for(scale, total))


def score_measure(
    rules: Iterable[Rule], value: float | None, denominator: int | None = None
) -> int | None:
    """The score a measured value gets under the item's rules (first matching rule wins).
    No value (nothing to measure) gives no suggestion."""
    if value is None:
        return None
    for rule in rules:
        if rule.denominator_below is not None:
            if denominator is not None and denominator < rule.denominator_below:
                return rule.score
            continue
        if rule.at_least is not None and value >= rule.at_least:
            return rule.score
        if rule.at_most is not None and value <= rule.at_most:
            return rule.score
        if rule.at_least is None and rule.at_most is None:
            return rule.score
    raise ScoringError("the rules have no catch-all")


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def score_per_coach(rules: Iterable[Rule], values: Iterable[float]) -> tuple[int, float] | None:
    """Rate each coach, average the ratings, round to the nearest scale point.
    Returns (score, mean rating), or None with no coaches."""
    rules = tuple(rules)
    ratings = [score_measure(rules, value) for value in values]
    if not ratings:
        return None
    mean = sum(ratings) / len(ratings)
    return round_half_up(mean), mean


def score_checklist(item: Item, present: Iterable[str]) -> int:
    """The item score from the checklist elements present (unknown codes are refused)."""
    codes = {element.code for element in item.elements}
    present = set(present)
    if not present <= codes:
        raise ScoringError(f"unknown elements {sorted(present - codes)} for item {item.number}")
    count = len(present)
    for at_least, score in item.element_scores:
        if count >= at_least:
            return score
    raise ScoringError("the element scores have no 0 rule")


def differences(first: Mapping[int, int], second: Mapping[int, int]) -> set[int]:
    """Items the two reviewers scored differently (for the consensus screen)."""
    return {number for number in first if number in second and first[number] != second[number]}


GOOD_FIDELITY = 100


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(last_end: datetime.date | None, last_total: int | None) -> datetime.date | None:
    """THL's rule: review every 6 months until the total is 100 or more, then yearly.
    Counted from the end of the last finalised review's period."""
    if last_end is None:
        return None
    good = last_total is not None and last_total >= GOOD_FIDELITY
    return add_months(last_end, 12 if good else 6)
