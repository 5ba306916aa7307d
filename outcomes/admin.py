from django.contrib import admin

from .models import EvaluationGrant, ExportRecord


@admin.register(EvaluationGrant)
class EvaluationGrantAdmin(admin.ModelAdmin):
    list_display = ["evaluator", "organisation", "granted_at"]
    autocomplete_fields = ["organisation"]


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Read-only: the export log is evidence."""

    list_display = ["created_at", "user", "mode", "format", "status", "person_rows", "suppressed"]
    list_filter = ["mode", "status", "format"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
