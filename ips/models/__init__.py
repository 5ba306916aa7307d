"""Models of the caseload core, one module per area. Import from ``ips.models``."""

from .access_log import AccessEvent, AccessEventClient, UserSession
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
from .importing import ImportBatch
from .jobs import (
    EducationStart,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerContactReview,
    Industry,
    JobStart,
    OccupationGroup,
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
    "EducationStart",
    "Employer",
    "EmployerContact",
    "EmployerContactPerson",
    "EmployerContactReview",
    "Episode",
    "ImportBatch",
    "Industry",
    "JobStart",
    "OccupationGroup",
    "Membership",
    "Organisation",
    "TargetGroup",
    "Team",
    "User",
    "UserSession",
]
