"""Weekly figures: ISO weeks in the Helsinki calendar."""

import datetime
import zoneinfo

from ips.weekly import (
    last_weeks,
    waiting_for_first_employer_contact,
    week_label,
    week_start,
    weekly_counts,
)

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def test_week_starts_on_monday():
    assert week_start(datetime.date(2026, 11, 29)) == datetime.date(2026, 11, 23)  # Sunday
    assert week_start(datetime.date(2026, 11, 30)) == datetime.date(2026, 11, 30)  # Monday


def test_iso_week_label_across_the_new_year():
    # 1 January 2027 is a Friday, so it belongs to ISO week 53 of 2026.
    monday = week_start(datetime.date(2027, 1, 1))

    assert (monday, week_label(monday)) == (datetime.date(2026, 12, 28), "2026-W53")


def test_sunday_evening_in_helsinki_stays_in_that_week():
    utc = datetime.datetime(2026, 11, 29, 22, 30, tzinfo=datetime.UTC)  # Mon 00:30 in Helsinki?
    helsinki_day = utc.astimezone(HELSINKI).date()

    # 22:30 UTC on Sunday is 00:30 on Monday in Helsinki (UTC+2 in winter): the next week.
    assert helsinki_day == datetime.date(2026, 11, 30)
    assert week_start(helsinki_day) == datetime.date(2026, 11, 30)


def test_last_weeks_end_with_this_week():
    weeks = last_weeks(datetime.date(2026, 11, 28), 3)

    assert weeks == [
        datetime.date(2026, 11, 9),
        datetime.date(2026, 11, 16),
        datetime.date(2026, 11, 23),
    ]


def test_weekly_counts_per_iso_week_against_the_target():
    weeks = last_weeks(datetime.date(2026, 11, 28), 2)
    dates = [datetime.date(2026, 11, d) for d in (16, 22, 23, 24, 25, 26, 27, 29)] + [
        datetime.date(2026, 11, 1)
    ]

    counts = weekly_counts(dates, weeks, target=6)

    assert [(c.label, c.count, c.met) for c in counts] == [
        ("2026-W47", 2, False),
        ("2026-W48", 6, True),
    ]


def test_waiting_for_first_employer_contact_after_30_days():
    entry = datetime.date(2026, 1, 1)

    assert waiting_for_first_employer_contact(entry, None, datetime.date(2026, 1, 31)) is False
    assert waiting_for_first_employer_contact(entry, None, datetime.date(2026, 2, 1)) is True
    assert (
        waiting_for_first_employer_contact(
            entry, datetime.date(2026, 1, 5), datetime.date(2026, 3, 1)
        )
        is False
    )
    assert waiting_for_first_employer_contact(None, None, datetime.date(2026, 3, 1)) is False


def test_parse_week_accepts_iso_weeks_only():
    from ips.weekly import parse_week

    assert parse_week("2026-W48") == datetime.date(2026, 11, 23)
    assert parse_week("2026-W53") == datetime.date(2026, 12, 28)
    assert parse_week("2025-W53") is None  # 2025 has 52 ISO weeks
    assert parse_week("2026-W00") is None
    assert parse_week("2026-48") is None
    assert parse_week("<script>") is None
