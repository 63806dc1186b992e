"""Reading whole exports: one file or archive, or several, the next ones in a second process.

:func:`parse_export` reads one upload, a single export file or an export archive (.zip), into
the :class:`ParseResult` of each file it holds.

:class:`ReadAhead` reads several uploads for an import that writes them one after another.
Reading a heavy user's calendar takes seconds of pure Python, and so does writing each file,
each on one processor; on a machine with two, the second reads the next uploads while the first
writes::

    this process                          the reading process
    ──────────────────────────────        ──────────────────────────────────────────────
    read upload 1                          start; read upload 2
    write upload 1                         read uploads 3, 4, ... (up to READ_AHEAD_BYTES
    write upload 2                           of uploads ahead of the one being written)
    ...                                    end once every upload has been read

The first upload is read here, while the reading process starts. The reading process pickles
each upload's records into a file of a temporary folder and sends back only its name; this
process unpickles them when it comes to write that upload, which costs it a fraction of the
reading (a twentieth for a calendar, two thirds for a list of X accounts). Sent through the
pipe instead, the records came in 64 KiB at a time on a thread of their own, which took the
interpreter from the writer hundreds of times per upload. Reading runs ahead by bytes, not by
one upload, so that it is done while the first upload is written; the reading process then
ends, and its memory with it. Errors come back as they were raised: an
:class:`ImportFileError` names its file and line as if the upload had been read here. Should
anything else go wrong there (the process killed, records that do not pickle), the upload is
read again here, where it succeeds or fails as without a second process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from eyecontact.imports.sources.archive import parse_archive
from eyecontact.imports.sources.detect import MAX_FILE_BYTES, parse_file, size_text, stream_of
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.formats import all_formats
from eyecontact.imports.sources.records import ParseResult

__all__ = [
    "MAX_RECORDS",
    "MAX_UPLOAD_BYTES",
    "ZIP_MAGIC",
    "ReadAhead",
    "Upload",
    "parse_export",
    "upload_too_large",
]

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# The largest upload: an export archive (.zip); a single export file is at most MAX_FILE_BYTES.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
# The people, invitations and meetings one upload may hold: every one of them is in memory
# while the upload is written in one transaction (a heavy user's 103,000 X accounts took
# 815 MB; see bench/results/imports-memory.md).
MAX_RECORDS = 120_000
# Uploads read ahead of the one being written, in bytes: their records wait in memory.
READ_AHEAD_BYTES = 128 * 1024 * 1024

# An upload: its bytes, a seekable binary stream of them, or the path of the file that holds
# them (what a web upload spooled to disk, or a file named on the command line, is).
Upload = bytes | BinaryIO | os.PathLike[str]

NO_KNOWN_FILE = "the archive holds no file Eye Contact can import (expected {expected})"


def parse_export(
    file_name: str,
    data: Upload,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
) -> tuple[ParseResult, ...]:
    """The records of one upload: an export file, or every file Eye Contact reads in an export
    archive. The upload is read as a stream, never whole into memory (but for JSON files).
    Raises only :class:`ImportFileError` (an archive with nothing to import too)."""
    with _opened(file_name, data) as upload:
        stream, size = stream_of(upload)
        is_archive = stream.read(4).startswith(ZIP_MAGIC)
        stream.seek(0)
        refusal = upload_too_large(size, is_archive=is_archive)
        if refusal:
            raise ImportFileError(file_name, None, refusal)
        if is_archive:
            results = parse_archive(file_name, stream, until=until, owner_emails=owner_emails)
            if not results:
                raise ImportFileError(file_name, None, NO_KNOWN_FILE.format(expected=_archived()))
        else:
            results = (parse_file(file_name, stream, until=until, owner_emails=owner_emails),)
    held = sum(len(result.records) for result in results)
    if held > MAX_RECORDS:
        raise ImportFileError(
            file_name,
            None,
            f"the file holds {held:,} people and meetings; Eye Contact imports at most "
            f"{MAX_RECORDS:,} at a time (import the files of an archive one by one)",
        )
    return results


@contextlib.contextmanager
def _opened(file_name: str, data: Upload) -> Iterator[bytes | BinaryIO]:
    """The upload as bytes or a stream; a path is opened (and closed after)."""
    if isinstance(data, bytes) or hasattr(data, "read"):
        yield cast(bytes | BinaryIO, data)
        return
    try:
        upload = Path(data).open("rb")  # noqa: SIM115  # closed below
    except OSError as exc:
        raise ImportFileError(file_name, None, f"cannot be read: {exc.strerror or exc}") from None
    with upload:
        yield upload


def upload_size(data: Upload) -> int:
    """The size of an upload in bytes, without reading it."""
    if isinstance(data, bytes):
        return len(data)
    if hasattr(data, "read"):
        return stream_of(cast(BinaryIO, data))[1]
    return os.stat(data).st_size


def _archived() -> str:
    """The files an export archive may hold, in the user's words: "LinkedIn Connections.csv,
    ..., or calendar (.ics)"."""
    labels = [f.file_label for f in all_formats() if f.archive_names]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])}, or {labels[-1]}"


