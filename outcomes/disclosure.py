"""Small-cell suppression for aggregate tables shown to evaluators (pure functions).

Primary suppression hides every count from 1 to ``threshold - 1``. Secondary suppression then
makes sure a hidden cell cannot be worked out from a total: in every column that has a total,
if exactly one cell is hidden, the smallest other non-zero cell is hidden too. Rates whose
numerator or denominator is hidden are hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

SMALL_CELL = 5
HIDDEN = "<5"


def primary(values: Sequence[int], threshold: int = SMALL_CELL) -> list[bool]:
    return [0 < value < threshold for value in values]


def suppress_column(
    values: Sequence[int], threshold: int = SMALL_CELL, has_total: bool = True
) -> list[bool]:
    """Which cells of a column to hide (True = hidden)."""
    hidden = primary(values, threshold)
    if has_total and sum(hidden) == 1:
        candidates = [
            (value, index) for index, value in enumerate(values) if not hidden[index] and value > 0
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
    return hidden


def suppress_table(
    rows: list[dict], columns: Sequence[str], threshold: int = SMALL_CELL
) -> list[dict]:
    """A copy of the rows with small cells (and their secondary partners) replaced by "<5".
    Each column is treated as having a total (the totals row the page shows)."""
    masks = {
        column: suppress_column([row[column] for row in rows], threshold) for column in columns
    }
    result = []
    for index, row in enumerate(rows):
        shown = dict(row)
        for column in columns:
            if masks[column][index]:
                shown[column] = HIDDEN
        result.append(shown)
    return result


def shown(value: int, threshold: int = SMALL_CELL) -> int | str:
    """A single count (a total, a group size) as it may be shown."""
    return HIDDEN if 0 < value < threshold else value
