"""Outcome measures as pure functions over pandas DataFrames.

The frames are built by ``outcomes.queries`` from scoped querysets; here nothing touches the
database, so every measure is tested on small hand-built frames.

Frames and their columns:

* ``episodes``: episode_id, client_id, team_id, coach_id, accepted_date, discharge_date,
  discharge_reason, employment_status_at_entry, first_contact_date (first face-to-face employer
  contact naming the client on or after entry, or NaT)
* ``jobs``: job_id, episode_id, activity, is_competitive, start_date, first_paid_day,
  end_date, hours_per_week
* ``education``: episode_id, start_date

Non-competitive activities (work trials, rehabilitative work activity) never count as jobs:
every job measure starts from ``competitive_jobs``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

BENCHMARKS = {"minimal": 31.0, "average": 41.0, "excellent": 50.0}
RETENTION_DAYS = 90
PAID_HOURS_FOR_A_START = 4


@dataclass(frozen=True)
class Definition:
    """A versioned definition of the quarterly competitive-employment rate."""

    code: str
    label: str
    description: str
    out_of_work_only: bool
    four_hour_rule: bool


DEFINITIONS = {
    "iplc": Definition(
        code="iplc",
        label=_("IPS Learning Community"),
        description=_(
            "Clients who worked in a competitive job at any time in the quarter, divided by "
            "all clients served in the quarter (on the caseload at any time in it)."
        ),
        out_of_work_only=False,
        four_hour_rule=False,
    ),
    "ipsgrow2024": Definition(
        code="ipsgrow2024",
        label=_("IPS Grow 2024"),
        description=_(
            "Only clients out of work at entry are counted, in the numerator and the "
            "denominator; a job counts from the day its paid hours reach 4."
        ),
        out_of_work_only=True,
        four_hour_rule=True,
    ),
}
DEFAULT_DEFINITION = "iplc"


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str) -> Quarter | None:
        """``2026Q3`` → Quarter(2026, 3); None for anything else."""
        value = value.strip().upper()
        if len(value) != 6 or value[4] != "Q" or not value[:4].isdigit() or value[5] not in "1234":
            return None
        return cls(int(value[:4]), int(value[5]))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    result, quarter = [], first
    while (quarter.year, quarter.number) <= (last.year, last.number):
        result.append(quarter)
        quarter = quarter.next()
    return result


def _ts(day: datetime.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def counted_from(jobs: pd.DataFrame, four_hour_rule: bool) -> pd.Series:
    """The date from which each job counts as a job start.

    Without the rule, the start date. With IPS Grow's rule, the day the job's paid hours reach
    4, assuming the weekly hours are spread evenly over the week from the first paid day
    (the start date when no first paid day is recorded). A job that ended before reaching 4
    paid hours never counts (NaT).
    """
    if not four_hour_rule:
        return jobs["start_date"]
    first_paid = jobs["first_paid_day"].fillna(jobs["start_date"])
    hours_per_day = jobs["hours_per_week"].astype(float) / 7
    days_needed = np.ceil(PAID_HOURS_FOR_A_START / hours_per_day) - 1
    reached = first_paid + pd.to_timedelta(days_needed, unit="D")
    never = jobs["end_date"].notna() & (reached > jobs["end_date"])
    return reached.mask(never)


def competitive_jobs(jobs: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """Competitive jobs only, with ``counted_from`` per the definition (uncounted dropped).

    Each measure below starts from this; the ones that need it more than once (the quarterly
    table, the breakdown, retention) compute it once and pass it to private helpers."""
    competitive = jobs[jobs["is_competitive"].astype(bool)]
    counted = counted_from(competitive, definition.four_hour_rule)
    keep = counted.notna()
    return competitive[keep].assign(counted_from=counted[keep])


def served_in(episodes: pd.DataFrame, start: datetime.date, end: datetime.date) -> pd.DataFrame:
    """Episodes on the caseload at any time between start and end (inclusive)."""
    accepted = episodes["accepted_date"].notna() & (episodes["accepted_date"] <= _ts(end))
    not_gone = episodes["discharge_date"].isna() | (episodes["discharge_date"] >= _ts(start))
    return episodes[accepted & not_gone]


def _denominator(episodes: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    if definition.out_of_work_only:
        return episodes[episodes["employment_status_at_entry"] == "out_of_work"]
    return episodes


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


def employment_rate(
    episodes: pd.DataFrame,
    jobs: pd.DataFrame,
    start: datetime.date,
    end: datetime.date,
    definition: Definition,
) -> Rate:
    """Clients who worked competitively at any time in [start, end] / clients served in it."""
    return _rate(episodes, competitive_jobs(jobs, definition), start, end, definition)


def _working_ids(counted: pd.DataFrame, start: datetime.date, end: datetime.date) -> pd.Series:
    """Episodes with a counted competitive job at any time in [start, end]."""
    return counted["episode_id"][
        (counted["counted_from"] <= _ts(end))
        & (counted["end_date"].isna() | (counted["end_date"] >= _ts(start)))
    ]


def _rate(
    episodes: pd.DataFrame,
    counted: pd.DataFrame,
    start: datetime.date,
    end: datetime.date,
    definition: Definition,
) -> Rate:
    served = _denominator(served_in(episodes, start, end), definition)
    working = _working_ids(counted, start, end)
    return Rate(working[working.isin(served["episode_id"])].nunique(), len(served))


def job_starts(
    jobs: pd.DataFrame, start: datetime.date, end: datetime.date, definition: Definition
) -> pd.DataFrame:
    """Competitive job starts counted in [start, end]."""
    return _starts(competitive_jobs(jobs, definition), start, end)


def _starts(counted: pd.DataFrame, start: datetime.date, end: datetime.date) -> pd.DataFrame:
    return counted[(counted["counted_from"] >= _ts(start)) & (counted["counted_from"] <= _ts(end))]


def clients_into_work(
    jobs: pd.DataFrame, start: datetime.date, end: datetime.date, definition: Definition
) -> int:
    """Clients whose first competitive job start (ever, in the episode) falls in [start, end]."""
    return _into_work(_first_counted(competitive_jobs(jobs, definition)), start, end)


def _first_counted(counted: pd.DataFrame) -> pd.Series:
    """Each episode's first counted competitive job start."""
    return counted.groupby("episode_id")["counted_from"].min()


