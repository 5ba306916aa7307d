"""Weekly figures for the coach's and the lead's week, as pure functions.

Weeks are ISO weeks (Monday to Sunday) in the Europe/Helsinki calendar: a contact logged on a
Sunday evening in Helsinki belongs to that week even if it is already Monday in UTC.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

CASELOAD_LIMIT = 20
EMPLOYER_CONTACT_TARGET = 6
DAYS_TO_FIRST_EMPLOYER_CONTACT = 30


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week of ``day``."""
    return day - datetime.timedelta(days=day.isoweekday() - 1)


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


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
