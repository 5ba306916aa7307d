"""URL converters. ``<id:…>`` is a database id: 1 to 18 digits, so it always fits a 64-bit
integer column; anything longer is a 404 before a view runs (SQLite raises OverflowError on
larger integers, PostgreSQL a DataError)."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