def _into_work(first: pd.Series, start: datetime.date, end: datetime.date) -> int:
    return int(((first >= _ts(start)) & (first <= _ts(end))).sum())


def education_starts(education: pd.DataFrame, start: datetime.date, end: datetime.date) -> int:
    return int(
        ((education["start_date"] >= _ts(start)) & (education["start_date"] <= _ts(end))).sum()
    )


def median_days_to_first_employer_contact(
    episodes: pd.DataFrame, start: datetime.date, end: datetime.date
) -> tuple[float | None, int]:
    """Median days from entry to the first face-to-face employer contact, for clients who
    entered in [start, end] and have had one. Returns (median, number of clients)."""
    entered = episodes[
        (episodes["accepted_date"] >= _ts(start)) & (episodes["accepted_date"] <= _ts(end))
    ]
    days = (entered["first_contact_date"] - entered["accepted_date"]).dt.days.dropna()
    return (float(days.median()) if len(days) else None), len(days)


def median_days_to_first_job(
    episodes: pd.DataFrame,
    jobs: pd.DataFrame,
    start: datetime.date,
    end: datetime.date,
    definition: Definition,
) -> tuple[float | None, int]:
    """Median days from entry to the first competitive job start, for clients who entered in
    [start, end] and have started one."""
    entered = episodes[
        (episodes["accepted_date"] >= _ts(start)) & (episodes["accepted_date"] <= _ts(end))
    ]
    first = competitive_jobs(jobs, definition).groupby("episode_id")["counted_from"].min()
    merged = entered.set_index("episode_id").join(first.rename("first_job"), how="inner")
    days = (merged["first_job"] - merged["accepted_date"]).dt.days
    return (float(days.median()) if len(days) else None), len(days)


def kaplan_meier_median(durations: list[float], ended: list[bool]) -> float | None:
    """Median survival time by the Kaplan–Meier product-limit estimator.

    ``ended`` is False for ongoing (right-censored) jobs. The median is the first time at
    which the estimated share still in the job falls to 0.5 or below; None when it never does
    (more than half still working at the longest follow-up).
    """
    pairs = sorted(zip(durations, ended, strict=True))
    at_risk = len(pairs)
    survival = 1.0
    index = 0
    while index < len(pairs):
        time = pairs[index][0]
        events = censored = 0
        while index < len(pairs) and pairs[index][0] == time:
            if pairs[index][1]:
                events += 1
            else:
                censored += 1
            index += 1
        if events:
            survival *= 1 - events / at_risk
            if survival <= 0.5:
                return time
        at_risk -= events + censored
    return None


