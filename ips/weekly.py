"""Weekly figures for the coach's and the lead's week, as pure functions.

Weeks are ISO weeks (Monday to Sunday) in the Europe/Helsinki calendar: a contact logged on a
Sunday evening in Helsinki belongs to that week even if it is already Monday in UTC.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

CASELOAD_LIMIT = 20
EMPLOYER_CONTACT_TARGET = 6
DAYS_TO_FIRST_EMPLOYER_CONTACT = 30
ONE_WEEK = datetime.timedelta(weeks=1)
WEEK_LAST_DAY = datetime.timedelta(days=6)  # Sunday, counted from Monday
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week of ``day``."""
    return day - datetime.timedelta(days=day.isoweekday() - 1)


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str) -> datetime.date | None:
    """The Monday of an ISO week written as ``2026-W48``; None if it is not one."""
    match = WEEK_PATTERN.match(value.strip())
    if match is None or not 2000 <= int(match[1]) <= 2100:
        return None
    try:
        return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def last_weeks(today: datetime.date, count: int) -> list[datetime.date]:
    """Mondays of the last ``count`` ISO weeks, oldest first, ending with this week."""
    this_week = week_start(today)
    return [this_week - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class WeekCount:
    monday: datetime.date
    count: int
    target: int

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def met(self) -> bool:
        return self.count >= self.target


def weekly_counts(
    dates: Iterable[datetime.date], weeks: list[datetime.date], target: int
) -> list[WeekCount]:
    """Count dates per ISO week for the given Mondays (dates outside them are ignored)."""
    per_week = Counter(week_start(day) for day in dates)
    return [WeekCount(monday, per_week.get(monday, 0), target) for monday in weeks]


def waiting_for_first_employer_contact(
    entry_date: datetime.date | None,
    first_contact: datetime.date | None,
    today: datetime.date,
) -> bool:
    """True when a client entered more than 30 days ago and has had no face-to-face employer
    contact yet (fidelity item 15: rapid job search)."""
    if entry_date is None or first_contact is not None:
        return False
    return (today - entry_date).days > DAYS_TO_FIRST_EMPLOYER_CONTACT


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    count: int
    met: bool


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    target_y: int
    bars: list[Bar]


def bar_chart(counts: list[WeekCount], *, width: int = 320, height: int = 120) -> BarChart:
    """Geometry of a small server-rendered SVG bar chart of weekly counts with a target line.
    Plain numbers only: the template draws it, with a table beside it as the text alternative.
    """
    top = max([c.count for c in counts] + [counts[0].target if counts else 1, 1])
    slot = width // max(len(counts), 1)
    scale = (height - 34) / top  # room for the value above the tallest bar
    bars = [
        Bar(
            x=i * slot + 4,
            y=height - 16 - round(c.count * scale),
            width=slot - 8,
            height=round(c.count * scale),
            label=c.label[-3:],
            count=c.count,
            met=c.met,
        )
        for i, c in enumerate(counts)
    ]
    target = counts[0].target if counts else 0
    return BarChart(width, height, height - 16 - round(target * scale), bars)
