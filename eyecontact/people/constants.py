"""Messages people see when something they typed cannot be saved."""

NAME_REQUIRED = "A name is required."
UNKNOWN_CHANNEL = "Unknown channel {value!r}; use one of: {choices}."
NO_PEOPLE = "A touch needs at least one person."
IDENTITY_TAKEN = "{kind} {value} already belongs to {owner}."
MERGE_SELF = "A person cannot be merged with themselves."
MERGE_WORKSPACES = "Only people of the same workspace can be merged."
EVENT_OTHER_WORKSPACE = "That event belongs to another workspace."
TOUCH_IN_FUTURE = (
    "{when} is more than a day from now: a touch is something that happened. Log it once it has."
)
