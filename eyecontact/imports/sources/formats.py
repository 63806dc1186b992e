"""The one registry of the export formats Eye Contact imports.

Each :class:`ImportFormat` says everything the rest of Eye Contact knows about one format:
its name (stored on import batches and parse results, never changed once used), the label
people see, how a file of it is recognised (a signature at its beginning, a CSV header, or a
last-resort look at its lines), which files of an export archive may hold it, its parser, what
kind of records it yields, its size limit, and what its rows mean to the ledger (a whole list
of the owner's connections of one kind, a follow list for churn)::

    upload ──> detect.detect_format() ── asks each format, in registry order:
                 1. sniff(head)        signature at the start   (BEGIN:VCARD, window.YTD.follower)
                 2. header(cells)      a recognised CSV header among the first 15 lines
                 3. last_resort(text)  a guess from the lines   (a bare list of X account ids)
               ──> format.parse(Upload) ──> ParseResult(format=name, records, ...)
               ──> loading: format.snapshot / format.whole_list / format.follow_list

Detection, archive member selection, the size refusal, the import pages, the churn form and the
loader read this module; none of them names a format. Adding a format is its parser module, one
entry in :data:`BUILT_IN`, and its records' source name in ``records.SourceFormat`` when it is a
new one (docs/architecture.md, "An import format").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

from eyecontact.imports.sources._text import Table, TextFile, read_table, split_header_line
from eyecontact.imports.sources.contacts_csv import (
    classify_contacts_header,
    parse_google_csv,
    parse_outlook_csv,
)
from eyecontact.imports.sources.facebook import FACEBOOK_KEY, parse_facebook
from eyecontact.imports.sources.ical import parse_ical
from eyecontact.imports.sources.linkedin import (
    classify_linkedin_header,
    parse_connections,
    parse_invitations,
)
from eyecontact.imports.sources.records import (
    ContactRecord,
    InvitationRecord,
    MeetingRecord,
    ParseResult,
    Record,
)
from eyecontact.imports.sources.vcard import parse_vcard
from eyecontact.imports.sources.x import (
    classify_x_header,
    parse_x_archive,
    parse_x_csv,
    parse_x_id_list,
    x_archive_kind,
)

__all__ = [
    "BUILT_IN",
    "HEADER_LINES",
    "MIB",
    "ImportFormat",
    "Upload",
    "WholeList",
    "all_formats",
    "archive_wants",
    "expected_csv",
    "get_format",
    "header_kind",
    "first_header",
    "header_format",
    "refused_file",
    "refused_header",
    "register",
    "unregister",
]

MIB = 1024 * 1024
# The lines at the start of a file where a CSV header is looked for.
HEADER_LINES = 15


@dataclass(frozen=True, slots=True)
class Upload:
    """One export file as a parser receives it: its name, the file itself (read as a stream,
    never whole into memory unless the parser asks), its beginning as detection read it, and
    what the import knows beyond the file (how far calendar recurrences go, the owner's
    addresses)."""

    file_name: str
    file: TextFile
    head: str
    until: dt.datetime | None = None
    owner_emails: tuple[str, ...] = ()

    def read(self) -> str:
        """The whole text of the file."""
        return self.file.read()

    def table(self) -> Table:
        """The file read as a CSV export, from the first header a format recognises."""
        return read_table(self.file_name, self.file, header_kind, expected_csv())


@dataclass(frozen=True, slots=True)
class WholeList:
    """The list of the owner's connections a format always gives, even when it is empty (an
    empty following.js says the owner follows nobody), with its name in the user's words."""

    source_format: str
    network: str
    kind: str
    label: str


Parser = Callable[[Upload], ParseResult]


@dataclass(frozen=True, slots=True)
class ImportFormat:
    """One export format Eye Contact imports.

    ``name`` is stored (``ParseResult.format``, ``ImportBatch.file_format``): never rename one.
    ``label`` is what the import pages call it, ``file_label`` the file itself in a refusal
    ("the largest LinkedIn Connections.csv Eye Contact reads is 8 MB"), ``maker`` who exports
    it (a CSV that is none of the known ones is refused as "expected a LinkedIn, Google, ...
    header"). A format is recognised by ``sniff`` (the first 4 KB of its text, leading blanks
    removed), by ``header`` (the cells of a CSV header line: the kind of table it starts, or
    None) or, when nothing else recognised the file, by ``last_resort`` (its text).
    ``archive_names`` are patterns of the member files, in lower case, that an export archive
    may hold it in. ``snapshot``: a file lists every connection of its kind, so one missing
    from a newer file is gone; ``whole_list``: the list it always gives; ``follow_list``: its
    X account ids are a dated follow list for churn.
    """

    name: str
    label: str
    file_label: str
    maker: str
    parse: Parser
    yields: tuple[type[Record], ...]
    max_bytes: int
    sniff: Callable[[str], bool] | None = None
    header: Callable[[list[str]], str | None] | None = None
    last_resort: Callable[[str], bool] | None = None
    archive_names: tuple[str, ...] = ()
    snapshot: bool = False
    whole_list: WholeList | None = None
    follow_list: bool = False
    _archive_patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = tuple(re.compile(pattern) for pattern in self.archive_names)
        object.__setattr__(self, "_archive_patterns", patterns)

    def in_archive(self, basename: str) -> bool:
        """Whether an archive member of this (lower-case) file name may hold the format."""
        return any(pattern.fullmatch(basename) for pattern in self._archive_patterns)


