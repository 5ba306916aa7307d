"""The access log: who read or changed which client's data, when, and with what outcome.

Views call :func:`record` (or use :func:`client_view`). During a request the events are
buffered on the request and written by :class:`AccessLogMiddleware` after the view's
transaction has ended (``ATOMIC_REQUESTS``), so an entry survives a request that rolled back,
and a page listing 25 clients costs one event insert plus one bulk insert of client ids.
Outside a request (management commands, exports run elsewhere) :func:`record` writes at once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse

from .models import AccessEvent, AccessEventClient, User

logger = logging.getLogger(__name__)

Action = AccessEvent.Action
MAX_ID = 2**63 - 1
Outcome = AccessEvent.Outcome


@dataclass
class PendingEvent:
    user: User | None
    action: str
    client_ids: list[int]
    outcome: str = Outcome.OK
    what: str = ""
    path: str = ""
    ip_address: str | None = None
    reason: str = ""


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | None,
    action: str,
    client_ids: Iterable[int],
    *,
    outcome: str = Outcome.OK,
    what: str = "client",
    user: User | None = None,
    reason: str = "",
) -> None:
    """Log one access to the given clients (an empty list is fine for an empty result page)."""
    if user is None and request is not None:
        user = request.user if request.user.is_authenticated else None
    event = PendingEvent(
        user=user,
        action=action,
        client_ids=sorted({int(pk) for pk in client_ids}),
        outcome=outcome,
        what=what,
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=_client_ip(request) if request is not None else None,
        reason=reason[:500],
    )
    if request is not None and hasattr(request, "_access_events"):
        request._access_events.append(event)
    else:
        write([event])


def write(events: list[PendingEvent]) -> None:
    """Insert the events: one row each, and one bulk insert for all their client ids."""
    with transaction.atomic():
        rows = [
            AccessEvent(
                user=e.user,
                username=e.user.get_username() if e.user else "",
                role=e.user.role if e.user else "",
                action=e.action,
                outcome=e.outcome,
                what=e.what,
                path=e.path,
                ip_address=e.ip_address,
                reason=e.reason,
            )
            for e in events
        ]
        if len(rows) == 1:
            rows[0].save()
        else:
            rows = AccessEvent.objects.bulk_create(rows)
        AccessEventClient.objects.bulk_create(
            AccessEventClient(event=row, client_id=pk)
            for row, e in zip(rows, events, strict=True)
            for pk in e.client_ids
        )


class AccessLogMiddleware:
    """Flushes the request's access events after the view (and its transaction) finished."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._access_events = []
        response = self.get_response(request)
        events: list[PendingEvent] = request._access_events
        if events:
            # A view that read the client and then refused (403/404) or failed (5xx) did not
            # complete the access: the log says so.
            status = response.status_code
            outcome = (
                Outcome.FAILED
                if status >= 500
                else Outcome.DENIED
                if status in (403, 404)
                else None
            )
            if outcome:
                for event in events:
                    if event.outcome == Outcome.OK:
                        event.outcome = outcome
            write(events)
        return response


def client_view(read: str = Action.VIEW, write: str = Action.UPDATE) -> Callable:
    """Decorator for views of one client: resolves ``client_id`` through the scoped query and
    logs the access (``read`` for GET and HEAD, ``write`` for other methods). A client the user
    may not see is logged as denied and answered with 404.

    The view receives the ``Client`` instead of the id.
    """
    from .queries import get_client_for_user

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, client_id: int, *args, **kwargs) -> HttpResponse:
            action = read if request.method in {"GET", "HEAD"} else write
            try:
                client = get_client_for_user(request.user, client_id)
            except Http404:
                if client_id <= MAX_ID:
                    record(request, action, [client_id], outcome=Outcome.DENIED)
                raise
            record(request, action, [client.pk])
            return view(request, client, *args, **kwargs)

        return wrapper

    return decorator
