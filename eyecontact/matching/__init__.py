"""Identity resolution for Eye Contact: which records, across all imports, are one person.

Pure Python, without Django: records in, clusters out, all frozen dataclasses. The pipeline::

    PersonRecord ──normalize──> Features ──count──> Frequencies
                                   │                     │
                                   └──block──> candidate pairs ──prune──> score ──> Links
                                                                                     │
    Resolution(clusters, review) <───────────────── cluster (union-find + guards) <──┘

- **normalize** (:mod:`.normalize`, :mod:`.names`, :mod:`.organizations`, :mod:`.features`):
  e-mails, phones (E.164), LinkedIn slugs, Facebook and X accounts and websites in canonical
  form; role mailboxes (info@, sales@) set apart; names folded (José/Jose, Müller/Mueller,
  Łukasz/Lukasz, Þór/Thor), "Last, First" read, credentials dropped (Dr., PhD); company names
  stripped of legal forms (GmbH, Inc., Ltd). An account known by its id alone costs nothing.
- **count** (:mod:`.frequencies`): how many records carry each name and name part and
  work at each employer, to tell how many namesakes a pair could be confused with.
- **block** (:mod:`.blocking`): only records that share an identity or a name key (family
  name with a nickname group of the given name, an initial, a phonetic skeleton…) are
  compared; oversized blocks are skipped, two accounts of one kind from one export are never
  paired, and a record with a very common name is paired only with possible colleagues.
- **prune** (:mod:`.pruning`): a cheap bound on the score drops the name pairs that could
  not reach review, unscored.
- **score** (:mod:`.scoring`): a shared personal identity is near-certain; names add log-odds
  by how they relate (exact, nickname from ``data/nicknames.csv``, initial, typo, compound
  family name, swapped order; names in other scripts read in Latin letters by
  :mod:`.scripts`), and organisation, work e-mail domain, website, title and city back them
  up or speak against them. A common name, or a common name at a big employer, counts for
  less; a name nobody else in the population is expected to carry counts for more, by odds
  learned from the population itself (how often a person seen in one source shows up in
  another, how often two accounts of one source share a rare name). A pair that rests on
  names alone merges only at :data:`~.resolve.NAME_ONLY_MERGE_THRESHOLD` (0.95).
- **cluster** (:mod:`.clustering`): merge links join clusters strongest first; a join is
  refused if it breaks a ``cannot_link`` pair or puts two accounts of one kind from one
  source into one person, so clusters split on their weakest link. A record that fits two
  records that cannot be one person on names alone is left for review.
- **name groups** (:mod:`.namegroups`): then each rare name as a whole. The clusters carrying
  it (records of the name, and attendees known by an address that spells it) are joined when
  nothing contradicts it: no second profile or account of the name, no two rows of a source
  that lists each person once, and not clusters made only of a crowd of strangers (followed
  X accounts); those traits of each source are learned from the population.
  :meth:`MatchIndex.sole_bearer` asks the same of one person already known.

Scores are in [0, 1]: at or above ``merge_threshold`` (0.9) records merge, between
``review_threshold`` (0.6) and it the pair is offered for review, below it they stay apart.
Precision comes first: a wrong merge is worse than a missed one. The review queue keeps the
best link between two clusters, at most three per cluster and 1,000 in all, those that would
join the most records at the best odds first, so that it stays a list a person can work
through.

Resolving 150,000 records (30,000 LinkedIn connections, 105,000 followed X accounts…) takes
a few seconds; ``bench/matching_bench.py`` measures it, with precision and recall against a
generated population's truth.

Usage::

    from eyecontact.matching import MatchIndex, PersonRecord, resolve

    records = [
        PersonRecord("li-1", given_name="Anneliese", family_name="Brandt",
                     organization="Corvid Robotics GmbH", source="linkedin"),
        PersonRecord("vc-7", "Liesl Brandt", emails=("liesl.brandt@corvid-robotics.example",),
                     source="vcard"),
    ]
    resolution = resolve(records, cannot_link=set())
    for cluster in resolution.clusters:
        print(cluster.ids, cluster.score)
    for link in resolution.review:
        print(link.a, link.b, link.score, [e.detail for e in link.evidence])

    index = MatchIndex(records)                      # build once
    index.candidates(PersonRecord("q", "Liesl Brandt"), limit=5)   # then query, ~1 ms

``bench/gen/synth.py`` and ``bench/gen/people.py`` generate populations with known truth, and
score clusters against it; they live with the benchmarks, outside the product.
"""

from eyecontact.matching.index import MatchIndex
from eyecontact.matching.names import is_first_name_of
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_identity
from eyecontact.matching.records import (
    Candidate,
    Cluster,
    Decision,
    Evidence,
    Link,
    PersonRecord,
    Resolution,
)
from eyecontact.matching.resolve import (
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    resolve,
    score_pair,
)

__all__ = [
    "Candidate",
    "Cluster",
    "DEFAULT_MERGE_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "Decision",
    "Evidence",
    "InvalidIdentity",
    "Link",
    "MatchIndex",
    "PersonRecord",
    "Resolution",
    "fold_name",
    "is_first_name_of",
    "normalize_identity",
    "resolve",
    "score_pair",
]
