"""
DRF permission classes of the consultation API (DESIGN §2).

They admit a role to an endpoint; which records a clerk may touch is for
``consultation.access``, which the services check again on every write (a
refusal there is a 403 ``permission_denied``).
"""

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from legislation.api.permissions import (
    AdministratorOrReadOnly,
    IsAdministrator,
    IsInternal,
    IsLegislativeStaff,
    ReadOnly,
    StaffOrReadOnly,
)

from .. import access

__all__ = [
    "AdministratorOrReadOnly",
    "CanDecide",
    "HasConsultationAccess",
    "InternalOrReadOnly",
    "IsAdministrator",
    "IsInternal",
    "IsLegislativeStaff",
    "ReadOnly",
    "StaffOrReadOnly",
]


class HasConsultationAccess(BasePermission):
    """Staff, or a clerk tied to at least one liaison point."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.has_consultation_access(request.user)


class CanDecide(BasePermission):
    """Those who decide on comments: legislative staff and administrators."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.can_decide(request.user)


# Read for everyone (what is public), write for staff and clerks with a point.
InternalOrReadOnly = ReadOnly | HasConsultationAccess
