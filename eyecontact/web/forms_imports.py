"""Forms of the import pages: they check the upload, the import services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from eyecontact.imports.sources import MAX_UPLOAD_BYTES
from eyecontact.imports.sources.formats import all_formats

from .forms import Form

__all__ = ["EMPTY_FILE", "NO_FILE", "TOO_LARGE", "ImportForm"]

EMPTY_FILE = "This file is empty; pick the export file itself."
NO_FILE = "Pick an export file to import."
TOO_LARGE = "{name} is {size:,} bytes; the largest export Eye Contact reads is {limit:,} bytes."


class ImportForm(Form):
    export = forms.FileField(
        label="Export file",
        error_messages={"empty": EMPTY_FILE, "required": NO_FILE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Named from the registry of formats, so a format added there is named here too.
        kinds = ", ".join(f.label for f in all_formats())
        self.fields["export"].help_text = (
            f"One file or a whole export .zip ({kinds}). "
            "Eye Contact recognises the kind from what is inside."
        )

    def clean_export(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["export"]
        name = upload.name or "The file"
        size = upload.size or 0
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_LARGE.format(name=name, size=size, limit=MAX_UPLOAD_BYTES))
        return upload
