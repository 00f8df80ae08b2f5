"""
DRF permission classes for the roles of DESIGN §2, built on ``npc.core.roles``.

Visibility (unpublished bills are 404 for the public) is not a permission: the
selectors leave such rows out of the queryset, so they do not exist for the caller.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from npc.core import roles

from .. import acts


class IsLegislativeStaff(BasePermission):
    """Legislative staff and administrators."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_legislative_staff(request.user)


class IsAdministrator(BasePermission):
    """Administrators only (users, roles, liaison points)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_admin(request.user)


class MayRecordActs(BasePermission):
    """
    Whoever may change bills and record acts on them (``acts.may_record``, the
    guard the services ask again); whether an act is possible now is the
    service's answer (409).
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        return acts.may_record(request.user)


class IsInternal(BasePermission):
    """Anyone with a role: staff, administrators and clerks."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return roles.is_internal(request.user)


class ReadOnly(BasePermission):
    """Anyone, including the public, may read."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS


# Read for everyone, write for legislative staff (meetings, and the consultation
# side's records).
StaffOrReadOnly = ReadOnly | IsLegislativeStaff
# Read for everyone; changes to bills and acts on them for those the guard allows.
BillWritersOrReadOnly = ReadOnly | MayRecordActs
# Read for everyone, write for administrators (liaison points).
AdministratorOrReadOnly = ReadOnly | IsAdministrator