# The parsers, as the registry calls them.


def _ical(upload: Upload) -> ParseResult:
    return parse_ical(
        upload.file_name, upload.file.utf8(), until=upload.until, owner_emails=upload.owner_emails
    )


def _vcard(upload: Upload) -> ParseResult:
    # vCard lines are read as bytes (folds can split characters); UTF-16 goes via UTF-8.
    return parse_vcard(upload.file_name, upload.file.utf8())


def _x_archive(upload: Upload) -> ParseResult:
    return parse_x_archive(upload.file_name, upload.read())


def _facebook(upload: Upload) -> ParseResult:
    return parse_facebook(upload.file_name, upload.read())


def _x_list(upload: Upload) -> ParseResult:
    if first_header(upload.head) is None:
        return parse_x_id_list(upload.file_name, upload.file.lines())
    return parse_x_csv(upload.table())


def _table(read: Callable[[Table], ParseResult]) -> Parser:
    return lambda upload: read(upload.table())


# How each format is recognised.


def _starts(signature: str) -> Callable[[str], bool]:
    return lambda head: head[:64].upper().startswith(signature)


def _x_archive_file(kind: str) -> Callable[[str], bool]:
    return lambda head: x_archive_kind(head) == kind


def _facebook_list(head: str) -> bool:
    return head.startswith("[") or (head.startswith("{") and bool(FACEBOOK_KEY.search(head)))


def _header(classify: Callable[[list[str]], str | None], *kinds: str) -> Callable[..., str | None]:
    def kind(cells: list[str]) -> str | None:
        found = classify(cells)
        return found if found in kinds else None

    return kind


_X_ID_LINE = re.compile(r"^\s*(?:\d{1,25}|@?[A-Za-z0-9_]{1,15})\s*[,;]?\s*$")


def _x_id_lines(text: str) -> bool:
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()]
    return (
        bool(lines)
        and all(_X_ID_LINE.match(line) for line in lines)
        and any(c.isdigit() for c in lines[0])
    )


_CONTACTS: Final = (ContactRecord,)
_FOLLOW_FILES: Final = (r"follower(?:-part\d+)?\.js", r"following(?:-part\d+)?\.js")

# In the order formats are recognised: the first whose test passes names the file.
BUILT_IN: Final[tuple[ImportFormat, ...]] = (
    ImportFormat(
        name="ical",
        label="Calendar",
        file_label="calendar (.ics)",
        maker="iCalendar",
        parse=_ical,
        yields=(MeetingRecord,),
        max_bytes=24 * MIB,
        sniff=_starts("BEGIN:VCALENDAR"),
        archive_names=(r".*\.ics",),
    ),
    ImportFormat(
        name="vcard",
        label="vCard contacts",
        file_label="vCard file",
        maker="vCard",
        parse=_vcard,
        yields=_CONTACTS,
        max_bytes=12 * MIB,
        sniff=_starts("BEGIN:VCARD"),
        archive_names=(r".*\.vcf",),
    ),
    ImportFormat(
        name="x_follower",
        label="X followers",
        file_label="X follower.js",
        maker="X",
        parse=_x_archive,
        yields=_CONTACTS,
        max_bytes=16 * MIB,
        sniff=_x_archive_file("follower"),
        archive_names=(_FOLLOW_FILES[0],),
        snapshot=True,
        whole_list=WholeList("x", "x", "follower", "X followers"),
        follow_list=True,
    ),
    ImportFormat(
        name="x_following",
        label="X following",
        file_label="X following.js",
        maker="X",
        parse=_x_archive,
        yields=_CONTACTS,
        max_bytes=16 * MIB,
        sniff=_x_archive_file("following"),
        archive_names=(_FOLLOW_FILES[1],),
        snapshot=True,
        whole_list=WholeList("x", "x", "following", "X accounts followed"),
        follow_list=True,
    ),
    ImportFormat(
        name="x_account",
        label="X account",
        file_label="X account.js",
        maker="X",
        parse=_x_archive,
        yields=(),
        max_bytes=1 * MIB,
        sniff=_x_archive_file("account"),
        archive_names=(r"account\.js",),
    ),
    ImportFormat(
        name="facebook_friends",
        label="Facebook friends",
        file_label="Facebook friends file",
        maker="Facebook",
        parse=_facebook,
        yields=_CONTACTS,
        max_bytes=4 * MIB,
        sniff=_facebook_list,
        archive_names=(r"your_friends\.json", r"friends\.json"),
        snapshot=True,
        whole_list=WholeList("facebook", "facebook", "friend", "Facebook friends"),
    ),
    ImportFormat(
        name="linkedin_connections",
        label="LinkedIn connections",
        file_label="LinkedIn Connections.csv",
        maker="LinkedIn",
        parse=_table(parse_connections),
        yields=_CONTACTS,
        max_bytes=8 * MIB,
        header=_header(
            classify_linkedin_header, "linkedin_connections", "linkedin_outlook_connections"
        ),
        archive_names=(r"connections\.csv",),
        snapshot=True,
        whole_list=WholeList("linkedin", "linkedin", "connection", "LinkedIn connections"),
    ),
    ImportFormat(
        name="linkedin_invitations",
        label="LinkedIn invitations",
        file_label="LinkedIn Invitations.csv",
        maker="LinkedIn",
        parse=_table(parse_invitations),
        yields=(InvitationRecord,),
        max_bytes=8 * MIB,
        header=_header(classify_linkedin_header, "linkedin_invitations"),
        archive_names=(r"invitations\.csv",),
    ),
    ImportFormat(
        name="google_csv",
        label="Google contacts",
        file_label="Google contacts CSV",
        maker="Google",
        parse=_table(parse_google_csv),
        yields=_CONTACTS,
        max_bytes=4 * MIB,
        header=_header(classify_contacts_header, "google_csv"),
    ),
    ImportFormat(
        name="outlook_csv",
        label="Outlook contacts",
        file_label="Outlook contacts CSV",
        maker="Outlook",
        parse=_table(parse_outlook_csv),
        yields=_CONTACTS,
        max_bytes=4 * MIB,
        header=_header(classify_contacts_header, "outlook_csv"),
    ),
    ImportFormat(
        name="x_csv",
        label="X list",
        file_label="X account list",
        maker="X",
        parse=_x_list,
        yields=_CONTACTS,
        max_bytes=3 * MIB // 2,
        header=classify_x_header,
        last_resort=_x_id_lines,
        snapshot=True,
        follow_list=True,
    ),
)