def first_job_tenure_weeks(
    jobs: pd.DataFrame, as_of: datetime.date, definition: Definition
) -> tuple[float | None, int]:
    """Median weeks in the first competitive job (Kaplan–Meier; ongoing jobs censored at
    ``as_of``). Returns (median weeks, number of first jobs)."""
    counted = competitive_jobs(jobs, definition)
    counted = counted[counted["start_date"] <= _ts(as_of)]
    first = counted.sort_values("start_date").groupby("episode_id").head(1)
    if first.empty:
        return None, 0
    stop = first["end_date"].where(
        first["end_date"].notna() & (first["end_date"] <= _ts(as_of)), _ts(as_of)
    )
    weeks = ((stop - first["start_date"]).dt.days / 7).round(1).tolist()
    ended = (first["end_date"].notna() & (first["end_date"] <= _ts(as_of))).tolist()
    return kaplan_meier_median(weeks, ended), len(first)


def still_working_after(
    jobs: pd.DataFrame,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    definition: Definition,
    days: int = RETENTION_DAYS,
) -> Rate:
    """Of the clients who started a competitive job in [start, end] at least ``days`` before
    ``as_of``, the share in a competitive job (that one or another) ``days`` after the start."""
    counted = competitive_jobs(jobs, definition)
    starts = _starts(counted, start, end)
    first = starts.sort_values("start_date").groupby("episode_id").head(1)
    first = first[first["start_date"] + pd.Timedelta(days=days) <= _ts(as_of)]
    checks = pd.DataFrame(
        {"episode_id": first["episode_id"], "check": first["start_date"] + pd.Timedelta(days=days)}
    )
    pairs = checks.merge(counted[["episode_id", "start_date", "end_date"]], on="episode_id")
    holding = pairs[
        (pairs["start_date"] <= pairs["check"])
        & (pairs["end_date"].isna() | (pairs["end_date"] >= pairs["check"]))
    ]
    return Rate(holding["episode_id"].nunique(), len(first))


def discharges_by_reason(
    episodes: pd.DataFrame, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    discharged = episodes[
        (episodes["discharge_date"] >= _ts(start)) & (episodes["discharge_date"] <= _ts(end))
    ]
    return {str(k): int(v) for k, v in discharged["discharge_reason"].value_counts().items()}


@dataclass(frozen=True)
class QuarterRow:
    quarter: Quarter
    served: int
    working: int
    rate: float | None
    into_work: int
    job_starts: int
    education_starts: int


def quarterly_table(
    episodes: pd.DataFrame,
    jobs: pd.DataFrame,
    education: pd.DataFrame,
    quarters: list[Quarter],
    definition: Definition,
) -> list[QuarterRow]:
    """One row per quarter. The competitive jobs, their counting dates and each episode's
    first start are worked out once for all the quarters, not once per quarter and measure."""
    counted = competitive_jobs(jobs, definition)
    first = _first_counted(counted)
    rows = []
    for quarter in quarters:
        rate = _rate(episodes, counted, quarter.start, quarter.end, definition)
        rows.append(
            QuarterRow(
                quarter=quarter,
                served=rate.denominator,
                working=rate.numerator,
                rate=rate.percent,
                into_work=_into_work(first, quarter.start, quarter.end),
                job_starts=len(_starts(counted, quarter.start, quarter.end)),
                education_starts=education_starts(education, quarter.start, quarter.end),
            )
        )
    return rows


@dataclass(frozen=True)
class GroupRow:
    group: str
    served: int
    working: int
    rate: float | None
    job_starts: int


def breakdown(
    episodes: pd.DataFrame,
    jobs: pd.DataFrame,
    groups: pd.DataFrame,
    start: datetime.date,
    end: datetime.date,
    definition: Definition,
) -> list[GroupRow]:
    """The rate and job starts over [start, end] per group. ``groups`` maps episode_id to a
    group label (one row per membership: an episode in two target groups counts in both).
    Each episode's flags are computed once, then summed per group."""
    served = _denominator(served_in(episodes, start, end), definition)
    counted = competitive_jobs(jobs, definition)
    working_ids = _working_ids(counted, start, end)
    started = _starts(counted, start, end).groupby("episode_id").size()
    flags = groups.assign(
        served=groups["episode_id"].isin(served["episode_id"]),
        working=groups["episode_id"].isin(served["episode_id"])
        & groups["episode_id"].isin(working_ids),
        job_starts=groups["episode_id"].map(started).fillna(0).astype(int),
    )
    totals = flags.groupby("group")[["served", "working", "job_starts"]].sum()
    return [
        GroupRow(
            group=str(label),
            served=int(row.served),
            working=int(row.working),
            rate=Rate(int(row.working), int(row.served)).percent,
            job_starts=int(row.job_starts),
        )
        for label, row in totals.sort_index().iterrows()
    ]
