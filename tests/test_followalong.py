"""Follow-along timing rules (fidelity item 23), pure functions."""

import datetime

from ips.followalong import Status, checkpoints, needing_action

START = datetime.date(2026, 3, 2)  # a Monday


def d(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


def _by_kind(items):
    return [(c.kind, c.opens, c.closes, c.status) for c in items]


def test_before_start_window_is_the_week_before():
    items = checkpoints(start=START, end=None, contacts=[d(-7)], today=d(-1))

    assert _by_kind(items)[0] == ("before_start", d(-7), d(-1), Status.MET)


def test_contact_eight_days_before_does_not_count():
    items = checkpoints(start=START, end=None, contacts=[d(-8)], today=d(-1))

    assert items[0].status == Status.DUE


def test_three_days_after_start_is_the_last_day_for_the_first_check():
    met = checkpoints(start=START, end=None, contacts=[d(3)], today=d(4))
    missed = checkpoints(start=START, end=None, contacts=[d(4)], today=d(4))

    assert [c.status for c in met if c.kind == "after_start"] == [Status.MET]
    assert [c.status for c in missed if c.kind == "after_start"] == [Status.OVERDUE]


def test_weekly_in_the_first_month():
    contacts = [d(1), d(8), d(20)]  # weeks 1, 2 and 3; nothing in week 4

    items = checkpoints(start=START, end=None, contacts=contacts, today=d(28))

    weekly = [(c.opens, c.status) for c in items if c.kind == "weekly"]
    assert weekly == [
        (d(0), Status.MET),
        (d(7), Status.MET),
        (d(14), Status.MET),
        (d(21), Status.OVERDUE),
    ]


def test_monthly_after_the_first_month_while_the_job_lasts():
    contacts = [d(-3), d(0), d(7), d(14), d(21), d(40)]

    items = checkpoints(start=START, end=None, contacts=contacts, today=d(70))

    monthly = [(c.opens, c.closes, c.status) for c in items if c.kind == "monthly"]
    assert monthly == [(d(28), d(57), Status.MET), (d(58), d(87), Status.DUE)]


def test_only_the_next_upcoming_checkpoint_is_listed():
    items = checkpoints(start=START, end=None, contacts=[], today=d(-10))

    assert _by_kind(items) == [("before_start", d(-7), d(-1), Status.UPCOMING)]


def test_job_loss_needs_contact_within_three_days():
    end = d(50)

    on_time = checkpoints(start=START, end=end, contacts=[d(53)], today=d(60))
    late = checkpoints(start=START, end=end, contacts=[d(54)], today=d(60))

    assert [c.status for c in on_time if c.kind == "after_end"] == [Status.MET]
    assert [c.status for c in late if c.kind == "after_end"] == [Status.OVERDUE]


def test_no_monthly_checks_after_the_job_ended():
    items = checkpoints(start=START, end=d(10), contacts=[], today=d(200))

    assert [c.kind for c in items] == [
        "before_start",
        "after_start",
        "weekly",
        "weekly",
        "after_end",
    ]


def test_needing_action_lists_due_and_overdue_only():
    items = checkpoints(start=START, end=None, contacts=[d(-2)], today=d(2))

    # The before-start check was met; the first-days check and week 1 are both open.
    assert [(c.kind, c.status) for c in needing_action(items, today=d(2))] == [
        ("after_start", Status.DUE),
        ("weekly", Status.DUE),
    ]


def test_old_misses_drop_off_the_to_do_list_after_two_weeks():
    items = checkpoints(start=START, end=None, contacts=[], today=d(40))

    shown = [(c.kind, c.opens, c.status) for c in needing_action(items, today=d(40))]

    # Missed: before start (closed d-1), first days (d3), weeks 1-4 (closed d6..d27).
    # Only week 4 closed within 14 days of d40; month 2 is due now.
    assert shown == [("weekly", d(21), Status.OVERDUE), ("monthly", d(28), Status.DUE)]


def test_windows_close_when_the_job_ends():
    # The job ends on day 10, inside week 2 (days 7–13): week 2 closes on day 10, so a contact
    # on day 12 meets only the after-end check, not week 2 as well.
    items = checkpoints(start=START, end=d(10), contacts=[d(12)], today=d(30))

    assert [(c.kind, c.closes, c.status) for c in items if c.kind in ("weekly", "after_end")] == [
        ("weekly", d(6), Status.OVERDUE),
        ("weekly", d(10), Status.OVERDUE),
        ("after_end", d(13), Status.MET),
    ]
