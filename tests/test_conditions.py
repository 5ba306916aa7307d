"""``ips.conditions`` evaluates check constraints in Python; it must agree with the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ips import conditions
from ips.models.constraints import CheckConstraint

DATES = [None, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1), datetime.date(2026, 1, 1)]
NUMBERS = [None, -1, 0, 1, 2, 3, 5, 6, 80, 81, 1440, 1441, 1899, 1900, 2100, 2101]


def test_three_valued_logic_like_sql():
    assert conditions.evaluate(Q(a__gt=1), {"a": 2}) is True
    assert conditions.evaluate(Q(a__gt=1), {"a": None}) is None
    assert conditions.evaluate(Q(a__gt=1) & Q(b=1), {"a": None, "b": 2}) is False
    assert conditions.evaluate(Q(a__gt=1) | Q(b=1), {"a": None, "b": 1}) is True
    assert conditions.evaluate(~Q(a__gt=1), {"a": None}) is None
    assert conditions.evaluate(Q(a__isnull=True) | Q(a__gte=F("b")), {"a": 3, "b": 2}) is True
    assert conditions.evaluate(Q(a=None), {"a": None}) is True


def test_a_check_passes_unless_its_condition_is_false():
    assert conditions.passes(Q(a__gt=1), {"a": None}) is True
    assert conditions.passes(Q(a__gt=1), {"a": 0}) is False


@pytest.mark.parametrize(
    "condition",
    [Q(a__in=[1, 2]), Q(a__b__gt=1), Q(c=1), Q(a__gt=F("c")), Q(a__gt=models.Value(1))],
)
def test_what_it_does_not_model_is_left_to_the_database(condition):
    with pytest.raises(conditions.Unsupported):
        conditions.evaluate(condition, {"a": 1})


def _constraints():
    found = []
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                found.append((model, constraint))
    return found


CHECKS = _constraints()


def test_every_check_constraint_of_ours_validates_in_python():
    ours = [(m, c) for m, c in CHECKS if m._meta.app_label in {"ips", "fidelity", "outcomes"}]

    assert ours
    assert all(isinstance(c, CheckConstraint) for _m, c in ours)


def _pool(field):
    if isinstance(field, models.DateField):
        return DATES
    if isinstance(field, models.DecimalField):
        return [None if n is None else Decimal(n) for n in NUMBERS]
    if isinstance(field, models.IntegerField | models.FloatField):
        return NUMBERS
    if isinstance(field, models.BooleanField):
        return [True, False]
    return ["", "x"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "constraint"),
    [(m, c) for m, c in CHECKS if isinstance(c, CheckConstraint)],
    ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_python_and_the_database_agree(model, constraint, data):
    fields = {f.name: f for f in model._meta.concrete_fields}
    referenced = {
        name
        for name in fields
        if name in str(constraint.condition)  # the condition's fields
    }
    values = {
        name: data.draw(st.sampled_from(_pool(fields[name])), label=name) for name in referenced
    }
    instance = model(**values)

    try:
        models.CheckConstraint.validate(constraint, model, instance)  # Django asks the database
        database = True
    except ValidationError:
        database = False
    try:
        constraint.validate(model, instance)  # ours, in Python
        python = True
    except ValidationError:
        python = False

    assert python == database, values
