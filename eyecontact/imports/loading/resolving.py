"""Matching sightings to the people already in the workspace and to each other.

Each step takes the sightings still without a person and returns those it could not place:
a row imported before goes to the person it became (:func:`resolve_known`), a row sharing an
identity to that identity's person (:func:`resolve_by_identity`), and the rest are clustered
by :func:`eyecontact.matching.resolve` and matched against the workspace's people by name
(:func:`resolve_new`), which also plans the reviews of the pairs matching is unsure of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Exists, OuterRef, Q

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import SourceRecord
from eyecontact.imports.sources.formats import all_formats, get_format
from eyecontact.matching import (
    DEFAULT_REVIEW_THRESHOLD,
    Candidate,
    Evidence,
    MatchIndex,
    is_first_name_of,
    resolve,
)
from eyecontact.matching.namegroups import NameKey
from eyecontact.people.choices import ConnectionKind, IdentityKind, Network
from eyecontact.people.models import Connection, Identity, Person
from eyecontact.people.search import people_among

from .context import ImportSession, IndexedRow
from .sightings import Sighting, lone_accounts, person_record

__all__ = [
    "Clusters",
    "IdentityMerge",
    "Review",
    "identities_held",
    "resolve_by_identity",
    "resolve_known",
    "resolve_new",
]

# Rows of one format in a file above which its earlier rows are read in one pass.
_READ_WHOLE_FORMAT = 5000
# Identities in a file above which all of the workspace's are read in one pass.
_READ_ALL_IDENTITIES = 20_000

# A review to plan: two clusters (or a cluster and a person), the score and the evidence.
Review = tuple[int, int, float, list[str]]
# A nameless person to merge into the named person a row shares identities with: keep, drop.
IdentityMerge = tuple[int, int, Sighting]


@dataclass
class Clusters:
    """The new sightings grouped into people, and the reviews matching asks for.

    ``new_reviews`` pair two clusters; ``existing_reviews`` a cluster and a person already in
    the workspace.
    """

    members: list[list[Sighting]] = field(default_factory=list)
    new_reviews: list[Review] = field(default_factory=list)
    existing_reviews: list[Review] = field(default_factory=list)


def identities_held(
    workspace: Workspace, shown: set[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Who holds each identity the file's rows show; every identity of the workspace when
    they are many (one pass beats hundreds of IN lists)."""
    rows = Identity.objects.filter(workspace=workspace)
    if len(shown) > _READ_ALL_IDENTITIES:
        found: Iterable[tuple[str, str, int]] = rows.values_list(
            "kind", "value", "person_id"
        ).iterator(5000)
    else:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in sorted(shown):
            by_kind[kind].append(value)
        found = [
            row
            for kind, values in by_kind.items()
            for start in range(0, len(values), 900)
            for row in rows.filter(kind=kind, value__in=values[start : start + 900])
            .order_by("value")
            .values_list("kind", "value", "person_id")
        ]
    return {(kind, value): person for kind, value, person in found}


def resolve_known(
    workspace: Workspace, sightings: dict[tuple[str, str], Sighting]
) -> tuple[dict[tuple[str, str], SourceRecord], list[Sighting]]:
    """Rows imported before go to the person they became: the rows read (by format and key)
    and the sightings that are new."""
    known: dict[tuple[str, str], SourceRecord] = {}
    by_format: dict[str, list[str]] = defaultdict(list)
    for source_format, key in sightings:
        by_format[source_format].append(key)
    for source_format, keys in by_format.items():
        rows = SourceRecord.objects.filter(workspace=workspace, source_format=source_format)
        if len(keys) > _READ_WHOLE_FORMAT:
            # A big file: one pass over the format's rows beats hundreds of IN lists.
            wanted = set(keys)
            for row in rows.iterator(5000):
                if row.key in wanted:
                    known[(row.source_format, row.key)] = row
            continue
        for start in range(0, len(keys), 900):
            for row in rows.filter(key__in=keys[start : start + 900]):
                known[(row.source_format, row.key)] = row
    unknown = []
    for record_key, sighting in sightings.items():
        earlier = known.get(record_key)
        if earlier is not None and earlier.person_id is not None:
            sighting.person_id = earlier.person_id
            sighting.decision = earlier.decision
            sighting.score = earlier.score
            sighting.evidence = earlier.evidence
        else:
            unknown.append(sighting)
    return known, unknown