_REGISTRY: dict[str, ImportFormat] = {f.name: f for f in BUILT_IN}


def register(import_format: ImportFormat) -> ImportFormat:
    """Adds a format after the others (a built-in one is an entry of :data:`BUILT_IN`)."""
    if import_format.name in _REGISTRY:
        raise ValueError(f"an import format named {import_format.name!r} is registered already")
    _REGISTRY[import_format.name] = import_format
    return import_format


def unregister(name: str) -> None:
    """Removes a format :func:`register` added."""
    if any(f.name == name for f in BUILT_IN):
        raise ValueError(f"{name!r} is built in")
    del _REGISTRY[name]


def all_formats() -> Iterator[ImportFormat]:
    """Every format, in the order they are recognised."""
    return iter(tuple(_REGISTRY.values()))


def get_format(name: str) -> ImportFormat | None:
    """The format stored as ``name``, or None for a name no format has (any more)."""
    return _REGISTRY.get(name)


def header_format(cells: list[str]) -> ImportFormat | None:
    """The first format that recognises a CSV header line as its own."""
    return next(
        (f for f in all_formats() if f.header is not None and f.header(cells) is not None), None
    )


def header_kind(cells: list[str]) -> str | None:
    """The kind of table a CSV header line starts, for the first format that recognises it."""
    import_format = header_format(cells)
    return (
        None
        if import_format is None or import_format.header is None
        else (import_format.header(cells))
    )


def first_header(text: str) -> str | None:
    """The kind of table of the first recognised header line among the first lines."""
    for line in text.split("\n", HEADER_LINES)[:HEADER_LINES]:
        if line.strip():
            kind = header_kind(split_header_line(line.strip())[1])
            if kind is not None:
                return kind
    return None


def expected_csv() -> str:
    """What a CSV export should have been: "a LinkedIn, Google, Outlook or X"."""
    makers = list(dict.fromkeys(f.maker for f in all_formats() if f.header is not None))
    listed = makers[0] if len(makers) == 1 else f"{', '.join(makers[:-1])} or {makers[-1]}"
    return f"a {listed}"


def archive_wants(basename: str) -> bool:
    """Whether an export archive's member of this (lower-case) file name is imported."""
    return any(f.in_archive(basename) for f in all_formats())


# Files recognised as exports Eye Contact does not import: the refusal says what was found
# instead of "not a known format".


def refused_file(head: str) -> str | None:
    """Why a file no format took is refused, from its beginning; None if it is not known."""
    archive_kind = x_archive_kind(head)
    if archive_kind is not None:
        return (
            f"the X archive file {archive_kind!r} is not imported; expected follower.js, "
            "following.js or account.js"
        )
    if head.startswith(("{", "[")):
        return (
            'expected a Facebook friends file (a "friends_v2" or "friends" list); found other JSON'
        )
    return None


def refused_header(cells: list[str]) -> str | None:
    """Why a CSV export with this header line is refused; None if it is not a known one."""
    if classify_linkedin_header(cells) == "linkedin_messages":
        return "this is LinkedIn's messages.csv; expected Connections.csv or Invitations.csv"
    return None
