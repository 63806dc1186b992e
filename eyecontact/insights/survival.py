"""Kaplan–Meier survival curves: how long relationships stay active. Pure Python.

Each relationship is a duration in days and whether it ended (``ended``) or is still going
(censored). The estimator steps down at each day some relationships ended::

    S(t) = product over ending days d <= t of (1 - ended_on_d / at_risk_on_d)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Lifetime", "SurvivalPoint", "kaplan_meier", "survival_at"]


@dataclass(frozen=True, slots=True)
class Lifetime:
    days: int
    ended: bool


@dataclass(frozen=True, slots=True)
class SurvivalPoint:
    day: int
    survival: float
    at_risk: int
    ended: int


def kaplan_meier(lifetimes: Iterable[Lifetime]) -> list[SurvivalPoint]:
    """The survival curve: a point at day 0 and at every day on which relationships ended."""
    items = sorted(lifetimes, key=lambda item: item.days)
    at_risk = len(items)
    curve = [SurvivalPoint(day=0, survival=1.0, at_risk=at_risk, ended=0)]
    ended_on = Counter(item.days for item in items if item.ended)
    leaving_on = Counter(item.days for item in items)
    survival = 1.0
    for day in sorted(leaving_on):
        ended = ended_on.get(day, 0)
        if ended:
            survival *= 1 - ended / at_risk
            curve.append(SurvivalPoint(day=day, survival=survival, at_risk=at_risk, ended=ended))
        at_risk -= leaving_on[day]
    return curve


def survival_at(curve: Sequence[SurvivalPoint], day: int) -> float:
    """The share of relationships still active ``day`` days after they began."""
    value = 1.0
    for point in curve:
        if point.day > day:
            break
        value = point.survival
    return value