def resolve_by_identity(
    sightings: list[Sighting], identity_owner: dict[tuple[str, str], int]
) -> tuple[list[Sighting], list[IdentityMerge]]:
    """Rows sharing an identity go to its person: the rows left, and the nameless people to
    merge into the named ones rows showed them to be.

    A named row whose identities belong only to nameless people is returned too, to be
    matched by name: the vCard that names an X follower may be a LinkedIn connection.
    """
    rest = []
    merges: list[IdentityMerge] = []
    found: list[tuple[Sighting, set[int]]] = []
    for sighting in sightings:
        owners = {identity_owner[p] for p in sighting.identities if p in identity_owner}
        if owners:
            shared = [f"{k}: {v}" for k, v in sighting.identities if (k, v) in identity_owner]
            sighting.evidence = [f"same {s}" for s in shared]
            found.append((sighting, owners))
        else:
            rest.append(sighting)
    asked = {p for sighting, owners in found if sighting.named or len(owners) > 1 for p in owners}
    nameless = _nameless(asked)
    first_names = _first_names_only(asked - nameless)
    for sighting, owners in found:
        # People this row names better: nameless ones, and a phone book's "Thomas" when the
        # row is "Thomas Fodemann".
        thin = owners & nameless
        thin |= {
            p
            for p in owners & first_names.keys()
            if sighting.named and is_first_name_of(first_names[p], sighting.full_name)
        }
        named_owners = owners - thin
        if sighting.named and not named_owners:
            sighting.absorbs = owners
            rest.append(sighting)
            continue
        sighting.person_id = min(owners)
        sighting.decision = SourceRecord.Decision.IDENTITY
        if len(named_owners) == 1 and thin:
            # The row holds the identities of one named person and of people it names
            # better (a card with an address and an X account): they are one person.
            sighting.person_id = min(named_owners)
            merges.extend((sighting.person_id, drop, sighting) for drop in sorted(thin))
    return rest, merges


def _nameless(person_ids: set[int]) -> set[int]:
    """Those of ``person_ids`` known by a stand-in name only."""
    ids = sorted(person_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 900):
        found.update(
            Person.objects.filter(pk__in=ids[start : start + 900], given_name="", family_name="")
            .filter(Q(display_name__startswith="@") | Q(display_name__startswith="X account "))
            .values_list("pk", flat=True)
        )
    return found


