from django.contrib import admin

from .models import Connection, Identity, Person, PersonMerge, Touch


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0
    fields = ("kind", "value", "label", "source")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("display_name", "organization", "workspace", "touch_count", "last_touch_at")
    list_filter = ("workspace",)
    search_fields = ("display_name", "organization")
    inlines = (IdentityInline,)


@admin.register(Touch)
class TouchAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "channel", "where", "event", "workspace")
    list_filter = ("channel", "workspace")
    raw_id_fields = ("people", "event")


admin.site.register(PersonMerge)


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("person", "network", "kind", "connected_on", "removed_on")
    list_filter = ("network", "kind")
    raw_id_fields = ("person",)
