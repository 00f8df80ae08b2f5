"""
DRF permission classes for the roles of DESIGN §2, built on ``npc.core.roles``.

Visibility (unpublished bills are 404 for the public) is not a permission: the
selectors leave such rows out of the queryset, so they do not exist for the caller.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from npc.core import roles


class IsLegislativeStaff(BasePermission):
    """Legislative staff and administrators."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_legislative_staff(request.user)


class IsAdministrator(BasePermission):
    """Administrators only (users, roles, liaison points)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_admin(request.user)


class IsClerk(BasePermission):
    """Liaison-point clerks (what they may touch is narrowed per record)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_clerk(request.user)


class IsInternal(BasePermission):
    """Anyone with a role: staff, administrators and clerks."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_internal(request.user)


class ReadOnly(BasePermission):
    """Anyone, including the public, may read."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS


# Read for everyone, write for legislative staff (bills, meetings, votes…).
StaffOrReadOnly = ReadOnly | IsLegislativeStaff
# Read for everyone, write for administrators (liaison points).
AdministratorOrReadOnly = ReadOnly | IsAdministrator
