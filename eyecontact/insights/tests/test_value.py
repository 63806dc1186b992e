"""The insight numbers on a small workspace checked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.events.services import event_create
from eyecontact.insights.survival import Lifetime, kaplan_meier, survival_at
from eyecontact.insights.value import event_funnel, relationship_groups, value_of_face_to_face
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def days_before(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


class KaplanMeierTests:
    def test_the_curve_steps_down_at_each_ending(self) -> None:
        """Four relationships: ended at 100 and 300 days, one censored at 200, one at 400."""
        curve = kaplan_meier(
            [Lifetime(100, True), Lifetime(200, False), Lifetime(300, True), Lifetime(400, False)]
        )
        assert [(p.day, round(p.survival, 4), p.at_risk) for p in curve] == [
            (0, 1.0, 4),
            (100, 0.75, 4),
            (300, 0.375, 2),
        ]
        assert survival_at(curve, 99) == 1.0
        assert survival_at(curve, 250) == 0.75
        assert survival_at(curve, 1000) == 0.375

    def test_no_relationships_give_a_flat_curve(self) -> None:
        assert [p.survival for p in kaplan_meier([])] == [1.0]


@pytest.mark.django_db
class ValueTests:
    def test_groups_by_how_relationships_began(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        met = make_person("Met Over Coffee")
        touch_log(workspace=workspace, people=[met], channel="in_person", when=days_before(730))
        touch_log(workspace=workspace, people=[met], channel="email", when=days_before(10))
        connection_add(person=met, network="linkedin", kind="connection")
        online = make_person("Only Online")
        touch_log(workspace=workspace, people=[online], channel="message", when=days_before(1000))
        touch_log(workspace=workspace, people=[online], channel="message", when=days_before(900))
        face, web = relationship_groups(workspace=workspace, now=NOW)
        assert (face.relationships, face.active, face.two_way) == (1, 1, 1)
        assert (web.relationships, web.active, web.two_way) == (1, 0, 0)
        assert face.touches_per_year == pytest.approx(2 / (730 / 365.25))
        # The online one went quiet 900 days ago, 100 days after it began.
        assert [(p.day, p.survival) for p in web.curve] == [(0, 1.0), (100, 0.0)]

    def test_the_event_funnel_follows_conversations_for_a_year(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        start = (NOW - dt.timedelta(days=500)).date()
        ces = event_create(workspace=workspace, name="CES", starts_on=start)
        kept, lost = make_person("Kept In Touch"), make_person("Lost Touch")
        for person in (kept, lost):
            touch_log(
                workspace=workspace, people=[person], channel="in_person", when=start, event=ces
            )
        connection_add(person=kept, network="linkedin", kind="connection")
        touch_log(workspace=workspace, people=[kept], channel="phone", when=days_before(30))
        [row] = event_funnel(workspace=workspace, now=NOW)
        assert row == {
            "event": "CES",
            "starts_on": start.isoformat(),
            "conversations": 2,
            "connections": 1,
            "active_a_year_later": 1,
        }

    def test_a_recent_event_is_too_young_to_tell(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        start = (NOW - dt.timedelta(days=30)).date()
        meetup = event_create(workspace=workspace, name="Meetup", starts_on=start)
        touch_log(
            workspace=workspace,
            people=[make_person()],
            channel="in_person",
            when=start,
            event=meetup,
        )
        [row] = event_funnel(workspace=workspace, now=NOW)
        assert row["active_a_year_later"] is None

    def test_everything_is_plain_data(self, workspace: Workspace) -> None:
        figures = value_of_face_to_face(workspace=workspace, now=NOW)
        assert set(figures) == {"groups", "vetted_by_year", "event_funnel"}
        assert [g["group"] for g in figures["groups"]] == ["face_to_face", "online_only"]
