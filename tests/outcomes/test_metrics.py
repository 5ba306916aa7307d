"""Outcome measures on a small hand-built dataset; expected values are worked out here.

The data (all in 2026):

episode  status at entry    accepted   discharged        jobs
E1       out of work        10 Jan     –                 J1 competitive 1 Mar – 15 May
                                                         (spans Q1 and Q2)
E2       out of work        1 Feb      –                 J2 work trial 1 Feb – 28 Feb (never a job)
E3       out of work        1 Feb      20 Mar (moved)    J3 competitive, 2 h/week, 10 Mar – 12 Mar
                                                         (under 4 paid hours: counts for IPLC only)
E4       in work at entry   5 Jan      –                 J4 competitive 15 Jan – ongoing
E5       out of work        1 Apr      –                 –
"""

import datetime

import pandas as pd
import pytest

from outcomes import metrics
from outcomes.metrics import DEFINITIONS, Quarter

IPLC = DEFINITIONS["iplc"]
GROW = DEFINITIONS["ipsgrow2024"]
Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)


def d(month, day):
    return pd.Timestamp(2026, month, day)


@pytest.fixture
def episodes():
    return pd.DataFrame(
        [
            (1, "out_of_work", d(1, 10), pd.NaT, "", d(1, 20)),
            (2, "out_of_work", d(2, 1), pd.NaT, "", pd.NaT),
            (3, "out_of_work", d(2, 1), d(3, 20), "moved", d(2, 11)),
            (4, "in_work_at_risk", d(1, 5), pd.NaT, "", pd.NaT),
            (5, "out_of_work", d(4, 1), pd.NaT, "", d(5, 1)),
        ],
        columns=[
            "episode_id",
            "employment_status_at_entry",
            "accepted_date",
            "discharge_date",
            "discharge_reason",
            "first_contact_date",
        ],
    )


@pytest.fixture
def jobs():
    return pd.DataFrame(
        [
            (1, 1, "job", True, d(3, 1), d(3, 1), d(5, 15), 20.0),
            (2, 2, "work_trial", False, d(2, 1), pd.NaT, d(2, 28), 20.0),
            (3, 3, "job", True, d(3, 10), d(3, 10), d(3, 12), 2.0),
            (4, 4, "job", True, d(1, 15), d(1, 15), pd.NaT, 30.0),
        ],
        columns=[
            "job_id",
            "episode_id",
            "activity",
            "is_competitive",
            "start_date",
            "first_paid_day",
            "end_date",
            "hours_per_week",
        ],
    )


@pytest.fixture
def education():
    return pd.DataFrame([(5, d(5, 10))], columns=["episode_id", "start_date"])


def test_learning_community_rate_per_quarter(episodes, jobs):
    # Q1: served E1–E4 (E5 not yet accepted) = 4; working E1 (from 1 Mar), E3 (10–12 Mar),
    # E4 = 3. The work trial of E2 never counts. 3 / 4 = 75 %.
    q1 = metrics.employment_rate(episodes, jobs, Q1.start, Q1.end, IPLC)
    # Q2: served E1, E2, E4, E5 (E3 left on 20 Mar) = 4; working E1 (until 15 May), E4 = 2.
    q2 = metrics.employment_rate(episodes, jobs, Q2.start, Q2.end, IPLC)

    assert (q1.numerator, q1.denominator, q1.percent) == (3, 4, 75.0)
    assert (q2.numerator, q2.denominator, q2.percent) == (2, 4, 50.0)


def test_ips_grow_rate_excludes_in_work_clients_and_short_jobs(episodes, jobs):
    # Q1 denominator: out of work at entry and served = E1, E2, E3 = 3 (E4 was in work).
    # J3 had 2 h/week for 3 days: about 0.9 paid hours, never 4 → E3 does not count.
    # Numerator: E1 only. 1 / 3 = 33.3 %.
    q1 = metrics.employment_rate(episodes, jobs, Q1.start, Q1.end, GROW)

    assert (q1.numerator, q1.denominator, q1.percent) == (1, 3, 33.3)


def test_four_hour_rule_counts_from_the_day_four_paid_hours_are_reached(jobs):
    # J1: 20 h/week = 2.86 h/day → 4 h on the 2nd paid day (2 Mar).
    # J4: 30 h/week = 4.29 h/day → on the first paid day.
    counted = metrics.counted_from(jobs, four_hour_rule=True)

    assert counted[0] == d(3, 2)
    assert pd.isna(counted[2])  # J3 ended before 4 paid hours
    assert counted[3] == d(1, 15)


