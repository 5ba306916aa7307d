"""Helpers shared by the views: htmx targets and ISO-week navigation."""

from __future__ import annotations

from django.http import HttpRequest

from ips import queries, weekly


def is_htmx_target(request: HttpRequest, target: str) -> bool:
    """True for an htmx request that swaps the element with this id: the view then renders
    only the matching template partial."""
    return bool(getattr(request, "htmx", False)) and request.htmx.target == target


def week_from_request(request: HttpRequest):
    """The Monday of ``?week=YYYY-Www``; this week when missing or malformed."""
    return weekly.parse_week(request.GET.get("week", "")) or weekly.week_start(queries.today())


def week_navigation(monday) -> dict:
    return {
        "monday": monday,
        "sunday": monday + weekly.WEEK_LAST_DAY,
        "week_label": weekly.week_label(monday),
        "previous_week": weekly.week_label(monday - weekly.ONE_WEEK),
        "next_week": (
            weekly.week_label(monday + weekly.ONE_WEEK)
            if monday < weekly.week_start(queries.today())
            else None
        ),
    }
