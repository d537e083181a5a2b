from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "space", "actor", "action", "target_label"]
    list_filter = ["action"]
    raw_id_fields = ["space", "actor"]
