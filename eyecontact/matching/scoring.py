"""The score of one pair of records, with the evidence behind it.

Scoring adds up log-odds. A shared identity that belongs to one person (an address that is not
a role mailbox, a phone number, a LinkedIn, Facebook or X account) is near-certain on its own.
Everything else is probabilistic: the names (see :mod:`eyecontact.matching.names`), then the
organisation, work e-mail domain, website, title and city that back them up or speak against
them. The sum goes through a logistic curve to a score in [0, 1].

The weights are set so that a name alone never reaches the merge threshold: an exact name
scores about 0.75 (review), the same name at the same organisation about 0.93 (merge), the
same name at a different organisation about 0.5 (kept apart). A shared identity with a clearly
different name ("Mom" and "Jane Doe" with one phone) goes to review rather than merging.

Those figures hold for a rare name. Given the :class:`~.frequencies.Frequencies` of the
population, a pair without a shared identity also loses log-odds for how common its name is,
and for how many namesakes it could expect at a shared employer: a name carried by dozens of
records is no reason to look twice, and the same common name at a big employer is a question
for a person, not a merge.
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from eyecontact.matching.features import Features
from eyecontact.matching.frequencies import Frequencies, commonness_penalty
from eyecontact.matching.names import compare_names
from eyecontact.matching.organizations import compare_organizations, domain_matches_organization
from eyecontact.matching.records import Evidence
from eyecontact.matching.scripts import latin

__all__ = [
    "ADDRESS_MAX",
    "EXACT_NAME",
    "CITY_WEIGHT",
    "DIFFERENT_ORGANIZATION",
    "HARD_WEIGHT",
    "ORGANIZATION_DIFFERENT",
    "ORGANIZATION_MAX",
    "ORGANIZATION_SAME",
    "ORGANIZATION_SIMILAR",
    "SAME_ORGANIZATION",
    "SIMILAR_ORGANIZATION",
    "TITLE_WEIGHT",
    "employer_weight",
    "score_features",
]

HARD_WEIGHT = 8.0
# How much less than an exact full name a rare name counts when it agrees less well, by the
# name weight of :mod:`.names` (exact, swapped, nickname) or the address fit (a whole name
# spelt, an initial and the family name). Only these can gain from rarity.
_NAME_DOUBT = {1.1: 0.0, 0.95: 0.3, 0.8: 0.7}
EXACT_NAME = 1.1
_ADDRESS_DOUBT = {1.1: 0.7, 0.7: 1.4}
_ROLE_EMAIL = 0.8
_CONFLICT = -2.5
_ORG_SAME = 1.5
_ORG_SIMILAR = 0.7
_ORG_DIFFERENT = -1.0
_DOMAIN_ORG = 1.5
_SAME_WORK_DOMAIN = 1.5
_DIFFERENT_WORK_ADDRESSES = 0.3
_ORG_CORROBORATED = 0.3
_WEBSITE = 1.5
_ADDRESS_FULL_NAME = 1.1
_ADDRESS_INITIAL = 0.7
_ADDRESS_ONE_NAME = 0.2
ADDRESS_MAX = _ADDRESS_FULL_NAME
_TITLE = 0.4
TITLE_WEIGHT = _TITLE
_CITY_SAME = 0.5
CITY_WEIGHT = _CITY_SAME
_CITY_DIFFERENT = -0.4
# Names this far apart make even a shared identity doubtful (a family phone, a shared inbox).
_NAME_CONFLICT = -2.5
_DOUBTFUL_CAP = 0.85
# The most an organisation can add: the best organisation evidence and its corroboration.
ORGANIZATION_MAX = max(_ORG_SAME, _DOMAIN_ORG, _SAME_WORK_DOMAIN) + _ORG_CORROBORATED
ORGANIZATION_SAME = _ORG_SAME
ORGANIZATION_SIMILAR = _ORG_SIMILAR
ORGANIZATION_DIFFERENT = _ORG_DIFFERENT
# How alike (rapidfuzz, 0-100) two organisation keys must be to count as one, or as similar;
# below the last, two named organisations are different ones.
SAME_ORGANIZATION = 92
SIMILAR_ORGANIZATION = 80
DIFFERENT_ORGANIZATION = 55


def score_features(
    a: Features, b: Features, frequencies: Frequencies | None = None
) -> tuple[float, tuple[Evidence, ...]]:
    """The probability-like score in [0, 1] that two prepared records are one person.

    With ``frequencies``, a pair that shares no identity is weighed by how common its name
    (and its shared employer) is in that population; without, every name counts as rare.
    """
    evidence: list[Evidence] = []
    hard = _hard_evidence(a, b, evidence)
    conflicts = _conflicts(a, b, evidence)
    name_weight, name_detail = compare_names(a.name, b.name)
    namesakes = 0.0
    # How far a name that nobody else carries is from certain: an exact full name not at all,
    # a nickname or an address that spells the name somewhat.
    doubt = math.inf
    name_weight_seen = 0.0
    if a.name and b.name:
        evidence.append(Evidence("name", _read_as(a, b, name_detail), name_weight))
        if frequencies is not None and name_weight >= 0:
            namesakes = max(frequencies.namesakes(a.name), frequencies.namesakes(b.name))
            doubt = _NAME_DOUBT.get(round(name_weight, 2), math.inf)
            name_weight_seen = name_weight
    elif a.name or b.name:
        fit = _address_fits_name(a, b, evidence) or _address_fits_name(b, a, evidence)
        if frequencies is not None and fit:
            initial = fit != _ADDRESS_FULL_NAME
            namesakes = frequencies.namesakes(a.name or b.name, initial=initial)
            doubt = _ADDRESS_DOUBT.get(round(fit, 2), math.inf)
            name_weight_seen = fit
    employer = _organization_evidence(a, b, evidence)
    _context_evidence(a, b, evidence)
    if frequencies is not None and not hard and doubt != math.inf:
        rarity = frequencies.rarity(namesakes, a.record.source, b.record.source)
        gain = round(rarity - doubt - name_weight_seen, 2)
        if gain > 0:
            detail = f"a rare name here: about {namesakes:.3f} others expected to carry it"
            evidence.append(Evidence("rarity", detail, gain))
            namesakes = 0.0
    if namesakes and not hard and frequencies is not None:
        colleagues = frequencies.colleagues(employer, a, b) if employer else None
        penalty = round(commonness_penalty(frequencies, namesakes, colleagues), 2)
        if penalty:
            detail = f"a common name: about {namesakes:.1f} others may carry it"
            if colleagues is not None:
                detail += f", and {colleagues} others name this employer"
            evidence.append(Evidence("commonness", detail, -penalty))
    total = sum(e.weight for e in evidence)
    score = 1.0 / (1.0 + math.exp(-total)) if total > -30 else 0.0
    if hard and (conflicts or name_weight <= _NAME_CONFLICT):
        score = min(score, _DOUBTFUL_CAP)
    return round(score, 4), tuple(evidence)


def _read_as(a: Features, b: Features, detail: str) -> str:
    """The name comparison in words, saying how a name in another script was read."""
    for features in (a, b):
        shown = features.record.full_name or (
            f"{features.record.given_name} {features.record.family_name}"
        )
        if not shown.isascii() and latin(shown) != shown:
            read = " ".join((*features.name.given, *features.name.family))
            detail += f" ({shown.strip()} read as {read})"
    return detail


def _hard_evidence(a: Features, b: Features, evidence: list[Evidence]) -> bool:
    hard = False
    shared = a.emails & b.emails
    if shared:
        evidence.append(Evidence("email", f"same e-mail {min(shared)}", HARD_WEIGHT))
        hard = True
    shared = a.phones & b.phones
    if shared:
        evidence.append(Evidence("phone", f"same phone {min(shared)}", HARD_WEIGHT))
        hard = True
    for kind, left, right in (
        ("linkedin", a.linkedin, b.linkedin),
        ("facebook", a.facebook, b.facebook),
        ("x", a.x_account, b.x_account),
    ):
        if left and left == right:
            evidence.append(Evidence(kind, f"same {kind} account {left}", HARD_WEIGHT))
            hard = True
    shared = (a.role_emails | a.emails) & (b.role_emails | b.emails)
    shared -= a.emails & b.emails
    if shared:
        evidence.append(Evidence("role_email", f"shared mailbox {min(shared)}", _ROLE_EMAIL))
    return hard


def _address_fits_name(nameless: Features, named: Features, evidence: list[Evidence]) -> float:
    """A record with only an address (a calendar attendee) against a name: does
    ``jsmith@`` or ``john.smith@`` fit John Smith? The weight of the fit, or 0."""
    if nameless.name or not named.name.first or not named.name.family:
        return 0.0
    first, family = named.name.first, named.name.family_key
    best = 0.0
    best_email = ""
    for email in sorted(nameless.emails):
        local = "".join(ch for ch in email.partition("@")[0] if ch.isalpha())
        if local in (first + family, family + first):
            weight = _ADDRESS_FULL_NAME
        elif local in (first[0] + family, family + first[0]):
            weight = _ADDRESS_INITIAL
        elif local in (first, family):
            weight = _ADDRESS_ONE_NAME
        else:
            continue
        if weight > best:
            best, best_email = weight, email
    if best:
        detail = f"address {best_email} fits the name {first} {family}"
        evidence.append(Evidence("name", detail, best))
    return best


def _conflicts(a: Features, b: Features, evidence: list[Evidence]) -> bool:
    found = False
    for kind, left, right in (
        ("linkedin", a.linkedin, b.linkedin),
        ("facebook", a.facebook, b.facebook),
        ("x", a.x_account, b.x_account),
    ):
        if left and right and left != right:
            evidence.append(Evidence("conflict", f"different {kind} accounts", _CONFLICT))
            found = True
    return found


def _organization_evidence(a: Features, b: Features, evidence: list[Evidence]) -> tuple[str, ...]:
    """Adds what the employers say; returns the employer keys (organisations, mail domains)
    the pair shares, for weighing how big that employer is, or ``()``."""
    if not (a.organization or a.work_domains) or not (b.organization or b.work_domains):
        return ()
    found: list[tuple[Evidence, tuple[str, ...]]] = []
    similarity = compare_organizations(a.organization, b.organization)
    if similarity >= SAME_ORGANIZATION:
        same = Evidence("organization", f"same organisation {a.organization}", _ORG_SAME)
        found.append((same, (a.organization, b.organization)))
    elif similarity >= SIMILAR_ORGANIZATION:
        detail = f"similar organisations {a.organization} / {b.organization}"
        found.append((Evidence("organization", detail, _ORG_SIMILAR), (a.organization,)))
    domain = _domain_for_organization(a, b) or _domain_for_organization(b, a)
    if domain:
        detail = f"work address at {domain[0]} matches organisation {domain[1]}"
        found.append((Evidence("email_domain", detail, _DOMAIN_ORG), domain))
    shared_domains = a.work_domains & b.work_domains
    if shared_domains and a.organization and b.organization:
        # Addresses at a domain that neither stated employer goes by (a mail provider of
        # this network's) say nothing of where the two work.
        shared_domains = frozenset(
            d
            for d in shared_domains
            if domain_matches_organization(d, a.organization)
            or domain_matches_organization(d, b.organization)
        )
    if shared_domains:
        shared = min(shared_domains)
        if a.emails & b.emails:
            detail = f"both have work addresses at {shared}"
            found.append((Evidence("email_domain", detail, _SAME_WORK_DOMAIN), (shared,)))
        else:
            # A company gives each person one address; two at one domain are two people
            # more often than one person's aliases.
            detail = f"different work addresses at {shared}"
            found.append((Evidence("email_domain", detail, _DIFFERENT_WORK_ADDRESSES), (shared,)))
    if found:
        best, employer = max(found, key=lambda pair: pair[0].weight)
        evidence.append(best)
        if len(found) > 1:
            others = "; ".join(e.detail for e, _ in found if e is not best)
            evidence.append(Evidence("organization", f"also {others}", _ORG_CORROBORATED))
        return employer
    if a.organization and b.organization and similarity < DIFFERENT_ORGANIZATION:
        detail = f"different organisations {a.organization} / {b.organization}"
        evidence.append(Evidence("organization", detail, _ORG_DIFFERENT))
    return ()


def employer_weight(a: Features, b: Features) -> float:
    """What the employers of two records add to their score, against or for: the same
    evidence :func:`score_features` weighs, without the rest of the pair."""
    found: list[Evidence] = []
    _organization_evidence(a, b, found)
    return sum(e.weight for e in found)


def _domain_for_organization(a: Features, b: Features) -> tuple[str, str] | None:
    if not b.organization:
        return None
    for domain in sorted(a.work_domains):
        if domain_matches_organization(domain, b.organization):
            return domain, b.organization
    return None


def _context_evidence(a: Features, b: Features, evidence: list[Evidence]) -> None:
    shared = a.websites & b.websites
    if shared:
        evidence.append(Evidence("website", f"same website {min(shared)}", _WEBSITE))
    if a.title and b.title and fuzz.token_sort_ratio(a.title, b.title) >= 90:
        evidence.append(Evidence("title", f"same title {a.title}", _TITLE))
    if a.city and b.city:
        if a.city == b.city:
            evidence.append(Evidence("city", f"same city {a.city}", _CITY_SAME))
        else:
            evidence.append(
                Evidence("city", f"different cities {a.city} / {b.city}", _CITY_DIFFERENT)
            )
