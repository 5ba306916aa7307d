"""Fidelity arithmetic: every threshold boundary of every numeric item, both sides of every
band cut-off, checklists, and THL's review interval. Thresholds are read from the scale data,
so a new scale version is tested the same way."""

import datetime

import pytest

from fidelity import scoring
from fidelity.scale import SCALES_DIR, ScaleError, get_scale, parse_scale

SCALE = get_scale("ips25-2019")
SCALE_FILE = SCALES_DIR / "ips25_2019.json"
NUMERIC = [item for item in SCALE.items if item.kind == "numeric"]


def _boundaries(item):
    """(value, expected score) pairs on both sides of every threshold of the item."""
    cases = []
    for rule in item.measure.rules:
        if rule.at_least is not None:
            cases += [(rule.at_least, rule.score), (rule.at_least - 0.1, None)]
        if rule.at_most is not None:
            cases += [(rule.at_most, rule.score), (rule.at_most + 0.1, None)]
    return cases


def _expected_below(item, value):
    """The score of a value just past a boundary: the next rule that matches it."""
    return next(
        rule.score
        for rule in item.measure.rules
        if rule.denominator_below is None
        and (
            (rule.at_least is not None and value >= rule.at_least)
            or (rule.at_most is not None and value <= rule.at_most)
            or (rule.at_least is None and rule.at_most is None)
        )
    )


# The published thresholds, written out by hand so the data file is checked against them.
EXPECTED = {
    1: [(20, 5), (20.1, 4), (25, 4), (25.1, 3), (30, 3), (30.1, 2), (40, 2), (40.1, 1), (0, 5)],
    2: [(96, 5), (95.9, 4), (90, 4), (89.9, 3), (75, 3), (74.9, 2), (60, 2), (59.9, 1)],
    15: [(30, 5), (30.1, 4), (60, 4), (60.1, 3), (150, 3), (150.1, 2), (270, 2), (270.1, 1)],
    16: [(90, 5), (89.9, 4), (75, 4), (74.9, 3), (50, 3), (49.9, 2), (25, 2), (24.9, 1)],
    17: [(6, 5), (5.9, 4), (5, 4), (4.9, 3), (4, 3), (3.9, 2), (2, 2), (1.9, 1)],
    19: [(85, 5), (84.9, 4), (70, 4), (69.9, 3), (60, 3), (59.9, 2), (50, 2), (49.9, 1)],
    20: [(85, 5), (84.9, 4), (70, 4), (69.9, 3), (60, 3), (59.9, 2), (50, 2), (49.9, 1)],
    21: [(95, 5), (94.9, 4), (85, 4), (84.9, 3), (75, 3), (74.9, 2), (64, 2), (63.9, 1)],
    23: [(90, 5), (89.9, 4), (75, 4), (74.9, 3), (50, 3), (49.9, 2), (25, 2), (24.9, 1)],
    24: [(65, 5), (64.9, 4), (50, 4), (49.9, 3), (40, 3), (39.9, 2), (30, 2), (29.9, 1)],
}


def test_the_numeric_items_are_the_expected_ones():
    assert [item.number for item in NUMERIC] == sorted(EXPECTED)


@pytest.mark.parametrize(
    ("number", "value", "score"),
    [(number, value, score) for number, cases in EXPECTED.items() for value, score in cases],
)
def test_published_threshold(number, value, score):
    item = SCALE.item(number)

    assert scoring.score_measure(item.measure.rules, value, denominator=50) == score


@pytest.mark.parametrize("item", NUMERIC, ids=lambda item: f"item{item.number}")
def test_both_sides_of_every_threshold_in_the_data(item):
    for value, score in _boundaries(item):
        expected = score if score is not None else _expected_below(item, value)
        assert scoring.score_measure(item.measure.rules, value, denominator=50) == expected


def test_competitive_jobs_with_fewer_than_ten_jobs_score_1():
    rules = SCALE.item(21).measure.rules

    assert scoring.score_measure(rules, 100, denominator=9) == 1
    assert scoring.score_measure(rules, 100, denominator=10) == 5


def test_nothing_measured_gives_no_suggestion():
    assert scoring.score_measure(SCALE.item(1).measure.rules, None) is None


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (125, "exemplary"),
        (115, "exemplary"),
        (114, "good"),
        (100, "good"),
        (99, "fair"),
        (74, "fair"),
        (73, "not_ips"),
        (25, "not_ips"),
    ],
)
def test_band_cut_offs(total, band):
    assert scoring.band_for(SCALE, total).code == band


def test_total_and_band_of_a_complete_review():
    scores = dict.fromkeys(SCALE.numbers, 4)
    scores[1] = 5

    result = scoring.total_and_band(SCALE, scores)

    assert (result.total, result.band.code) == (101, "good")


def test_no_total_while_any_item_is_unscored():
    scores = dict.fromkeys(SCALE.numbers, 5)
    scores[13] = None

    assert scoring.total_and_band(SCALE, scores) is None
    assert scoring.total_and_band(SCALE, {1: 5}) is None


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3"])
def test_scores_outside_1_to_5_are_refused(bad):
    scores = dict.fromkeys(SCALE.numbers, 3)
    scores[2] = bad

    with pytest.raises(scoring.ScoringError):
        scoring.total_and_band(SCALE, scores)


def test_per_coach_rating_is_averaged_then_rounded():
    rules = SCALE.item(17).measure.rules

    # Coaches at 6, 4 and 2 contacts a week rate 5, 3 and 2: mean 3.33 → 3.
    assert scoring.score_per_coach(rules, [6, 4, 2]) == (3, pytest.approx(10 / 3))
    # 5 and 4 rate 4 and 3: mean 3.5 rounds half up to 4.
    assert scoring.score_per_coach(rules, [5, 4])[0] == 4
    assert scoring.score_per_coach(rules, []) is None


@pytest.mark.parametrize(
    ("number", "present", "score"),
    [
        (5, "abcde", 5),
        (5, "abcd", 4),
        (5, "abc", 3),
        (5, "ab", 2),
        (5, "a", 1),
        (5, "", 1),
        (13, "abcd", 5),
        (13, "abc", 4),
        (13, "ab", 3),
        (13, "a", 2),
        (13, "", 1),
        (25, "abcdef", 5),
        (25, "abcde", 4),
        (25, "abcd", 3),
        (25, "abc", 2),
        (25, "ab", 1),
    ],
)
def test_checklist_score_follows_the_elements_present(number, present, score):
    assert scoring.score_checklist(SCALE.item(number), list(present)) == score


def test_unknown_checklist_element_is_refused():
    with pytest.raises(scoring.ScoringError):
        scoring.score_checklist(SCALE.item(5), ["z"])


@pytest.mark.parametrize(
    ("last_end", "total", "due"),
    [
        (datetime.date(2026, 6, 30), 99, datetime.date(2026, 12, 30)),
        (datetime.date(2026, 6, 30), 100, datetime.date(2027, 6, 30)),
        (datetime.date(2026, 8, 31), 80, datetime.date(2027, 2, 28)),
        (None, None, None),
    ],
)
def test_next_review_due_follows_thl(last_end, total, due):
    assert scoring.next_review_due(last_end, total) == due


def test_a_scale_without_full_band_coverage_is_refused():
    import json

    data = json.loads((SCALE_FILE).read_text(encoding="utf-8"))
    data["bands"][0]["min"] = 116

    with pytest.raises(ScaleError):
        parse_scale(data)


def test_differences_between_reviewers():
    assert scoring.differences({1: 5, 2: 3, 3: 4}, {1: 5, 2: 4, 3: 2}) == {2, 3}
