from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "city", "starts_on", "ends_on", "workspace")
    list_filter = ("kind", "workspace")
    search_fields = ("name", "city")
