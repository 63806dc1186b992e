"""A business card's text split into who it names. Pure Python, no Django.

Tesseract (:mod:`.ocr`) gives the card's lines; this module says which is which:

1. e-mails and web addresses by their patterns, phone numbers with ``phonenumbers`` (in the
   workspace's region when a number has no country code), each taken out of the lines;
2. of the lines left, the organisation is one ending in a legal form ("GmbH", "Inc.", "K.K."),
   or naming the e-mail's domain ("Flora Analytics" for ``lena@flora-analytics.example``);
3. the title is a line with a job word ("Head of Growth", "Directrice commerciale");
4. the name is the line that looks most like a person's name: two to four capitalised words,
   best one that the e-mail's local part spells ("lena.hartmann").

Nothing is invented: a field the card does not show stays empty for the user to fill in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from eyecontact.matching.organizations import domain_matches_organization, organization_key

__all__ = ["CardFields", "card_fields"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WEB = re.compile(
    r"\b(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/[^\s]*)?",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\s*(?:e-?mail|mail|tel|phone|mobile|mob|cell|fax|web|t|m|e|w|p|f)(?:\s*:\s*|\.\s+)",
    re.IGNORECASE,
)
# Words of job titles in the languages cards come in; matched on folded, lower-case words.
_TITLE_WORDS = frozenset(
    word
    for line in (
        "ceo cto cfo coo cmo cio cso vp svp evp president founder cofounder co-founder",
        "owner partner",
        "director head chief manager lead officer engineer scientist researcher analyst consultant",
        "designer developer architect specialist advisor adviser associate executive coordinator",
        "representative sales marketing product operations growth principal senior junior intern",
        "professor student recruiter account business development strategy editor journalist",
        "geschaftsfuhrer geschaeftsfuehrer leiter leiterin vertrieb entwickler entwicklerin",
        "berater",
        "beraterin ingenieur ingenieurin inhaber inhaberin vorstand referent referentin",
        "directeur directrice responsable ingenieure commercial commerciale chef cheffe",
        "gerant gerante",
        "fondateur fondatrice charge chargee",
        "directora gerente jefe jefa ingeniero ingeniera fundador fundadora",
        "diretor diretora engenheiro engenheira socio",
    )
    for word in line.split()
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?$", re.UNICODE)


@dataclass(frozen=True, slots=True)
class CardFields:
    """Who a business card names, field by field; empty where the card shows nothing."""

    name: str = ""
    title: str = ""
    organization: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.name or self.organization or self.emails or self.phones)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(line: str) -> str:
    line = line.replace("|", " ").replace("•", " ").replace("·", " ")
    return " ".join(line.split()).strip(" ,;:-–—")


def _phones(text: str, region: str) -> list[str]:
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region or "US", leniency=1):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if number not in found:
            found.append(number)
    return found


def _is_title(line: str) -> bool:
    words = re.split(r"[\s,/&]+", _fold(line))
    return any(word.strip(".") in _TITLE_WORDS for word in words if word)


def _is_organization(line: str, domains: list[str]) -> bool:
    words = [w for w in _fold(line.replace("&", " and ")).split() if w != "and"]
    if len(organization_key(line).split()) < len([w for w in words if w.isalnum() or "." in w]):
        return True
    return any(domain_matches_organization(domain, line) for domain in domains)


def _name_score(line: str, locals_: list[str]) -> float:
    words = line.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
        return 0.0
    score = 1.0 + sum(w[:1].isupper() for w in words) / len(words)
    folded = [_fold(w).strip(".") for w in words]
    for local in locals_:
        hits = sum(1 for w in folded if len(w) > 1 and w in local)
        if hits:
            score += hits
        elif folded and local[:1] == folded[0][:1] and folded[-1] in local:
            score += 1
    return score


def card_fields(text: str, default_region: str = "US") -> CardFields:
    """Splits a card's OCR text into name, title, organisation, e-mails, phones, websites."""
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    emails: list[str] = []
    websites: list[str] = []
    phones: list[str] = []
    rest: list[str] = []
    for line in lines:
        # Tesseract often reads "www.example.com" as "www. example.com".
        bare = re.sub(r"\bwww\.\s+", "www.", _LABEL.sub("", line), flags=re.IGNORECASE)
        found_emails = _EMAIL.findall(bare)
        if found_emails:
            emails += [e.lower().strip(".") for e in found_emails if e.lower() not in emails]
            continue
        found_phones = _phones(bare, default_region)
        digits = sum(c.isdigit() for c in bare)
        if found_phones and digits >= 7:
            phones += [p for p in found_phones if p not in phones]
            continue
        web = _WEB.search(bare)
        if web and (web.group(0).lower().startswith(("http", "www.")) or " " not in bare):
            websites.append(web.group(0).rstrip(".,").lower())
            continue
        if digits > len(bare) // 2:
            continue  # a number Tesseract could not read as a phone: not a name
        rest.append(line)
    domains = [e.rpartition("@")[2] for e in emails]
    organization = next((line for line in rest if _is_organization(line, domains)), "")
    title = next((line for line in rest if line != organization and _is_title(line)), "")
    locals_ = [_fold(e.partition("@")[0]) for e in emails]
    candidates = [
        (score, -position, line)
        for position, line in enumerate(rest)
        if line not in (organization, title) and (score := _name_score(line, locals_)) > 0
    ]
    name = max(candidates)[2] if candidates else ""
    if not organization:
        # A card without a legal form: the line left that is neither name nor title, if one.
        others = [line for line in rest if line not in (name, title)]
        organization = others[0] if len(others) == 1 else ""
    return CardFields(
        name=name,
        title=title,
        organization=organization,
        emails=tuple(emails),
        phones=tuple(phones),
        websites=tuple(websites),
    )
