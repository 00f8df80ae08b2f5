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

# The model permissions each role's group holds (for the admin site): app labels
# whose every permission it holds, and (app label, model) pairs, optionally
# limited to a codename prefix. Administrators hold every permission.
STAFF_PERMISSIONS = {
    "apps": ("legislation",),
    "models": (
        ("consultation", "consultation", ""),
        ("consultation", "comment", ""),
        ("consultation", "contributor", ""),
        ("consultation", "decisionrecord", ""),
        ("consultation", "feedback", ""),
        ("consultation", "importbatch", ""),
        ("consultation", "commentcount", "view_"),
        ("consultation", "liaisonpoint", "view_"),
    ),
}


def grant_role_permissions(group_model: type, permission_model: type) -> None:
    """
    Create the three role groups and give them their permissions; idempotent.

    Takes the model classes so that the initial data migration (historical
    models) and ``ensure_roles`` (after every migrate and test flush) share it.
    """
    from django.db.models import Q

    admin, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set(permission_model.objects.all())
    staff, _ = group_model.objects.get_or_create(name=LEGISLATIVE_STAFF)
    wanted = Q(content_type__app_label__in=STAFF_PERMISSIONS["apps"])
    for app_label, model, prefix in STAFF_PERMISSIONS["models"]:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__startswith=prefix,
        )
    staff.permissions.set(permission_model.objects.filter(wanted))
    group_model.objects.get_or_create(name=LIAISON_CLERK)


def ensure_roles(**kwargs: object) -> None:
    """Keep the role groups in place after ``migrate`` and after a test flush."""
    from django.contrib.auth.models import Group, Permission

    grant_role_permissions(Group, Permission)


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
