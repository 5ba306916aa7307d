import datetime

import pytest
from django.core.exceptions import ValidationError

from ips.validators import (
    latest_date,
    mask_pic,
    pic_birth_date,
    pic_check_character,
    validate_personal_identity_code,
)


@pytest.mark.parametrize(
    "code",
    [
        "131052-308T",  # the Digital and Population Data Services Agency's example
        "131052+308T",  # born in the 1800s
        "010101A123N",
        "131052Y308T",  # 2023 signs for the 1900s
        "131052X308T",
        "131052W308T",
        "131052V308T",
        "131052U308T",
        "010101B123N",  # 2023 signs for the 2000s
        "010101F123N",
        "131052-308t",  # lower case is normalised
    ],
)
def test_valid_personal_identity_codes_pass(code):
    validate_personal_identity_code(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("131052-308U", "pic_checksum"),
        ("010101A123M", "pic_checksum"),
        ("131052G308T", "pic_format"),  # G is not a century sign
        ("131052Z308T", "pic_format"),
        ("1310523308T", "pic_format"),
        ("131052-308", "pic_format"),
        ("", "pic_format"),
        ("310252-308T", "pic_date"),  # 31 February
        ("131052-000T", "pic_individual"),
    ],
)
def test_invalid_personal_identity_codes_are_rejected_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as caught:
        validate_personal_identity_code(code)

    assert caught.value.code == error_code


def test_check_character_is_remainder_modulo_31():
    assert pic_check_character("131052", "308") == "T"
    assert pic_check_character("010101", "123") == "N"


def test_birth_date_follows_the_century_sign():
    assert pic_birth_date("131052-308T") == datetime.date(1952, 10, 13)
    assert pic_birth_date("131052+308T") == datetime.date(1852, 10, 13)
    assert pic_birth_date("010101B123N") == datetime.date(2001, 1, 1)
    assert pic_birth_date("131052Y308T") == datetime.date(1952, 10, 13)


def test_mask_hides_everything_after_the_century_sign():
    assert mask_pic("131052-308T") == "131052-****"
    assert mask_pic("") == ""


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (datetime.date(2026, 11, 28), datetime.date(2028, 11, 28)),
        (datetime.date(2028, 2, 29), datetime.date(2030, 2, 28)),
    ],
)
def test_latest_plausible_date_is_two_years_ahead_even_from_29_february(today, latest):
    assert latest_date(today) == latest
