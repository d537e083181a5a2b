from django.contrib import admin

from .models import Participant, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "preferred_language", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    exclude = ["password"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["public_id", "user", "display_name", "created_at", "erased_at"]
    raw_id_fields = ["user"]
