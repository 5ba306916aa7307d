"""Evaluate a check constraint's condition on a model instance in Python, the way the database
would, so that validating a form or an imported row costs no query per constraint.

Django's ``CheckConstraint.validate()`` asks the database (``SELECT 1 WHERE <condition>``) for
every constraint of every instance: a spreadsheet import of 5,000 job starts made 30,000 such
queries. The conditions in this project are plain comparisons of a row's own fields
(``Q(end_date__gte=F("start_date"))``, ``Q(minutes__gt=0)``), which Python can evaluate with
SQL's three-valued logic: a comparison with NULL is unknown, and a check constraint passes
when its condition is true or unknown. Anything else (joins, other lookups, functions) raises
``Unsupported`` and the caller asks the database as before.

Pure: no database, no request. ``tests/test_conditions.py`` compares it with the database.
"""

from __future__ import annotations

from django.db.models import F, Q

LOOKUPS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


class Unsupported(Exception):
    """The condition uses something this evaluator does not model; ask the database."""


def evaluate(condition: Q, values: dict) -> bool | None:
    """True, False, or None (unknown, as SQL NULL) for ``condition`` over ``values``
    (field name → Python value; a missing field raises ``Unsupported``)."""
    results = [_child(child, values) for child in condition.children]
    if condition.connector == Q.AND:
        result = _and(results)
    elif condition.connector == Q.OR:
        result = _or(results)
    else:
        raise Unsupported(condition.connector)
    if condition.negated:
        return None if result is None else not result
    return result


def passes(condition: Q, values: dict) -> bool:
    """A check constraint holds when its condition is not false (true or unknown)."""
    return evaluate(condition, values) is not False


def _and(results: list[bool | None]) -> bool | None:
    if any(result is False for result in results):
        return False
    return None if any(result is None for result in results) else True


def _or(results: list[bool | None]) -> bool | None:
    if any(result is True for result in results):
        return True
    return None if any(result is None for result in results) else False


def _child(child, values: dict) -> bool | None:
    if isinstance(child, Q):
        return evaluate(child, values)
    if not isinstance(child, tuple) or len(child) != 2:
        raise Unsupported(child)
    path, expected = child
    name, _sep, lookup = path.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup or name not in values:
        raise Unsupported(path)
    actual = values[name]
    if lookup == "isnull":
        if not isinstance(expected, bool):
            raise Unsupported(path)
        return (actual is None) is expected
    if lookup not in LOOKUPS:
        raise Unsupported(path)
    if isinstance(expected, F):
        if expected.name not in values:
            raise Unsupported(expected.name)
        expected = values[expected.name]
    elif hasattr(expected, "resolve_expression"):
        raise Unsupported(expected)
    if lookup == "exact" and expected is None and not isinstance(child[1], F):
        return actual is None  # Q(field=None) means IS NULL
    if actual is None or expected is None:
        return None
    try:
        return bool(LOOKUPS[lookup](actual, expected))
    except TypeError as error:  # e.g. a value that failed its own conversion
        raise Unsupported(path) from error
