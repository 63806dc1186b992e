from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("file_name", "file_format", "status", "workspace", "created_at")
    list_filter = ("status", "file_format")
