"""Blocking: which pairs of records are worth scoring at all.

Comparing every record with every other is quadratic (150,000 records make 11 billion pairs).
Instead each record gets a handful of keys, and only records sharing a key are compared:

- each normalised identity (e-mail, phone, LinkedIn, Facebook, X account, website);
- folded family name with each nickname group of the given name ("brandt|g23" puts Liesl and
  Anneliese Brandt together), and with the plain first name and its initial;
- the same with given and family swapped, for "Tanaka Misaki" against "Misaki Tanaka";
- each word of a compound family name, for Garcia-Lopez against Garcia;
- phonetic-ish keys (the start and the end of the family skeleton) for typos;
- organisation with given name, for a married name at the same employer.

A block larger than its cap (a common name, a shared mailbox) says little about any pair in
it and is skipped, which keeps the work close to linear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from eyecontact.matching.features import Features
from eyecontact.matching.names import given_groups, skeleton
from eyecontact.matching.organizations import domain_label

__all__ = ["IDENTITY_BLOCK_CAP", "NAME_BLOCK_CAP", "block_keys", "build_blocks", "candidate_pairs"]

IDENTITY_BLOCK_CAP = 40
NAME_BLOCK_CAP = 40
# The looser keys (initial, phonetic tail) make bigger blocks of weaker candidates.
_CAPS = {"=": IDENTITY_BLOCK_CAP, "i": 60, "t": 20}


def block_keys(features: Features) -> list[str]:
    """The blocking keys of one prepared record; identity keys start with ``=``."""
    keys = [f"=e:{e}" for e in features.emails]
    keys.extend(f"=r:{e}" for e in features.role_emails)
    keys.extend(f"=p:{p}" for p in features.phones)
    keys.extend(f"=w:{w}" for w in features.websites)
    if features.linkedin:
        keys.append(f"=l:{features.linkedin}")
    if features.facebook:
        keys.append(f"=f:{features.facebook}")
    if features.x_account:
        keys.append(f"=x:{features.x_account}")
    keys.extend(_name_keys(features))
    keys.extend(_address_keys(features))
    return keys


def _address_keys(features: Features) -> Iterable[str]:
    """Match an attendee known only by ``jsmith@acme.example`` to John Smith at Acme."""
    name = features.name
    if not name:
        return [
            f"a:{domain_label(email.partition('@')[2]).replace('-', '')}|"
            + "".join(ch for ch in email.partition("@")[0] if ch.isalpha())
            for email in features.emails
            if email.partition("@")[2] in features.work_domains
        ]
    if not features.organization or not name.first or not name.family:
        return []
    org = features.organization.replace(" ", "")
    first, family = name.first, name.family_key
    locals_ = {first + family, family + first, first[0] + family, first}
    return [f"a:{org}|{local}" for local in locals_]


def _name_keys(features: Features) -> Iterable[str]:
    name = features.name
    first = name.first
    family = name.family_key
    if not first or not family:
        return ()
    keys: list[str] = []
    groups = [f"g{g}" for g in sorted(given_groups(first))]
    givens = [first, *groups]
    family_skeletons = {skeleton(family)}
    family_skeletons.update(skeleton(part) for part in name.family_parts)
    if len(name.given) > 1:
        # The last given word may be the first half of an unhyphenated double surname.
        family_skeletons.add(skeleton(name.given[-1]))
    for family_skeleton in family_skeletons:
        keys.extend(f"n:{family_skeleton}|{given}" for given in givens)
        keys.append(f"i:{family_skeleton}|{first[0]}")
    main = skeleton(family)
    keys.append(f"n:{skeleton(first)}|{family}")  # the same name written family-first
    keys.append(f"t:{main[-3:]}|{main[0]}|{first}")
    if features.organization:
        org = features.organization.replace(" ", "")
        keys.extend(f"o:{org}|{given}" for given in givens)
    return keys


def build_blocks(all_features: Sequence[Features]) -> dict[str, list[int]]:
    """Map each blocking key to the positions of the records that have it."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, features in enumerate(all_features):
        for key in set(block_keys(features)):
            blocks[key].append(position)
    return blocks


def candidate_pairs(all_features: Sequence[Features], rank: Sequence[int]) -> set[tuple[int, int]]:
    """Positions ``(i, j)``, ``i < j``, of the record pairs worth scoring.

    ``rank`` orders the records independently of input order; it picks the hub when a
    personal identity is shared by more records than a block holds (one attendee seen at
    fifty meetings), which are then compared with that hub only.
    """
    pairs: set[tuple[int, int]] = set()
    for key, members in build_blocks(all_features).items():
        size = len(members)
        if size < 2:
            continue
        if size > _CAPS.get(key[0], NAME_BLOCK_CAP):
            if key[:3] in _PERSONAL_IDENTITY_KEYS:
                hub = min(members, key=rank.__getitem__)
                pairs.update((min(hub, m), max(hub, m)) for m in members if m != hub)
            continue
        if key[0] == "i":
            # An initial block only serves "J. Smith": John and James Smith need no comparing.
            initials = [m for m in members if len(all_features[m].name.first) == 1]
            pairs.update((min(i, m), max(i, m)) for i in initials for m in members if m != i)
            continue
        for offset, left in enumerate(members):
            for right in members[offset + 1 :]:
                pairs.add((left, right))
    return pairs


_PERSONAL_IDENTITY_KEYS = frozenset({"=e:", "=p:", "=l:", "=f:", "=x:"})
