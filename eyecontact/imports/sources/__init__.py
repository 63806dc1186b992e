"""Pure-Python readers for the exports people bring to Eye Contact.

Every format is an entry of the registry in :mod:`.formats`.

LinkedIn (Connections.csv, Invitations.csv), Facebook friends (JSON), X archives and follower
CSVs, vCard address books, Google and Outlook contact CSVs, and iCalendar calendars. Bytes and a
file name go in; frozen records (:mod:`.records`) come out; the only error is
:class:`ImportFileError`. Nothing here touches Django or the database: loaders in the imports
app turn these records into people, connections and meetings through the services.
"""

from eyecontact.imports.sources.archive import (
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    ArchiveMember,
    iter_archive,
    parse_archive,
)
from eyecontact.imports.sources.detect import (
    MAX_FILE_BYTES,
    detect_format,
    format_names,
    parse_file,
)
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.facebook import fix_meta_text
from eyecontact.imports.sources.formats import (
    ImportFormat,
    Upload,
    WholeList,
    all_formats,
    get_format,
    register,
    unregister,
)
from eyecontact.imports.sources.ical import infer_channel
from eyecontact.imports.sources.reading import (
    MAX_UPLOAD_BYTES,
    ReadAhead,
    parse_export,
    upload_too_large,
)
from eyecontact.imports.sources.records import (
    Attendee,
    Connection,
    ContactRecord,
    InvitationRecord,
    MeetingRecord,
    OwnerInfo,
    ParseResult,
    Record,
    SkippedRow,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MEMBERS",
    "MAX_TOTAL_BYTES",
    "MAX_UPLOAD_BYTES",
    "ArchiveMember",
    "Attendee",
    "Connection",
    "ContactRecord",
    "ImportFileError",
    "ImportFormat",
    "InvitationRecord",
    "MeetingRecord",
    "OwnerInfo",
    "ParseResult",
    "ReadAhead",
    "Record",
    "SkippedRow",
    "Upload",
    "WholeList",
    "all_formats",
    "detect_format",
    "fix_meta_text",
    "format_names",
    "get_format",
    "infer_channel",
    "iter_archive",
    "parse_archive",
    "parse_export",
    "parse_file",
    "register",
    "unregister",
    "upload_too_large",
]
