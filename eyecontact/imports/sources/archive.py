"""Export archives (.zip) from LinkedIn, Facebook and X, opened in memory.

:func:`iter_archive` yields the member files Eye Contact reads, chosen by their path in the
archive; :func:`parse_archive` parses each of them and adds the snapshot date the archive
tells (X ``data/manifest.js`` ``generationDate``, or the date in the archive's name:
``Basic_LinkedInDataExport_03-02-2026.zip``, ``twitter-2026-03-02-<hash>.zip``).

Zip files are checked before they are read: at most :data:`MAX_MEMBERS` members, each file we
import at most :data:`~.detect.MAX_FILE_BYTES` unpacked (and its kind's own limit), all of them
at most :data:`MAX_TOTAL_BYTES`. The sizes the archive declares are checked first, then the
bytes actually unpacked are counted while decompressing (the declared sizes can lie), so a zip
bomb stops with an error instead of filling memory. Each member is unpacked, a megabyte at a
time, into a temporary file, parsed from there as a stream, and deleted: no member is ever held
in memory whole, and the archive itself is read from its file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from eyecontact.imports.sources.detect import MAX_FILE_BYTES, parse_file, size_text
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.formats import archive_wants
from eyecontact.imports.sources.records import ParseResult

__all__ = ["MAX_MEMBERS", "MAX_TOTAL_BYTES", "ArchiveMember", "iter_archive", "parse_archive"]

MAX_TOTAL_BYTES = 24 * 1024 * 1024
MAX_MEMBERS = 20_000
_CHUNK = 1024 * 1024
_MANIFEST_BYTES = 65536  # the date is near its beginning

_LINKEDIN_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")  # MM-DD-YYYY
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MANIFEST_DATE = re.compile(r'"generationDate"\s*:\s*"(\d{4})-(\d{2})-(\d{2})')


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """One file inside an export archive: its path there, and its bytes unpacked into a
    temporary file (gone once closed)."""

    path: str
    file: BinaryIO = field(repr=False, compare=False)

    @property
    def data(self) -> bytes:
        """The member's bytes, read whole (for the small files that date an archive)."""
        self.file.seek(0)
        return self.file.read()


def _wanted(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    if parts[0] == "__MACOSX" or parts[-1].startswith("._"):
        return False
    # Which member files each format may be in: ``archive_names`` in the registry.
    return archive_wants(parts[-1].lower())


def _too_much(total: int) -> str:
    return (
        f"the archive unpacks to more than {size_text(total)} of files to import; "
        "an export of normal size is far smaller (is this the export itself?)"
    )


def _too_big(max_bytes: int) -> str:
    return f"the file unpacks to more than {size_text(max_bytes)}, the largest export we read"


def _read_member(
    file_name: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    budget: int,
    max_bytes: int,
    total: int = MAX_TOTAL_BYTES,
) -> BinaryIO:
    """The member unpacked into a temporary file, its bytes counted as they come."""
    unpacked = tempfile.TemporaryFile(prefix="eyecontact-member-")  # noqa: SIM115  # the caller closes it
    try:
        size = 0
        with archive.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > budget:
                    raise ImportFileError(file_name, None, _too_much(total))
                if size > max_bytes:
                    raise ImportFileError(f"{file_name}/{info.filename}", None, _too_big(max_bytes))
                unpacked.write(chunk)
        unpacked.seek(0)
    except BaseException:
        unpacked.close()
        raise
    return unpacked


def iter_archive(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_members: int = MAX_MEMBERS,
    max_bytes: int = MAX_FILE_BYTES,
) -> Iterator[ArchiveMember]:
    """The member files of an export zip that Eye Contact imports, in archive order; each
    member's file is closed (and deleted) once the next one is asked for."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(
            file_name, None, "not a readable zip archive: it is damaged or not a zip file"
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise ImportFileError(
                file_name,
                None,
                f"the archive has {len(infos):,} files; expected at most {max_members:,}",
            )
        wanted = [i for i in infos if not i.is_dir() and _wanted(i.filename)]
        # What the archive declares, refused before anything is unpacked.
        for info in wanted:
            if info.file_size > max_bytes:
                raise ImportFileError(f"{file_name}/{info.filename}", None, _too_big(max_bytes))
        if sum(info.file_size for info in wanted) > max_total_bytes:
            raise ImportFileError(file_name, None, _too_much(max_total_bytes))
        remaining = max_total_bytes
        for info in wanted:
            try:
                content = _read_member(
                    file_name, archive, info, remaining, max_bytes, max_total_bytes
                )
            except ImportFileError:
                raise
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                ValueError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise ImportFileError(
                    file_name,
                    None,
                    f"{info.filename} cannot be unpacked from the archive: "
                    f"{_damage(exc)}; download the export again",
                ) from None
            remaining -= content.seek(0, io.SEEK_END)
            content.seek(0)
            try:
                yield ArchiveMember(info.filename, content)
            finally:
                content.close()


def _damage(error: Exception) -> str:
    if isinstance(error, NotImplementedError):
        return "it is packed with a method zip readers rarely support"
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return "it is protected by a password"
    return "the archive is damaged"


def _archive_date(file_name: str, manifest: bytes) -> dt.date | None:
    """The date X's manifest says the archive was made, else the date in the archive's name."""
    match = _MANIFEST_DATE.search(manifest.decode("utf-8", "replace"))
    if match:
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    name = file_name.rsplit("/", 1)[-1]
    iso = _ISO_DATE.search(name)
    if iso:
        return _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    us = _LINKEDIN_DATE.search(name)
    if us:
        return _date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_archive(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_members: int = MAX_MEMBERS,
) -> tuple[ParseResult, ...]:
    """A :class:`ParseResult` per imported member file, each named ``<archive>/<path>``; the
    archive is its bytes or a seekable binary stream of them."""
    owners = tuple(owner_emails)
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    # Each member parsed as a stream from its temporary file, deleted before the next.
    results = [
        parse_file(f"{file_name}/{m.path}", m.file, until=until, owner_emails=owners)
        for m in iter_archive(
            file_name, stream, max_total_bytes=max_total_bytes, max_members=max_members
        )
    ]
    snapshot = _archive_date(file_name, _manifest(stream))
    return tuple(dataclasses.replace(r, snapshot_date=r.snapshot_date or snapshot) for r in results)


def _manifest(stream: BinaryIO) -> bytes:
    """The beginning of X's ``data/manifest.js`` (not imported itself, but it dates the
    archive), or nothing."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith("data/manifest.js"):
                    with archive.open(info) as manifest:
                        return manifest.read(_MANIFEST_BYTES)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        return b""
    return b""