def upload_too_large(size: int, *, is_archive: bool | None = None) -> str:
    """Why an upload of ``size`` bytes is refused, or "" when its size is fine. Without knowing
    whether it is an archive, the archive's larger limit applies (the file's own comes later)."""
    limit = MAX_FILE_BYTES if is_archive is False else MAX_UPLOAD_BYTES
    if size <= limit:
        return ""
    what = "export file" if is_archive is False else "upload (an export .zip)"
    return (
        f"the file is {size_text(size)}; the largest {what} Eye Contact imports is "
        f"{size_text(limit)}"
    )


def _parse_in_worker(
    file_name: str,
    data: Upload,
    until: dt.datetime | None,
    owner_emails: tuple[str, ...],
    records_file: str,
) -> str:
    """Reads an upload and pickles its records into ``records_file``; returns that name."""
    # Reading makes hundreds of thousands of small objects and frees them all by reference
    # counting; the cycle collector would only walk them again and again (as in the loaders).
    gc.disable()
    try:
        results = parse_export(file_name, data, until=until, owner_emails=owner_emails)
        Path(records_file).write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        gc.enable()
    return records_file


class ReadAhead:
    """Reads a list of uploads in order, the next ones in a second process.

    ``parsed(n)`` returns the records of upload ``n`` (or raises its :class:`ImportFileError`)
    and has the uploads after it read meanwhile, as many as fit in ``ahead_bytes`` (one at
    least). Use it as a context manager: the reading process stops on leaving, uploads not
    asked for yet unread.
    """

    def __init__(
        self,
        uploads: Sequence[tuple[str, Upload]],
        *,
        until: dt.datetime | None = None,
        owner_emails: Iterable[str] = (),
        ahead_bytes: int = READ_AHEAD_BYTES,
    ) -> None:
        self._uploads = list(uploads)
        self._until = until
        self._owner_emails = tuple(owner_emails)
        self._ahead_bytes = ahead_bytes
        self._pool: ProcessPoolExecutor | None = None
        self._pending: dict[int, Future[str]] = {}
        self._folder: str | None = None
        self._sent = 1  # the first upload is read here, while the reading process starts

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stops the reading process; uploads it has not started stay unread."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def parsed(self, position: int) -> tuple[ParseResult, ...]:
        """The records of upload ``position``, as :func:`parse_export` reads them."""
        self._send_after(position)
        file_name, data = self._uploads[position]
        future = self._pending.pop(position, None)
        if future is not None:
            try:
                return _unpickled(future.result())
            except ImportFileError:
                raise
            except BrokenProcessPool:
                self._lost()
            except Exception:  # noqa: S110  # read again here, where it fails as it would have
                # Records that could not come back (a time zone that does not pickle) or a
                # failure of the reading process itself: reading here either works or raises
                # what an import without a second process would have raised.
                pass
            finally:
                self._stop_when_done()
        return parse_export(file_name, data, until=self._until, owner_emails=self._owner_emails)

    def _send_after(self, position: int) -> None:
        """Sends the reading process the uploads after ``position`` that fit in the budget."""
        ahead = sum(self._size(n) for n in self._pending if n > position)
        while self._sent < len(self._uploads):
            if self._sent > position + 1 and ahead + self._size(self._sent) > self._ahead_bytes:
                return
            file_name, data = self._uploads[self._sent]
            try:
                self._pending[self._sent] = self._reader().submit(
                    _parse_in_worker,
                    file_name,
                    data,
                    self._until,
                    self._owner_emails,
                    str(Path(self._records_folder()) / f"{self._sent}.pickle"),
                )
            except BrokenProcessPool:
                self._lost()
                return
            ahead += self._size(self._sent)
            self._sent += 1

    def _size(self, position: int) -> int:
        try:
            return upload_size(self._uploads[position][1])
        except OSError:
            return 0  # reading it will say what is wrong with it

    def _stop_when_done(self) -> None:
        """Ends the reading process once every upload has been read and its records are here:
        idle, it would still hold the memory that reading the largest of them took."""
        if (
            self._pool is not None
            and self._sent == len(self._uploads)
            and all(future.done() for future in self._pending.values())
        ):
            self._pool.shutdown(wait=True)
            self._pool = None

    def _records_folder(self) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="eyecontact-import-")
        return self._folder

    def _lost(self) -> None:
        """The reading process died or could not start: every upload it has not returned, and
        every later one, is read here (starting it again would likely fail again)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._pending.clear()
        self._sent = len(self._uploads)

    def _reader(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # A fresh interpreter, not a fork: this process may hold database connections and
            # threads that a forked copy must not inherit.
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool


def _unpickled(records_file: str) -> tuple[ParseResult, ...]:
    """The records the reading process left in ``records_file``, which goes."""
    path = Path(records_file)
    try:
        # Written by our own reading process into a folder only this import uses.
        results: tuple[ParseResult, ...] = pickle.loads(path.read_bytes())  # noqa: S301
    finally:
        path.unlink(missing_ok=True)
    return results
