"""Blocking: which pairs of records are worth scoring at all.

Comparing every record with every other is quadratic (150,000 records make 11 billion pairs).
Instead each record gets a handful of keys, and only records sharing a key are compared:

- each normalised identity (e-mail, phone, LinkedIn, Facebook, X account, website);
- folded family name with each nickname group of the given name ("brandt|g23" puts Liesl and
  Anneliese Brandt together), or with the plain first name, and with its initial;
- the same with given and family swapped, for "Tanaka Misaki" against "Misaki Tanaka";
- each word of a compound family name, for Garcia-Lopez against Garcia;
- phonetic-ish keys (the start and the end of the family skeleton) for typos;
- organisation with the shapes of a work address, for an attendee known only by
  ``jsmith@acme.example``;
- for an attendee known only by an address that spells a name (``helen.koch85@…``, personal
  addresses too), the name keys of that name.

A record known only by an account id (most of the X accounts a heavy user follows) has a
single key, its id, and costs next to nothing. A block larger than its cap (a common name, a
shared mailbox) says little about any pair in it and is skipped, which keeps the work close to
linear. Within a name block, two records that each hold a different account of one kind from
the same export (two X accounts from one follow list) are never paired: they are different
accounts by construction, and clustering would refuse to join them anyway.

Pairs are encoded as one integer, ``left * count + right`` with ``left < right``, so that a
set of hundreds of thousands of them stays small and sorts in position order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container, Sequence
from functools import lru_cache

from eyecontact.matching.features import Features
from eyecontact.matching.names import ParsedName, given_groups, skeleton
from eyecontact.matching.organizations import compare_organizations, domain_label
from eyecontact.matching.scoring import SIMILAR_ORGANIZATION

__all__ = [
    "IDENTITY_BLOCK_CAP",
    "NAME_BLOCK_CAP",
    "CandidatePairs",
    "accounts_conflict",
    "block_keys",
    "build_blocks",
    "candidate_pairs",
    "personal_keys",
]

IDENTITY_BLOCK_CAP = 40
NAME_BLOCK_CAP = 40
# The looser keys (initial, phonetic tail) make bigger blocks of weaker candidates.
_CAPS = {"i": 60, "t": 20}
_PERSONAL_IDENTITY_KEYS = frozenset({"=e:", "=p:", "=l:", "=f:", "=x:"})
_NO_ACCOUNTS: frozenset[tuple[str, str]] = frozenset()


def block_keys(
    features: Features, *, by_name: bool = True, address_orgs: Container[str] | None = None
) -> list[str]:
    """The blocking keys of one prepared record; identity keys start with ``=``.

    Without ``by_name`` the record gets no name keys. With ``address_orgs``, the work-address
    shapes of a named record are given only for those employers (the ones some record
    known by its address alone works at).
    """
    keys = personal_keys(features)
    if features.role_emails:
        keys.extend(f"=r:{e}" for e in features.role_emails)
    if features.websites:
        keys.extend(f"=w:{w}" for w in features.websites)
    name = features.name
    if name.first and name.family:
        if by_name:
            keys.extend(_name_keys(name))
        org = features.organization
        if org and (address_orgs is None or org.replace(" ", "") in address_orgs):
            keys.extend(_organization_keys(name, org))
    elif not name and features.emails:
        if features.work_domains:
            keys.extend(_address_keys(features))
        if by_name:
            keys.extend(_spelt_name_keys(features))
    return keys


def personal_keys(features: Features) -> list[str]:
    """The identity keys of what is the record's own: its e-mail addresses, phones and
    accounts (not an organisation's mailbox, not a website)."""
    keys = [f"=e:{e}" for e in features.emails] if features.emails else []
    if features.phones:
        keys.extend(f"=p:{p}" for p in features.phones)
    if features.linkedin:
        keys.append(f"=l:{features.linkedin}")
    if features.facebook:
        keys.append(f"=f:{features.facebook}")
    if features.x_account:
        keys.append(f"=x:{features.x_account}")
    return keys


def _spelt_name_keys(features: Features) -> list[str]:
    """The name keys of an address that spells a name (``helen.koch85@…``, ``koch_helen@…``),
    for an attendee known only by their address, personal ones too."""
    keys = []
    for email in features.emails:
        words = [
            "".join(ch for ch in word if ch.isalpha())
            for word in re.split(r"[._-]", email.partition("@")[0])
        ]
        if len(words) == 2 and len(words[0]) > 1 and len(words[1]) > 1:
            first, second = words
            keys.append(f"n:{skeleton(second)}|{first}")
            keys.append(f"n:{skeleton(first)}|{second}")
    return keys


def _address_keys(features: Features) -> list[str]:
    """Match an attendee known only by ``jsmith@acme.example`` to John Smith at Acme."""
    return [
        f"a:{_address_org(email)}|" + "".join(ch for ch in email.partition("@")[0] if ch.isalpha())
        for email in features.emails
        if email.partition("@")[2] in features.work_domains
    ]


def _address_org(email: str) -> str:
    """The employer an address names, as address keys write it: ``acmerobotics``."""
    return domain_label(email.partition("@")[2]).replace("-", "")


@lru_cache(maxsize=1 << 16)
def _organization_keys(name: ParsedName, organization: str) -> tuple[str, ...]:
    """The shapes a named person's work address may take at their employer."""
    org = organization.replace(" ", "")
    first, family = name.first, name.family_key
    locals_ = {first + family, family + first, first[0] + family, first}
    return tuple(sorted(f"a:{org}|{local}" for local in locals_))


def _givens(first: str) -> list[str]:
    """The given name as blocked: itself and each of its nickname groups."""
    return [first, *(f"g{g}" for g in sorted(given_groups(first)))]


@lru_cache(maxsize=1 << 16)
def _name_keys(name: ParsedName) -> tuple[str, ...]:
    first = name.first
    family = name.family_key
    givens = _givens(first)
    family_skeletons = {skeleton(family)}
    family_skeletons.update(skeleton(part) for part in name.family_parts)
    if len(name.given) > 1:
        # The last given word may be the first half of an unhyphenated double surname.
        family_skeletons.add(skeleton(name.given[-1]))
    keys: set[str] = set()
    for family_skeleton in family_skeletons:
        keys.update(f"n:{family_skeleton}|{given}" for given in givens)
        keys.add(f"i:{family_skeleton}|{first[0]}")
    main = skeleton(family)
    keys.add(f"n:{skeleton(first)}|{family}")  # the same name written family-first
    keys.add(f"t:{main[-3:]}|{main[0]}|{first}")
    return tuple(sorted(keys))


def build_blocks(all_features: Sequence[Features]) -> dict[str, list[int]]:
    """Map each blocking key to the positions of the records that have it."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, features in enumerate(all_features):
        for key in block_keys(features):
            blocks[key].append(position)
    return blocks


def _shared_blocks(
    all_features: Sequence[Features], by_name: Sequence[bool]
) -> list[tuple[str, list[int]]]:
    """The blocks of two or more records. Most keys belong to one record only (an X account
    id), so a lone position is kept as a bare int until a second record arrives."""
    address_orgs = {
        _address_org(email)
        for features in all_features
        if features.work_domains and not features.name
        for email in features.emails
    }
    blocks: dict[str, int | list[int]] = {}
    get = blocks.get
    for position, features in enumerate(all_features):
        keys = block_keys(features, by_name=by_name[position], address_orgs=address_orgs)
        for key in keys:
            found = get(key)
            if found is None:
                blocks[key] = position
            elif isinstance(found, int):
                blocks[key] = [found, position]
            else:
                found.append(position)
    return [(key, members) for key, members in blocks.items() if isinstance(members, list)]


class CandidatePairs:
    """The pairs worth scoring, as ``left * count + right`` codes (see the module doc).

    ``identity`` pairs share a normalised identity (an address, a phone, an account, a
    website) and are always scored; ``named`` pairs share only a name or employer key and
    may be pruned by a cheap bound before scoring.
    """

    __slots__ = ("count", "identity", "named")

    def __init__(self, count: int, identity: set[int], named: set[int]) -> None:
        self.count = count
        self.identity = identity
        self.named = named


def candidate_pairs(
    all_features: Sequence[Features],
    rank: Sequence[int],
    needs_employer: Sequence[bool] | None = None,
) -> CandidatePairs:
    """The record pairs worth scoring, by position.

    ``rank`` orders the records independently of input order; it picks the hub when a
    personal identity is shared by more records than a block holds (one attendee seen at
    fifty meetings), which are then compared with that hub only.

    A record marked in ``needs_employer`` (see :func:`~.pruning.needs_employer`) has too
    common a name to be worth a look on its name alone: in name blocks it is paired only
    with records that may share its employer, and left out when it names none.
    """
    count = len(all_features)
    identity: set[int] = set()
    named: set[int] = set()
    accounts = [_accounts(features) for features in all_features]
    needy = needs_employer or [False] * count
    # What a record's employer evidence can rest on: None when it names no employer, "" when
    # it has a work address (which may match any organisation), else its organisation key.
    employer = [
        ("" if f.work_domains else f.organization) if f.organization or f.work_domains else None
        for f in all_features
    ]
    # A record too common to pair by name, naming no employer, needs no name keys at all.
    by_name = [not needy[p] or employer[p] is not None for p in range(count)]
    for key, everyone in _shared_blocks(all_features, by_name):
        kind = key[0]
        if kind == "=":
            if len(everyone) > IDENTITY_BLOCK_CAP:
                if key[:3] in _PERSONAL_IDENTITY_KEYS:
                    hub = min(everyone, key=rank.__getitem__)
                    identity.update(min(hub, m) * count + max(hub, m) for m in everyone if m != hub)
                continue
            # Members are in position order, so ``left < right`` here and below.
            for offset, left in enumerate(everyone):
                base = left * count
                identity.update(base + right for right in everyone[offset + 1 :])
            continue
        if len(everyone) > _CAPS.get(kind, NAME_BLOCK_CAP):
            continue
        members = everyone
        if kind == "i":
            # An initial block only serves "J. Smith": John and James Smith need no comparing.
            lefts = [m for m in members if len(all_features[m].name.first) == 1]
        else:
            lefts = members
        for left in lefts:
            own, needs, works_at = accounts[left], needy[left], employer[left]
            for right in members:
                if right <= left and (kind != "i" or right == left or right in lefts):
                    continue  # each pair once
                if own and own & accounts[right]:
                    continue
                if needs or needy[right]:
                    # Only a shared employer can lift this pair: do the two name one?
                    other = employer[right]
                    if works_at is None or other is None:
                        continue
                    if (
                        works_at
                        and other
                        and works_at != other
                        and compare_organizations(works_at, other) < SIMILAR_ORGANIZATION
                    ):
                        continue
                named.add(left * count + right if left < right else right * count + left)
    named -= identity
    return CandidatePairs(count, identity, named)


def accounts_conflict(a: Features, b: Features) -> bool:
    """True when the two records hold different accounts of one kind from one source, and so
    can never be one person."""
    source_a, source_b = a.record.source, b.record.source
    if source_a != source_b:
        return False
    return any(
        left and right and left != right
        for left, right in (
            (a.linkedin, b.linkedin),
            (a.facebook, b.facebook),
            (a.x_account, b.x_account),
        )
    )


def _accounts(features: Features) -> frozenset[tuple[str, str]]:
    """The (kind, source) of each account a record holds; a second account of one kind from
    the same source is always another account."""
    source = features.record.source
    found = []
    if features.linkedin:
        found.append(("linkedin", source))
    if features.facebook:
        found.append(("facebook", source))
    if features.x_account:
        found.append(("x", source))
    return frozenset(found) if found else _NO_ACCOUNTS
