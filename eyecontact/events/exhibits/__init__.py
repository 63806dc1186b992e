"""Exhibits: capturing everyone met at the booth, and what those meetings were worth.

- :mod:`.booth`: the exhibit at an event, its staff and its costs;
- :mod:`.storing`: a capture stored once, however often a phone sends it;
- :mod:`.resolving`: a stored capture matched to a person, a conversation logged as an
  in-person touch;
- :mod:`.report`: cost per entrant and per conversation beside the published figures, and what
  the conversations became;
- :mod:`.leads`: the people met, as CSV and vCard for any CRM.
"""

from .booth import (
    exhibit_add_cost,
    exhibit_cost_delete,
    exhibit_cost_get,
    exhibit_cost_update,
    exhibit_create,
    exhibit_set_staff,
    exhibits_list,
)
from .leads import LEAD_HEADER, leads_csv, leads_vcard
from .report import (
    PUBLISHED_COST_PER_CONVERSATION,
    PUBLISHED_COST_PER_ENTRANT,
    ExhibitReport,
    Lead,
    exhibit_leads,
    exhibit_report,
    exhibits_counted,
)
from .resolving import capture_record, capture_resolve, captures_resolve_waiting
from .storing import NOT_A_BADGE, NOT_STAFF, capture_store

__all__ = [
    "LEAD_HEADER",
    "NOT_A_BADGE",
    "NOT_STAFF",
    "PUBLISHED_COST_PER_CONVERSATION",
    "PUBLISHED_COST_PER_ENTRANT",
    "ExhibitReport",
    "Lead",
    "capture_record",
    "capture_resolve",
    "capture_store",
    "captures_resolve_waiting",
    "exhibit_add_cost",
    "exhibit_cost_delete",
    "exhibit_cost_get",
    "exhibit_cost_update",
    "exhibit_create",
    "exhibit_leads",
    "exhibit_report",
    "exhibit_set_staff",
    "exhibits_counted",
    "exhibits_list",
    "leads_csv",
    "leads_vcard",
]
