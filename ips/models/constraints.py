"""``CheckConstraint`` that validates in Python when it can (``ips.conditions``), instead of one
``SELECT`` per constraint per instance. The database still enforces every constraint; this only
changes how ``full_clean()`` finds a violation first. Migrations see Django's own class."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.constants import LOOKUP_SEP

from ips import conditions


class CheckConstraint(models.CheckConstraint):
    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self._expression_refs_exclude(model, self.condition, exclude):
            return
        values = {
            field.name: getattr(instance, field.attname)
            for field in model._meta.concrete_fields
            if LOOKUP_SEP not in field.name and not field.generated  # computed by the database
        }
        try:
            holds = conditions.passes(self.condition, values)
        except conditions.Unsupported:
            return super().validate(model, instance, exclude=exclude, using=using)
        if not holds:
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs
