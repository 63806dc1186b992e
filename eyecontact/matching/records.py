"""The frozen records that go into matching and the results that come out of it."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Candidate",
    "Cluster",
    "Decision",
    "Evidence",
    "Link",
    "PersonRecord",
    "Resolution",
]

Decision = Literal["merge", "review", "distinct"]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One sighting of a person in one source: a LinkedIn connection, a vCard, an attendee.

    ``id`` is opaque to matching (any hashable). Identity fields may be raw as exported
    (``MAILTO:Jose@X.example``, ``/in/jos%C3%A9-…``); matching normalises them itself. ``source``
    names the export the record came from ("linkedin", "facebook", "x", "vcard", "calendar"…).
    """

    id: Hashable
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organization: str = ""
    title: str = ""
    city: str = ""
    linkedin: str = ""
    facebook: str = ""
    x_account: str = ""
    websites: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason for (positive ``weight``) or against (negative) two records being one person.

    ``kind`` is what was compared ("email", "phone", "linkedin", "name", "organization", …);
    ``detail`` says it in words a person reviewing the match can check; ``weight`` is the
    log-odds it added to the score.
    """

    kind: str
    detail: str
    weight: float


@dataclass(frozen=True, slots=True)
class Link:
    """The verdict on one pair of records: their score, why, and what to do about it."""

    a: Hashable
    b: Hashable
    score: float
    evidence: tuple[Evidence, ...]
    decision: Decision


@dataclass(frozen=True, slots=True)
class Cluster:
    """Records judged to be one person, with the merge links that joined them.

    ``score`` is the weakest link that holds the cluster together (1.0 for a lone record).
    """

    ids: tuple[Hashable, ...]
    links: tuple[Link, ...] = ()
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of :func:`~eyecontact.matching.resolve`.

    Every input record is in exactly one cluster. ``review`` holds the links a person should
    look at, strongest first: pairs in the grey zone, merges refused because they would have
    joined conflicting identities, and name-only fits that two records share. Only the best
    link between two clusters is kept, and a few per cluster, so that the queue stays short.
    """

    clusters: tuple[Cluster, ...]
    review: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible match for a query record, found by :class:`~eyecontact.matching.MatchIndex`."""

    id: Hashable
    score: float
    evidence: tuple[Evidence, ...]
    decision: Decision
