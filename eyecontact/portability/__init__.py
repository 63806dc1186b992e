"""A whole workspace as one JSON file, and back: backups, moves between installations.

The file is lossless: the workspace's settings and every row that belongs to it, with all
fields and provenance (where a row came from, which import). It reads::

    {"format": "eyecontact.workspace", "version": 1, "exported_at": "...",
     "workspace": {...settings...},
     "import_batches": [{"id": 1, ...}, ...],
     "events": [...], "people": [...], "identities": [...], "connections": [...],
     "touches": [{"id": 1, "people": [3, 8], "event": 2, ...}, ...],
     ... one list per entry of SECTIONS ...}

Ids in the file are positions (1, 2, 3...) in each section, so an export does not depend on the
database it came from, and exporting a restored workspace gives the same file again. References
between rows (foreign keys, many-to-many lists, the row ids a merge keeps to undo itself) use
these ids; users (who created a touch, who staffs a booth) are written as e-mail addresses and
restored to the user with that address if the installation has one. Binary fields are base64.

Fields the services derive (a person's sort name, search text and touch figures) are left out
and recomputed on restore. Rows are written one a line, read in chunks, so large workspaces
export in little memory. Who may open the workspace (memberships), pending invitations and
calendar feed keys are not data of the workspace and stay behind; the restoring user becomes
the owner. A test fails when a model that belongs to a workspace is in neither list.
"""

from .export import workspace_export
from .restore import RestoreResult, workspace_restore
from .sections import EXPORT_FORMAT, EXPORT_VERSION, NOT_EXPORTED, SECTIONS, Section

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "NOT_EXPORTED",
    "SECTIONS",
    "RestoreResult",
    "Section",
    "workspace_export",
    "workspace_restore",
]
