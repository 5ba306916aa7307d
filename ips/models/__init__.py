"""Models of the caseload core, one module per area. Import from ``ips.models``."""

from .access_log import AccessEvent, AccessEventClient
from .caseload import (
    CareerProfileVersion,
    Client,
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Contact,
    CoverAssignment,
    Episode,
    Membership,
    Organisation,
    TargetGroup,
    Team,
    User,
)

__all__ = [
    "AccessEvent",
    "AccessEventClient",
    "CareerProfileVersion",
    "Client",
    "ClientGroupObjectPermission",
    "ClientUserObjectPermission",
    "Contact",
    "CoverAssignment",
    "Episode",
    "Membership",
    "Organisation",
    "TargetGroup",
    "Team",
    "User",
]
