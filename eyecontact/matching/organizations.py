"""Organisations and e-mail domains as evidence that two records are one person.

Company names are folded and stripped of legal forms ("Corvid Robotics GmbH" and "Corvid
Robotics" are one employer), then compared with rapidfuzz. A work address says where a person
works: ``liesl.brandt@corvid-robotics.example`` supports a record at "Corvid Robotics GmbH".
Free-mail domains (gmail.com…) say nothing about an employer, and role mailboxes (info@,
sales@…) are shared by many people, so neither counts as a person's identity.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from eyecontact.matching.normalize import fold_name

__all__ = [
    "FREE_MAIL_DOMAINS",
    "ROLE_MAILBOXES",
    "compare_organizations",
    "domain_label",
    "domain_matches_organization",
    "is_free_mail",
    "is_role_address",
    "organization_key",
]


def _words(text: str) -> frozenset[str]:
    """The words of a compact word list."""
    return frozenset(text.split())


# Legal forms, in folded form, stripped from the end of a company name.
_LEGAL_FORMS = _words(
    "gmbh mbh ag kg ohg ug gbr ev eg se mbb partg partgmbb inc incorporated corp corporation co "
    "company cos ltd limited llc llp lp plc pllc pc pty pvt sa sas sarl sl slu srl spa bv nv ab "
    "as asa aps oy oyj kk gk sro spzoo sp zoo kft zrt bhd sdn tbk lda ltda sac sca cv ek"
)
# Multi-word legal forms after folding ("S.L." folds to "s l", "A/S" to "a s").
_LEGAL_PAIRS = frozenset(
    {
        ("s", "l"),
        ("s", "a"),
        ("a", "s"),
        ("k", "k"),
        ("b", "v"),
        ("n", "v"),
        ("e", "v"),
        ("s", "r", "l"),
        ("s", "p", "a"),
        ("s", "a", "s"),
        ("sp", "z", "o", "o"),
        ("pty", "ltd"),
        ("co", "ltd"),
        ("co", "kg"),
        ("gmbh", "co", "kg"),
    }
)
_LEADING_WORDS = frozenset({"the"})

# Employers and domains repeat across records; the caches are bounded for long-lived processes.
_CACHE_SIZE = 1 << 16

FREE_MAIL_DOMAINS = _words(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.de yahoo.fr ymail.com hotmail.com
    hotmail.co.uk hotmail.de hotmail.fr outlook.com outlook.de live.com live.de msn.com
    icloud.com me.com mac.com aol.com aol.de gmx.de gmx.net gmx.at gmx.ch gmx.com web.de
    t-online.de freenet.de posteo.de mailbox.org proton.me protonmail.com pm.me tutanota.com
    tuta.io fastmail.com hey.com zoho.com yandex.ru yandex.com mail.ru bk.ru inbox.ru list.ru
    rambler.ru qq.com 163.com 126.com sina.com foxmail.com naver.com daum.net hanmail.net
    orange.fr free.fr laposte.net sfr.fr wanadoo.fr libero.it virgilio.it tiscali.it alice.it
    seznam.cz wp.pl o2.pl onet.pl interia.pl bluewin.ch btinternet.com sky.com virginmedia.com
    comcast.net verizon.net att.net sbcglobal.net cox.net rediffmail.com yahoo.co.in
    yahoo.co.jp uol.com.br bol.com.br terra.com.br mail.com email.com rocketmail.com
    mail.example
    """
)

ROLE_MAILBOXES = _words(
    """
    info information sales contact contacts hello hi office admin administrator support help
    helpdesk team marketing press media pr hr jobs careers recruiting recruitment billing
    invoices invoice accounts accounting finance legal privacy security abuse postmaster
    webmaster hostmaster noreply no-reply donotreply do-not-reply mail enquiries enquiry
    inquiries inquiry service services customerservice events booking bookings reservations
    reception frontdesk partners partnerships orders shop store newsletter news feedback
    community social general kontakt buero buro anfrage bestellung vertrieb
    """
)


def is_free_mail(domain: str) -> bool:
    """True for a public mail provider, whose domain says nothing about an employer."""
    return domain in FREE_MAIL_DOMAINS


def is_role_address(email: str) -> bool:
    """True for a shared mailbox (info@, sales@, a mailing list) rather than a person's."""
    local, _, domain = email.partition("@")
    local = local.split("+", 1)[0]
    return (
        local in ROLE_MAILBOXES
        or "noreply" in local
        or "no-reply" in local
        or domain.startswith(("lists.", "list.", "groups.", "googlegroups."))
        or domain.endswith(".calendar.google.com")
    )


@lru_cache(maxsize=_CACHE_SIZE)
def organization_key(name: str) -> str:
    """A company name folded, with legal forms and a leading "the" dropped."""
    words = fold_name(name.replace("&", " and ")).split()
    words = [w for w in words if w != "and"]
    while len(words) > 1 and words[0] in _LEADING_WORDS:
        words.pop(0)
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in (4, 3, 2):
            if len(words) > size and tuple(words[-size:]) in _LEGAL_PAIRS:
                del words[-size:]
                changed = True
                break
        if not changed and words[-1] in _LEGAL_FORMS:
            words.pop()
            changed = True
    return " ".join(words)


@lru_cache(maxsize=_CACHE_SIZE * 4)
def compare_organizations(a: str, b: str) -> float:
    """Similarity in [0, 100] of two organisation keys from :func:`organization_key`."""
    if not a or not b:
        return 0.0
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return 100.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


@lru_cache(maxsize=_CACHE_SIZE)
def domain_label(domain: str) -> str:
    """The part of a mail domain that names its owner: ``corvid-robotics`` for
    ``mail.corvid-robotics.example``, ``acme`` for ``acme.co.uk``."""
    labels = domain.split(".")
    if len(labels) < 2:
        return domain
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov", "edu", "ne"):
        return labels[-3]
    return labels[-2]


@lru_cache(maxsize=_CACHE_SIZE)
def domain_matches_organization(domain: str, organization: str) -> bool:
    """True when a work address's domain plausibly belongs to the organisation
    (an organisation key from :func:`organization_key`)."""
    if not organization or is_free_mail(domain):
        return False
    label = domain_label(domain)
    compact_label = label.replace("-", "")
    words = organization.split()
    compact = "".join(words)
    if len(compact_label) < 3 or len(compact) < 3:
        return compact_label == compact
    if compact_label == compact:
        return True
    shorter, longer = sorted((compact_label, compact), key=len)
    if len(shorter) >= 4 and shorter in longer:
        return True
    if fuzz.ratio(compact_label, compact) >= 85:
        return True
    acronym = "".join(w[0] for w in words)
    return len(words) >= 2 and label.split("-")[0] == acronym