def test_job_starts_and_clients_into_work(episodes, jobs, education):
    # IPLC Q1 starts: J1 (1 Mar), J3 (10 Mar), J4 (15 Jan) = 3; the work trial does not count.
    assert len(metrics.job_starts(jobs, Q1.start, Q1.end, IPLC)) == 3
    assert metrics.clients_into_work(jobs, Q1.start, Q1.end, IPLC) == 3
    # Grow: J3 never counts → 2.
    assert len(metrics.job_starts(jobs, Q1.start, Q1.end, GROW)) == 2
    assert metrics.education_starts(education, Q2.start, Q2.end) == 1
    assert metrics.education_starts(education, Q1.start, Q1.end) == 0


def test_median_days_to_first_employer_contact(episodes):
    # Entered in Q1 with a contact: E1 10 days, E3 10 days → median 10 (E2, E4 have none).
    assert metrics.median_days_to_first_employer_contact(episodes, Q1.start, Q1.end) == (10.0, 2)
    # Over the half year E5 adds 30 days: median of (10, 10, 30) = 10.
    assert metrics.median_days_to_first_employer_contact(episodes, Q1.start, Q2.end) == (10.0, 3)


def test_median_days_to_first_job(episodes, jobs):
    # E1 50 days (10 Jan → 1 Mar), E3 37 days, E4 10 days → median 37.
    assert metrics.median_days_to_first_job(episodes, jobs, Q1.start, Q1.end, IPLC) == (37.0, 3)


def test_kaplan_meier_median_with_censoring():
    # Times 2, 4 (ended), 6 (ongoing), 8 (ended): S = 3/4 at 2, 2/4 at 4 → median 4.
    assert metrics.kaplan_meier_median([2, 4, 6, 8], [True, True, False, True]) == 4
    # A job censored at 1 leaves 2 at risk: the event at 5 takes S to 1/2 → median 5.
    assert metrics.kaplan_meier_median([1, 5, 9], [False, True, True]) == 5
    # Censoring among the events: 2 (ended), 3 (ongoing), 4 (ended), 10 (ended):
    # S = 3/4 at 2; at 4, 2 at risk, 1 event → 3/4 × 1/2 = 0.375 → median 4.
    assert metrics.kaplan_meier_median([2, 3, 4, 10], [True, False, True, True]) == 4
    # More than half still working → no median.
    assert metrics.kaplan_meier_median([3, 10, 12], [True, False, False]) is None


def test_first_job_tenure(jobs):
    # As of 30 Jun: J1 ended after 75 days = 10.7 weeks; J3 after 2 days = 0.3 weeks;
    # J4 ongoing 166 days = 23.7 weeks (censored). KM: S = 2/3 at 0.3, 1/3 at 10.7 → 10.7.
    assert metrics.first_job_tenure_weeks(jobs, datetime.date(2026, 6, 30), IPLC) == (10.7, 3)


def test_still_working_90_days_after_the_start(jobs):
    # Starts in Q1 at least 90 days before 30 Jun: J1 (1 Mar; 30 May → ended 15 May: no),
    # J3 (10 Mar; 8 Jun → no), J4 (15 Jan; 15 Apr → yes). 1 / 3.
    rate = metrics.still_working_after(jobs, Q1.start, Q1.end, datetime.date(2026, 6, 30), IPLC)

    assert (rate.numerator, rate.denominator) == (1, 3)


def test_discharges_by_reason(episodes):
    assert metrics.discharges_by_reason(episodes, Q1.start, Q1.end) == {"moved": 1}
    assert metrics.discharges_by_reason(episodes, Q2.start, Q2.end) == {}


def test_quarterly_table(episodes, jobs, education):
    rows = metrics.quarterly_table(episodes, jobs, education, [Q1, Q2], IPLC)

    assert [
        (str(r.quarter), r.served, r.working, r.rate, r.into_work, r.job_starts, r.education_starts)
        for r in rows
    ] == [
        ("2026Q1", 4, 3, 75.0, 3, 3, 0),
        ("2026Q2", 4, 2, 50.0, 0, 0, 1),
    ]


def test_quarters():
    assert Quarter.parse("2026q3") == Quarter(2026, 3)
    assert Quarter.parse("2026Q5") is None
    assert Quarter.parse("<x>") is None
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert [str(q) for q in metrics.quarters_between(Quarter(2025, 4), Quarter(2026, 2))] == [
        "2025Q4",
        "2026Q1",
        "2026Q2",
    ]


def test_breakdown_by_group(episodes, jobs):
    # Group A: E1, E2 (served 2, E1 working); group B: E3, E4 (served 2, both working in Q1).
    # E4 is in both groups' lists below only once; E1 is in A and in B.
    groups = pd.DataFrame(
        [(1, "A"), (2, "A"), (3, "B"), (4, "B"), (1, "B")], columns=["episode_id", "group"]
    )

    rows = metrics.breakdown(episodes, jobs, groups, Q1.start, Q1.end, IPLC)

    assert [(r.group, r.served, r.working, r.rate, r.job_starts) for r in rows] == [
        ("A", 2, 1, 50.0, 1),
        ("B", 3, 3, 100.0, 3),
    ]
