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
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from eyecontact.matching.features import Features
from eyecontact.matching.names import compare_names
from eyecontact.matching.organizations import compare_organizations, domain_matches_organization
from eyecontact.matching.records import Evidence

__all__ = ["HARD_WEIGHT", "score_features"]

HARD_WEIGHT = 8.0
_ROLE_EMAIL = 0.8
_CONFLICT = -2.5
_ORG_SAME = 1.5
_ORG_SIMILAR = 0.7
_ORG_DIFFERENT = -1.0
_DOMAIN_ORG = 1.5
_SAME_WORK_DOMAIN = 1.5
_ORG_CORROBORATED = 0.3
_WEBSITE = 1.5
_ADDRESS_FULL_NAME = 1.1
_ADDRESS_INITIAL = 0.7
_ADDRESS_ONE_NAME = 0.2
_TITLE = 0.4
_CITY_SAME = 0.5
_CITY_DIFFERENT = -0.4
# Names this far apart make even a shared identity doubtful (a family phone, a shared inbox).
_NAME_CONFLICT = -2.5
_DOUBTFUL_CAP = 0.85


def score_features(a: Features, b: Features) -> tuple[float, tuple[Evidence, ...]]:
    """The probability-like score in [0, 1] that two prepared records are one person."""
    evidence: list[Evidence] = []
    hard = _hard_evidence(a, b, evidence)
    conflicts = _conflicts(a, b, evidence)
    name_weight, name_detail = compare_names(a.name, b.name)
    if a.name and b.name:
        evidence.append(Evidence("name", name_detail, name_weight))
    elif a.name or b.name:
        _address_fits_name(a, b, evidence) or _address_fits_name(b, a, evidence)
    _organization_evidence(a, b, evidence)
    _context_evidence(a, b, evidence)
    total = sum(e.weight for e in evidence)
    score = 1.0 / (1.0 + math.exp(-total)) if total > -30 else 0.0
    if hard and (conflicts or name_weight <= _NAME_CONFLICT):
        score = min(score, _DOUBTFUL_CAP)
    return round(score, 4), tuple(evidence)


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


def _address_fits_name(nameless: Features, named: Features, evidence: list[Evidence]) -> bool:
    """A record with only an address (a calendar attendee) against a name: does
    ``jsmith@`` or ``john.smith@`` fit John Smith?"""
    if nameless.name or not named.name.first or not named.name.family:
        return False
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
    return bool(best)


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


def _organization_evidence(a: Features, b: Features, evidence: list[Evidence]) -> None:
    found: list[Evidence] = []
    similarity = compare_organizations(a.organization, b.organization)
    if similarity >= 92:
        found.append(Evidence("organization", f"same organisation {a.organization}", _ORG_SAME))
    elif similarity >= 80:
        detail = f"similar organisations {a.organization} / {b.organization}"
        found.append(Evidence("organization", detail, _ORG_SIMILAR))
    domain = _domain_for_organization(a, b) or _domain_for_organization(b, a)
    if domain:
        detail = f"work address at {domain[0]} matches organisation {domain[1]}"
        found.append(Evidence("email_domain", detail, _DOMAIN_ORG))
    shared_domains = a.work_domains & b.work_domains
    if shared_domains:
        detail = f"both have work addresses at {min(shared_domains)}"
        found.append(Evidence("email_domain", detail, _SAME_WORK_DOMAIN))
    if found:
        best = max(found, key=lambda e: e.weight)
        evidence.append(best)
        if len(found) > 1:
            others = "; ".join(e.detail for e in found if e is not best)
            evidence.append(Evidence("organization", f"also {others}", _ORG_CORROBORATED))
    elif a.organization and b.organization and similarity < 55:
        detail = f"different organisations {a.organization} / {b.organization}"
        evidence.append(Evidence("organization", detail, _ORG_DIFFERENT))


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
