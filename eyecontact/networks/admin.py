from django.contrib import admin

from .models import Connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("person", "network", "kind", "connected_on", "removed_on")
    list_filter = ("network", "kind")
    raw_id_fields = ("person",)
