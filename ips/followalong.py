"""Follow-along support timing (fidelity item 23), as pure functions over dates.

IPS expects face-to-face support contacts for a job:

* within a week before the start (days −7 … −1);
* within 3 days after the start (days 0 … 3);
* weekly in the first month: one in each of the weeks starting on days 0, 7, 14 and 21;
* then at least monthly: one in each 30-day period after day 28, while the job lasts;
* after the job ends, within 3 days (days 0 … 3 after the end date).

Each rule is a checkpoint with a window of dates. A checkpoint is *met* when a contact falls
inside its window, *due* while today is inside the window and nothing is logged yet,
*overdue* when the window has passed without a contact, and *upcoming* before the window opens.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

DAY = datetime.timedelta(days=1)
MONTHLY_PERIOD_DAYS = 30
FIRST_MONTH_WEEKS = 4
OVERDUE_SHOWN_DAYS = 14


class Status(StrEnum):
    MET = "met"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


STATUS_LABELS = {
    Status.MET: _("done"),
    Status.DUE: _("due"),
    Status.OVERDUE: _("overdue"),
    Status.UPCOMING: _("upcoming"),
}


@dataclass(frozen=True)
class Checkpoint:
    kind: str
    label: str
    opens: datetime.date
    closes: datetime.date  # inclusive
    status: Status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def needs_action(self) -> bool:
        return self.status in {Status.DUE, Status.OVERDUE}


def _status(opens, closes, contacts: list[datetime.date], today: datetime.date) -> Status:
    if any(opens <= day <= closes for day in contacts):
        return Status.MET
    if today < opens:
        return Status.UPCOMING
    if today <= closes:
        return Status.DUE
    return Status.OVERDUE


def checkpoints(
    *,
    start: datetime.date,
    end: datetime.date | None,
    contacts: Iterable[datetime.date],
    today: datetime.date,
) -> list[Checkpoint]:
    """All checkpoints of one job up to today (and the next upcoming one), oldest first."""
    days = sorted(contacts)
    windows: list[tuple[str, str, datetime.date, datetime.date]] = [
        ("before_start", str(_("Before the start")), start - 7 * DAY, start - DAY),
        ("after_start", str(_("Within 3 days of the start")), start, start + 3 * DAY),
    ]
    for week in range(FIRST_MONTH_WEEKS):
        opens = start + 7 * week * DAY
        windows.append(
            ("weekly", str(_("Week %(n)s of the job")) % {"n": week + 1}, opens, opens + 6 * DAY)
        )
    last_day = min(end, today) if end else today
    period = 0
    opens = start + 7 * FIRST_MONTH_WEEKS * DAY
    while opens <= last_day:
        closes = opens + (MONTHLY_PERIOD_DAYS - 1) * DAY
        if end is not None:
            closes = min(closes, end)
        windows.append(
            ("monthly", str(_("Month %(n)s of the job")) % {"n": period + 2}, opens, closes)
        )
        period += 1
        opens = start + (7 * FIRST_MONTH_WEEKS + MONTHLY_PERIOD_DAYS * period) * DAY
    if end is not None:
        # Checks that open after the job ended do not apply; those running at the end close
        # with it, so one contact after the end cannot count twice.
        windows = [(kind, label, o, min(c, end)) for kind, label, o, c in windows if o <= end]
        windows.append(("after_end", str(_("Within 3 days of the job ending")), end, end + 3 * DAY))

    result = [
        Checkpoint(kind, label, opens, closes, _status(opens, closes, days, today))
        for kind, label, opens, closes in windows
    ]
    # Keep the past and present, and only the first checkpoint still to come.
    upcoming = [c for c in result if c.status == Status.UPCOMING]
    return [c for c in result if c.status != Status.UPCOMING] + upcoming[:1]


def needing_action(items: list[Checkpoint], today: datetime.date) -> list[Checkpoint]:
    """What a coach should act on now: checkpoints that are due, and those missed within the
    last two weeks. Older misses stay in the job's history but no longer crowd the to-do list."""
    recent = today - OVERDUE_SHOWN_DAYS * DAY
    return [
        c
        for c in items
        if c.status == Status.DUE or (c.status == Status.OVERDUE and c.closes >= recent)
    ]
