"""Every change to the ledger goes through these functions: people, identities, touches,
connections, merges and reviews, and the bulk writes an import makes.

Each one validates (``full_clean``), writes in one transaction, keeps the per-person touch
figures current and leaves an audit entry for changes worth explaining (merges, deletes).
Views, the API, the CLI, importers and other apps call these, never the ORM directly.
"""

from .connections import connection_add, connection_delete, connection_update
from .identities import identity_add, identity_remove, identity_update
from .merges import (
    MERGE_FILLED,
    PlannedMerge,
    merge_fill_details,
    merge_fills,
    merge_fold_connection,
    people_merge_automatic,
    person_merge,
    person_unmerge,
)
from .persons import (
    PERSON_FIELDS,
    person_archive,
    person_create,
    person_delete,
    person_derive_fields,
    person_derived_values,
    person_find_or_create,
    person_refresh_figures,
    person_unarchive,
    person_update,
    split_name,
)
from .reviews import KEEP_NOT_IN_REVIEW, review_merge, review_reject
from .touches import TOUCH_AHEAD, touch_delete, touch_log, touch_too_far_ahead, touch_update

__all__ = [
    "connection_add",
    "connection_delete",
    "connection_update",
    "KEEP_NOT_IN_REVIEW",
    "MERGE_FILLED",
    "PERSON_FIELDS",
    "TOUCH_AHEAD",
    "identity_add",
    "identity_remove",
    "identity_update",
    "merge_fill_details",
    "merge_fills",
    "merge_fold_connection",
    "people_merge_automatic",
    "person_archive",
    "person_create",
    "person_delete",
    "person_derive_fields",
    "person_derived_values",
    "person_find_or_create",
    "person_merge",
    "person_refresh_figures",
    "person_unarchive",
    "person_unmerge",
    "person_update",
    "review_merge",
    "review_reject",
    "split_name",
    "touch_delete",
    "touch_log",
    "touch_too_far_ahead",
    "touch_update",
    "PlannedMerge",
]
