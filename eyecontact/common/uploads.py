"""Uploaded files as the import services read them: from disk, never whole into memory.

Django keeps an upload in memory only up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (kept small in
the settings); anything larger is written to a temporary file in chunks as it arrives. Imports
then read that file as a stream, so a 64 MB export archive costs no 64 MB of memory in the web
process.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

__all__ = ["upload_source"]


def upload_source(upload: UploadedFile) -> bytes | Path:
    """The path of the temporary file Django spooled the upload to, or the bytes of a small
    upload held in memory. The path lives as long as the request does."""
    temporary_file_path = getattr(upload, "temporary_file_path", None)
    if temporary_file_path is not None:
        return Path(temporary_file_path())
    upload.seek(0)
    data: bytes = upload.read()
    return data
