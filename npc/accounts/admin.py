"""Users in the admin, with the history of their roles (groups, staff, superuser)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from npc.core.historyadmin import HistoryAdmin

admin.site.unregister(User)


@admin.register(User)
class UserWithHistoryAdmin(HistoryAdmin, UserAdmin):
    """Django's user admin; "History" lists who changed a user's roles, when, how."""
