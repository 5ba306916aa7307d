"""Admin for reference data and staff. Client records are deliberately not registered: an
administrator sees client data only through a coach or lead role (PRODUCT.md)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent, Membership, Organisation, TargetGroup, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "memberships__team"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("IPS role"), {"fields": ["role"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("IPS role"), {"fields": ["first_name", "last_name", "email", "role"]}),
    ]
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor devices (the user enrols again)"))
    def reset_two_factor(self, request, queryset):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            model.objects.filter(user__in=queryset).delete()
        self.message_user(request, _("Two-factor devices reset."))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only. Client ids are shown, never client details."""

    list_display = ["at", "username", "role", "action", "outcome", "what", "path"]
    list_filter = ["action", "outcome", "role"]
    search_fields = ["username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
