"""
The roles of DESIGN §2, as Django groups.

Administrators are superusers or members of ``administrator``; legislative staff
are members of ``legislative_staff`` (administrators may do all they may); liaison
clerks are members of ``liaison_clerk`` and are tied to their points.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

ADMINISTRATOR = "administrator"
LEGISLATIVE_STAFF = "legislative_staff"
LIAISON_CLERK = "liaison_clerk"
ROLES = (ADMINISTRATOR, LEGISLATIVE_STAFF, LIAISON_CLERK)


def _groups(user: Model | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached  # one query per request, not per check
    return cached


def is_admin(user: Model | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or ADMINISTRATOR in _groups(user))
    )


def is_legislative_staff(user: Model | AnonymousUser) -> bool:
    """Staff of the legislative affairs office, or an administrator."""
    return is_admin(user) or LEGISLATIVE_STAFF in _groups(user)


def is_clerk(user: Model | AnonymousUser) -> bool:
    return LIAISON_CLERK in _groups(user)


def is_internal(user: Model | AnonymousUser) -> bool:
    """Anyone with a role: staff, administrators and clerks."""
    return is_legislative_staff(user) or is_clerk(user)
