"""The access log (Finnish client-data law 703/2023): append-only."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .caseload import User


class AccessEvent(models.Model):
    """Append-only record of one access to client data (Finnish client-data law 703/2023).

    Never updated or deleted by the application: ``save`` refuses updates, ``delete`` refuses,
    and a database trigger (migration 0002) refuses UPDATE on every backend and DELETE on
    PostgreSQL. The clients concerned are rows of ``AccessEventClient``.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        SEARCH = "search", _("Searched")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        EXPORT = "export", _("Exported")
        PRINT = "print", _("Printed")
        GRANT = "grant", _("Granted access")
        DELETE = "delete", _("Deleted")

    class Outcome(models.TextChoices):
        OK = "ok", _("Succeeded")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        related_name="access_events",
        verbose_name=_("staff member"),
    )
    username = models.CharField(_("username"), max_length=150)
    role = models.CharField(_("role"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.OK)
    what = models.CharField(_("what"), max_length=100, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.CharField(_("stated reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Access events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Access events are append-only")

    @property
    def role_label(self) -> str:
        """The role in the user's language (the row keeps the code it had at the time)."""
        return User.Role(self.role).label if self.role in User.Role.values else self.role


class AccessEventClient(models.Model):
    """A client concerned by an access event. ``client_id`` is a plain integer, not a foreign
    key, so the record outlives the client row (the log is kept after retention deletion)."""

    event = models.ForeignKey(AccessEvent, on_delete=models.PROTECT, related_name="clients")
    client_id = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("client in access event")
        verbose_name_plural = _("clients in access events")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.event_id}: {self.client_id}"


class UserSession(models.Model):
    """Where a user is signed in: shown on their sessions page, where they can end one."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="user_sessions", verbose_name=_("user")
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