def _first_names_only(person_ids: set[int]) -> dict[int, str]:
    """Those of ``person_ids`` known by a first name alone, with it."""
    ids = sorted(person_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        rows = Person.objects.filter(pk__in=ids[start : start + 900], family_name="").exclude(
            given_name=""
        )
        found.update(rows.values_list("pk", "given_name"))
    return found


def _existing_index(workspace: Workspace, session: ImportSession | None) -> MatchIndex | None:
    """The people already in the workspace that a row could match by name.

    People known by a stand-in name and no e-mail address (X accounts, most of a heavy
    user's people) are left out: only a shared identity finds them, and identities were
    looked up before.
    """
    stand_in = Q(given_name="", family_name="") & (
        Q(display_name__startswith="@") | Q(display_name__startswith="X account ")
    )
    has_email = Exists(Identity.objects.filter(person=OuterRef("pk"), kind=IdentityKind.EMAIL))
    rows = (
        Person.objects.filter(workspace=workspace)
        .filter(~stand_in | has_email)
        .values_list(
            "id", "display_name", "given_name", "family_name", "organization", "title", "city"
        )
    )
    people = list(rows.iterator(5000))
    if not people:
        return None
    identities: dict[int, list[tuple[str, str]]] = defaultdict(list)
    # Their ids as one parameter: asked by the filter above again, the database would
    # check every person of the workspace a second time.
    among = people_among(Person.objects.all(), [row[0] for row in people]).values("pk")
    listed = Identity.objects.filter(person__in=among).values_list("kind", "value", "person_id")
    for kind, value, person_id in listed.iterator(5000):
        identities[person_id].append((kind, value))
    known = session.rows if session is not None else {}
    read: dict[int, IndexedRow] = {}
    records = []
    for row in people:
        pk = row[0]
        # Sorted as the workspace's identity index lists them.
        held = tuple(sorted(identities[pk])) if pk in identities else ()
        seen = known.get(pk)
        if seen is None or seen[0] != row or seen[1] != held:
            seen = (row, held, person_record(pk, *row[1:], held, "people"))
        # Kept as first read, whose text the record shares, not as read now.
        read[pk] = seen
        records.append(seen[2])
    if session is None:
        return MatchIndex(records)
    session.rows = read
    if session.index is None:
        session.index = MatchIndex(records)
    else:
        session.index.refresh(records)
    return session.index


def resolve_new(
    workspace: Workspace, session: ImportSession | None, sightings: list[Sighting]
) -> Clusters:
    """Clusters of new sightings; those matching an existing person are given that person."""
    if not sightings:
        return Clusters()
    lone = lone_accounts(sightings)
    resolution = resolve([s.person_record(i) for i, s in enumerate(sightings) if i not in lone])
    # Record ids are the sightings' positions in the list; a lone account is a cluster of
    # its own, in its place among the others, as matching would have made it.
    firsts = sorted(
        [cast(tuple[int, ...], c.ids) for c in resolution.clusters] + [(i,) for i in lone]
    )
    clusters = Clusters(members=[[sightings[i] for i in ids] for ids in firsts])
    cluster_of = {i: n for n, ids in enumerate(firsts) for i in ids}
    for link in resolution.review:
        a, b = cluster_of[cast(int, link.a)], cluster_of[cast(int, link.b)]
        if a != b:
            clusters.new_reviews.append((a, b, link.score, [e.detail for e in link.evidence]))
    clusters.existing_reviews = _match_existing(workspace, session, clusters.members)
    return clusters


def _match_existing(
    workspace: Workspace, session: ImportSession | None, clusters: list[list[Sighting]]
) -> list[Review]:
    """Clusters that match someone already in the workspace join them; the reviews of those
    that only might.

    A cluster that only might, because the pair rests on a name, still joins when that person
    is the only one here carrying the name, the name is rare, every cluster of the file that
    carries it found that person, and nothing contradicts it (:meth:`MatchIndex.sole_bearer`);
    unless the person is known only from a follow list (strangers on X, whose namesakes are
    likely), or the rows are accounts that only follow the user (anyone may: an account the
    user follows, or one that follows back, was chosen)."""
    # Only rows with a name or an e-mail address can match anyone by name; a batch of X
    # accounts has none, and then the index is not even built.
    wanted = [(n, [s for s in members if s.matchable]) for n, members in enumerate(clusters)]
    wanted = [(n, queries) for n, queries in wanted if queries]
    index = _existing_index(workspace, session) if wanted else None
    reviews: list[Review] = []
    if index is None:
        return reviews
    names: dict[int, set[NameKey]] = {}  # the names each cluster carries
    doubtful: list[tuple[int, Candidate]] = []
    merging: list[tuple[int, Candidate]] = []
    for n, queries in wanted:
        best: Candidate | None = None
        shown: set[NameKey | None] = set()
        for sighting in queries:
            # One record, asked its name and then its candidates: the index prepares it once.
            query = sighting.person_record("query")
            shown.add(index.name_key(query))
            # The best one worth a review at least: the index drops the rest unscored.
            # Not the people the row names better: it shares their identities.
            for candidate in index.candidates(
                query, limit=1 + len(sighting.absorbs), min_score=DEFAULT_REVIEW_THRESHOLD
            ):
                if candidate.id in sighting.absorbs:
                    continue
                if best is None or candidate.score > best.score:
                    best = candidate
        names[n] = {name for name in shown if name is not None}
        if best is None:
            continue
        if best.decision == "merge":
            merging.append((n, best))
        else:
            doubtful.append((n, best))
    namesakes = _namesakes(clusters, merging)
    merged: set[int] = set()
    for n, best in merging:
        if n in namesakes:
            doubtful.append((n, best))
        else:
            _join(clusters[n], best)
            merged.add(n)
    crowds = _known_from_follow_lists(workspace, [cast(int, best.id) for _, best in doubtful])
    mutual = _mutual_follows(clusters, [n for n, _ in doubtful])
    joined = _sole_bearers(index, clusters, doubtful, names, merged, crowds, mutual)
    for n, best in doubtful:
        if n not in joined:
            reviews.append((n, cast(int, best.id), best.score, [e.detail for e in best.evidence]))
    return reviews


# Evidence of a shared identity, rather than of names that agree.
_IDENTITY_EVIDENCE = frozenset({"email", "phone", "linkedin", "facebook", "x"})


def _namesakes(clusters: list[list[Sighting]], merging: list[tuple[int, Candidate]]) -> set[int]:
    """The clusters that would join one person on their names while another cluster of the
    file, not one with them by any identity, would join them too: a list of contacts or
    friends names a person once, so these are namesakes (three Nikos Georgiou at one
    employer, two Facebook friends called Greg Sabreimann), and they go to review. A
    calendar lists addresses, not people: one person may be several of its clusters."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for n, best in merging:
        if any(e.kind in _IDENTITY_EVIDENCE for e in best.evidence):
            continue
        if all(s.source_format == "ical" for s in clusters[n]):
            continue
        by_person[cast(int, best.id)].append(n)
    return {n for numbers in by_person.values() if len(numbers) > 1 for n in numbers}


def _sole_bearers(
    index: MatchIndex,
    clusters: list[list[Sighting]],
    doubtful: list[tuple[int, Candidate]],
    names: dict[int, set[NameKey]],
    merged: set[int],
    crowds: set[int],
    mutual: set[int],
) -> set[int]:
    """The clusters that join the one known person carrying their rare name, each name's
    clusters all or none: none of them may have joined someone else or found another person,
    or carry a second name, or be two rows of one list of contacts or friends, nor be only on
    a follow list unless the user follows the account or it follows back (``mutual``), nor
    the person be known only from one, and nothing may contradict it. Returns the clusters
    joined."""
    found_by = dict(doubtful)
    carrying: dict[NameKey, list[int]] = defaultdict(list)
    for n, carried in names.items():
        for name in carried:
            carrying[name].append(n)
    joined: set[int] = set()
    for name, numbers in carrying.items():
        found = {found_by[n].id for n in numbers if n in found_by}
        if len(found) != 1 or any(n in merged or len(names[n]) > 1 for n in numbers):
            continue
        (person,) = found
        if person in crowds or _listed_twice([s for n in numbers for s in clusters[n]]):
            continue
        if all(_follow_list(s) for n in numbers for s in clusters[n]) and not all(
            n in mutual or _followed(clusters[n]) for n in numbers
        ):
            continue
        queries = [s.person_record("query") for n in numbers for s in clusters[n]]
        why = index.sole_bearer(queries, person, name)
        if why is None:
            continue
        best = next(found_by[n] for n in numbers if n in found_by)
        for n in numbers:
            _join(clusters[n], found_by.get(n, best), why)
            joined.add(n)
    return joined


def _listed_twice(sightings: list[Sighting]) -> bool:
    """Whether one list of contacts or friends names two of the rows' people: two rows of
    one file that share no identity. A calendar lists addresses, not people."""
    seen: dict[str, list[set[tuple[str, str]]]] = defaultdict(list)
    for sighting in sightings:
        if sighting.source_format == "ical":
            continue
        held = set(sighting.identities)
        if any(not (held & other) for other in seen[sighting.file_name]):
            return True
        seen[sighting.file_name].append(held)
    return False


def _join(members: list[Sighting], best: Candidate, why: Evidence | None = None) -> None:
    """The cluster's rows become the person the index found."""
    evidence = [e.detail for e in best.evidence]
    if why is not None:
        evidence.append(why.detail)
    for sighting in members:
        sighting.person_id = cast(int, best.id)  # the index holds person ids
        sighting.decision = SourceRecord.Decision.MATCHED
        sighting.score = best.score
        sighting.evidence = evidence


def _follow_list(sighting: Sighting) -> bool:
    """Whether the row is an account on a follow list: mostly strangers, whose namesakes are
    likely, so a rare name alone does not make them someone known."""
    found = get_format(sighting.source_format)
    return found is not None and found.follow_list


def _followed(members: list[Sighting]) -> bool:
    """Whether the user follows the cluster's X account: chosen, where anyone may follow the
    user. Two followed accounts of one name are two rows of one list, never joined."""
    return any(
        s.network == Network.X and s.connection_kind == ConnectionKind.FOLLOWING for s in members
    )


def _mutual_follows(clusters: list[list[Sighting]], numbers: list[int]) -> set[int]:
    """Those of the clusters ``numbers`` whose X account follows the user and is followed
    back, by these rows or by the accounts already known that they name.

    A stranger the user follows (a speaker, a writer) seldom follows back: a rare name on a
    mutual follow is as good as one in an address book.
    """
    kinds: dict[int, set[str]] = defaultdict(set)
    held: dict[int, set[int]] = defaultdict(set)
    for n in numbers:
        for sighting in clusters[n]:
            if sighting.network == Network.X and sighting.connection_kind:
                kinds[n].add(sighting.connection_kind)
            if sighting.mutual:
                kinds[n] |= {ConnectionKind.FOLLOWER, ConnectionKind.FOLLOWING}
            held[n] |= sighting.absorbs
    people = sorted({p for found in held.values() for p in found})
    known: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(people), 900):
        chunk = people[start : start + 900]
        rows = Connection.objects.filter(person_id__in=chunk, network=Network.X)
        for person_id, kind in rows.values_list("person_id", "kind"):
            known[person_id].add(kind)
    both = {ConnectionKind.FOLLOWER, ConnectionKind.FOLLOWING}
    return {n for n in numbers if both <= kinds[n].union(*(known[p] for p in held[n]))}


def _known_from_follow_lists(workspace: Workspace, people: list[int]) -> set[int]:
    """Those of ``people`` whose every imported row came from a follow list."""
    if not people:
        return set()
    lists = {f.name for f in all_formats() if f.follow_list}
    formats: dict[int, set[str]] = defaultdict(set)
    # The people as one list, found among the workspace's: asked for the workspace's rows
    # and a list of people, the database read every row of the workspace for each list.
    among = people_among(Person.objects.filter(workspace=workspace), set(people)).values("pk")
    rows = SourceRecord.objects.filter(person__in=among)
    for person_id, source_format in rows.values_list("person_id", "source_format").distinct():
        formats[person_id].add(source_format)
    return {person for person, found in formats.items() if found <= lists}
