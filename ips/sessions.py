"""A user's active sessions, so they can see where they are signed in and end a session."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import UserSession


def touch_session(request: HttpRequest) -> None:
    """Record or refresh the session row (the timeout middleware calls this once a minute)."""
    session = request.session
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": request.user,
            "last_seen": timezone.now(),
            "ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@transaction.atomic
def end_session(user, session_key: str) -> bool:
    """End one of the user's sessions. Returns False if it was not theirs."""
    deleted, _ = UserSession.objects.filter(user=user, session_key=session_key).delete()
    if deleted:
        Session.objects.filter(session_key=session_key).delete()
    return bool(deleted)


def active_sessions(user):
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live).order_by("-last_seen")


@transaction.atomic
def end_other_sessions(user, keep: str | None) -> int:
    """End every session of the user but ``keep`` (after a password change)."""
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=keep)
        .values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def rekey(old: str | None, new: str | None) -> None:
    """Follow a session whose key was cycled (login, password change)."""
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)
