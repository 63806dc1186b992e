"""Relationship strength: how alive a relationship is, from its touches.

No database: each touch adds its channel's weight (in person counts most, then phone, video,
message and e-mail, social least; the defaults and the words come from the touch channel
registry, :data:`eyecontact.people.choices.CHANNELS`), halved for every half-life that has
passed since it happened::

    strength = sum(weight[channel] * 0.5 ** (age_in_days / half_life_days))

Touches in the future (a planned meeting) add nothing until they happen. The explanation says
what the number is made of in the user's words: "3 in-person meetings, last one 14 months ago".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from eyecontact.people.choices import CHANNELS, DEFAULT_WEIGHTS

__all__ = [
    "DEFAULT_HALF_LIFE_DAYS",
    "DEFAULT_WEIGHTS",
    "Strength",
    "TouchPoint",
    "describe_age",
    "strength_of",
]

DEFAULT_HALF_LIFE_DAYS = 365


@dataclass(frozen=True, slots=True)
class TouchPoint:
    """What strength needs of a touch: how and when."""

    channel: str
    when: dt.datetime


@dataclass(frozen=True, slots=True)
class Strength:
    """A relationship's strength and the words that explain it."""

    score: float
    counts: Mapping[str, int]
    last: Mapping[str, dt.datetime]
    explanation: str


def describe_age(then: dt.datetime, now: dt.datetime) -> str:
    """ "today", "3 days ago", "5 weeks ago", "14 months ago", "6 years ago"."""
    days = (now - then).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{round(days / 365.25)} years ago"


def strength_of(
    touches: Iterable[TouchPoint],
    *,
    now: dt.datetime,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> Strength:
    """The strength of one relationship at ``now``."""
    if half_life_days <= 0:
        raise ValueError("the half-life must be a positive number of days")
    score = 0.0
    counts: Counter[str] = Counter()
    last: dict[str, dt.datetime] = {}
    for touch in touches:
        if touch.when > now:
            continue
        age_days = (now - touch.when).total_seconds() / 86_400
        score += weights.get(touch.channel, 0.0) * 0.5 ** (age_days / half_life_days)
        counts[touch.channel] += 1
        if touch.channel not in last or touch.when > last[touch.channel]:
            last[touch.channel] = touch.when
    return Strength(
        score=round(score, 4),
        counts=dict(counts),
        last=last,
        explanation=_explain(counts, last, now),
    )


def _explain(counts: Mapping[str, int], last: Mapping[str, dt.datetime], now: dt.datetime) -> str:
    if not counts:
        return "No touches yet."
    parts = []
    for channel, traits in CHANNELS.items():
        n = counts.get(channel.value, 0)
        if not n:
            continue
        when = describe_age(last[channel.value], now)
        if n == 1:
            parts.append(f"1 {traits.one}, {when}")
        else:
            parts.append(f"{n} {traits.many}, last one {when}")
    return "; ".join(parts) + "."
