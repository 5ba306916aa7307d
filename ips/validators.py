"""Validators for Finnish identifiers. Pure functions, tested without the database."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates typed into forms and spreadsheets must lie in this window: a date in year 1 or 9999 is
# a typo (or a probe), and would break date arithmetic downstream.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_YEARS_AHEAD = 2


def latest_date(today: datetime.date) -> datetime.date:
    """The latest plausible date: the same day two years ahead (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + LATEST_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + LATEST_YEARS_AHEAD, day=28)


# Century signs, including the additional signs in use since 1 January 2023.
CENTURY_SIGNS = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
PIC_PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$")


def pic_check_character(birth_digits: str, individual_number: str) -> str:
    """The check character for the nine digits DDMMYY + NNN (remainder modulo 31)."""
    return CHECK_CHARACTERS[int(birth_digits + individual_number) % 31]


def pic_birth_date(value: str) -> datetime.date:
    """Birth date encoded in a personal identity code that is already known to be valid."""
    match = PIC_PATTERN.match(value)
    if match is None:
        raise ValueError(value)
    day, month, year, sign = match.group(1, 2, 3, 4)
    return datetime.date(CENTURY_SIGNS[sign] + int(year), int(month), int(day))


def normalise_pic(value: str) -> str:
    return value.strip().upper()


def validate_personal_identity_code(value: str) -> None:
    """Validate a Finnish personal identity code (henkilötunnus).

    Checks the format, the century sign (including the signs added in 2023), that the birth
    date exists, and the check character.
    """
    value = normalise_pic(value)
    match = PIC_PATTERN.match(value)
    if match is None:
        raise ValidationError(
            _("Enter a personal identity code in the form DDMMYYCZZZQ, e.g. 131052-308T."),
            code="pic_format",
        )
    day, month, year, sign, individual, check = match.groups()
    try:
        datetime.date(CENTURY_SIGNS[sign] + int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("The personal identity code has an impossible birth date."), code="pic_date"
        ) from None
    if individual in {"000", "001"}:
        raise ValidationError(
            _("The personal identity code has an invalid individual number."),
            code="pic_individual",
        )
    if pic_check_character(day + month + year, individual) != check:
        raise ValidationError(
            _("The check character of the personal identity code is wrong. Check the code."),
            code="pic_checksum",
        )


def mask_pic(value: str) -> str:
    """Show only the birth date part: lists and timelines never show the full code."""
    if not value:
        return ""
    return f"{value[:7]}****"


BUSINESS_ID_PATTERN = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def normalise_business_id(value: str) -> str:
    """Trim, and pad an old six-digit business ID with a leading zero (123456-7 → 0123456-7)."""
    value = value.strip()
    if re.match(r"^\d{6}-\d$", value):
        value = "0" + value
    return value


def business_id_check_digit(digits: str) -> int | None:
    """Check digit of a Finnish business ID, or None where no check digit is possible."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value: str) -> None:
    """Validate a Finnish business ID (Y-tunnus): seven digits, a hyphen, a check digit."""
    match = BUSINESS_ID_PATTERN.match(normalise_business_id(value))
    if match is None:
        raise ValidationError(
            _("Enter a business ID in the form 1234567-8."), code="business_id_format"
        )
    digits, check = match.groups()
    if business_id_check_digit(digits) != int(check):
        raise ValidationError(
            _("The check digit of the business ID is wrong. Check the ID."),
            code="business_id_checksum",
        )
