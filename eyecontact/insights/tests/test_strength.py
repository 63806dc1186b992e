"""Relationship strength: weights, decay and the words that explain it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyecontact.insights.strength import TouchPoint, describe_age, strength_of

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


class StrengthTests:
    def test_no_touches_is_zero_and_says_so(self) -> None:
        strength = strength_of([], now=NOW)
        assert strength.score == 0
        assert strength.explanation == "No touches yet."

    def test_in_person_counts_most_and_social_least(self) -> None:
        scores = [
            strength_of([TouchPoint(channel, ago(1))], now=NOW).score
            for channel in ("in_person", "phone", "video", "message", "social")
        ]
        assert scores == sorted(scores, reverse=True)
        assert len(set(scores)) == len(scores)

    def test_a_touch_loses_half_its_weight_every_half_life(self) -> None:
        fresh = strength_of([TouchPoint("in_person", NOW)], now=NOW, half_life_days=100)
        old = strength_of([TouchPoint("in_person", ago(100))], now=NOW, half_life_days=100)
        assert old.score == pytest.approx(fresh.score / 2)

    def test_only_social_touches_stay_weak(self) -> None:
        likes = [TouchPoint("social", ago(d)) for d in range(0, 30, 3)]
        one_meeting = [TouchPoint("in_person", ago(1))]
        assert strength_of(likes, now=NOW).score < strength_of(one_meeting, now=NOW).score

    def test_touches_in_the_future_add_nothing_yet(self) -> None:
        planned = strength_of([TouchPoint("in_person", NOW + dt.timedelta(days=3))], now=NOW)
        assert planned.score == 0
        assert planned.explanation == "No touches yet."

    def test_custom_weights_are_used(self) -> None:
        weights = {"in_person": 1.0, "social": 50.0}
        social = strength_of([TouchPoint("social", NOW)], now=NOW, weights=weights)
        met = strength_of([TouchPoint("in_person", NOW)], now=NOW, weights=weights)
        assert social.score > met.score

    def test_the_explanation_counts_meetings_and_says_how_long_ago(self) -> None:
        touches = [
            TouchPoint("in_person", ago(1000)),
            TouchPoint("in_person", ago(700)),
            TouchPoint("in_person", ago(426)),
            TouchPoint("phone", ago(20)),
        ]
        explanation = strength_of(touches, now=NOW).explanation
        assert explanation == (
            "3 in-person meetings, last one 14 months ago; 1 phone call, 2 weeks ago."
        )

    def test_a_half_life_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="half-life"):
            strength_of([], now=NOW, half_life_days=0)

    @pytest.mark.parametrize(
        ("days", "words"),
        [
            (0, "today"),
            (1, "yesterday"),
            (5, "5 days ago"),
            (21, "3 weeks ago"),
            (426, "14 months ago"),
            (3650, "10 years ago"),
        ],
    )
    def test_ages_read_like_a_person_would_say_them(self, days: int, words: str) -> None:
        assert describe_age(ago(days), NOW) == words

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["in_person", "phone", "video", "message", "email", "social"]),
                st.floats(min_value=0, max_value=20_000),
            ),
            max_size=30,
        )
    )
    def test_strength_never_grows_as_time_passes(self, touches: list[tuple[str, float]]) -> None:
        points = [TouchPoint(channel, ago(days)) for channel, days in touches]
        today = strength_of(points, now=NOW).score
        later = strength_of(points, now=NOW + dt.timedelta(days=30)).score
        assert later <= today + 1e-9
