"""The demo network: reproducible, believable, and shaped like what the services write."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from eyecontact.accounts.models import User, Workspace
from eyecontact.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    demo_build,
    demo_first_run,
    demo_password_works,
)
from eyecontact.demo._vocab import ORGANIZATIONS
from eyecontact.events.models import Event
from eyecontact.imports.sources.parties import attendee_kind
from eyecontact.matching.normalize import normalize_identity
from eyecontact.people.choices import Channel
from eyecontact.people.models import Connection, Identity, Person, Touch
from eyecontact.people.services import person_derive_fields

UNTIL = dt.date(2026, 6, 30)


def snapshot(workspace: Workspace) -> dict[str, Any]:
    """Everything a user would see, without database ids or creation times."""
    people = list(
        Person.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list(
            "display_name", "organization", "title", "city", "notes", "cadence_days",
            "touch_count", "last_touch_at", "last_in_person_at",
        )
    )  # fmt: skip
    identities = list(
        Identity.objects.filter(workspace=workspace).order_by("pk").values_list("kind", "value")
    )
    touches = [
        (t.channel, t.occurred_at, t.has_time, t.where, t.note, t.event.name if t.event else "",
         sorted(p.display_name for p in t.people.all()))
        for t in Touch.objects.filter(workspace=workspace)
        .select_related("event")
        .prefetch_related("people")
        .order_by("pk")
    ]  # fmt: skip
    connections = list(
        Connection.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("person__display_name", "network", "kind", "connected_on")
    )
    events = list(
        Event.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("name", "kind", "city", "starts_on", "ends_on")
    )
    return {
        "people": people,
        "identities": identities,
        "touches": touches,
        "connections": connections,
        "events": events,
    }


@pytest.fixture
def demo(db: None) -> Workspace:
    return demo_build(people=300, seed=11, workspace_name="Demo", until=UNTIL)


class DemoBuildTests:
    def test_the_same_seed_gives_identical_data(self, db: None) -> None:
        first = demo_build(people=80, seed=5, workspace_name="One", until=UNTIL)
        second = demo_build(people=80, seed=5, workspace_name="Two", until=UNTIL)
        assert snapshot(first) == snapshot(second)

    def test_a_different_seed_gives_different_people(self, db: None) -> None:
        first = demo_build(people=80, seed=5, workspace_name="One", until=UNTIL)
        second = demo_build(people=80, seed=6, workspace_name="Two", until=UNTIL)
        assert snapshot(first)["people"] != snapshot(second)["people"]

    def test_it_holds_the_people_and_ten_touches_each_by_default(self, demo: Workspace) -> None:
        assert Person.objects.filter(workspace=demo).count() == 300
        assert Touch.objects.filter(workspace=demo).count() == 3000

    def test_the_touch_count_can_be_chosen(self, db: None) -> None:
        workspace = demo_build(people=50, seed=1, workspace_name="Small", touches=123, until=UNTIL)
        assert Touch.objects.filter(workspace=workspace).count() == 123

    def test_touches_span_ten_years_in_every_channel(self, demo: Workspace) -> None:
        touches = Touch.objects.filter(workspace=demo)
        assert set(touches.values_list("channel", flat=True)) == set(Channel.values)
        first = touches.order_by("occurred_at").first()
        last = touches.order_by("-occurred_at").first()
        assert first is not None and last is not None
        assert first.occurred_at.date() < UNTIL - dt.timedelta(days=365 * 8)
        assert last.occurred_at.date() < UNTIL

    def test_ces_in_las_vegas_in_january_is_among_the_events(self, demo: Workspace) -> None:
        ces = Event.objects.get(workspace=demo, name="CES 2026")
        assert (ces.city, ces.starts_on.month, ces.kind) == ("Las Vegas", 1, "trade_show")
        assert ces.touches.filter(channel=Channel.IN_PERSON).exists()
        kinds = set(Event.objects.filter(workspace=demo).values_list("kind", flat=True))
        assert {"trade_show", "conference", "dinner"} <= kinds

    def test_some_people_are_met_only_online(self, demo: Workspace) -> None:
        online_only = Person.objects.filter(
            workspace=demo, touch_count=0, connections__isnull=False
        )
        assert online_only.distinct().count() > 30
        assert Person.objects.filter(workspace=demo, last_in_person_at__isnull=False).count() > 100

    def test_names_come_from_many_cultures(self, demo: Workspace) -> None:
        names = list(Person.objects.filter(workspace=demo).values_list("display_name", flat=True))
        assert sum(1 for name in names if not name.isascii()) > 30
        assert len({name.split()[-1] for name in names}) > 100

    def test_derived_fields_are_those_the_services_compute(self, demo: Workspace) -> None:
        for person in Person.objects.filter(workspace=demo)[:100]:
            expected = copy.copy(person)
            person_derive_fields(expected)
            assert (person.sort_name, person.search_text) == (
                expected.sort_name,
                expected.search_text,
            )
            assert person.touch_count == person.touches.count()

    def test_everyone_in_people_is_a_person(self, demo: Workspace) -> None:
        """No company, place, mailing list, shared mailbox or room among the demo's people."""
        organizations = set(ORGANIZATIONS)
        for person in Person.objects.filter(workspace=demo):
            assert person.given_name and person.family_name, person.display_name
            assert person.display_name not in organizations
        for email in Identity.objects.filter(workspace=demo, kind="email").values_list(
            "value", flat=True
        ):
            assert attendee_kind(email) == "person", email

    def test_every_identity_is_in_its_normalised_form(self, demo: Workspace) -> None:
        identities = Identity.objects.filter(workspace=demo)
        assert set(identities.values_list("kind", flat=True)) >= {"email", "phone", "linkedin"}
        for kind, value in identities.values_list("kind", "value"):
            assert normalize_identity(kind, value, default_region="US") == value

    def test_the_demo_user_owns_it_and_logs_in_with_the_published_password(
        self, demo: Workspace
    ) -> None:
        owner = demo.memberships.get(role="owner").user
        assert owner.email == DEMO_EMAIL
        assert owner.check_password(DEMO_PASSWORD)
        assert demo_password_works()

    def test_negative_sizes_are_refused(self, db: None) -> None:
        with pytest.raises(ValueError, match="negative"):
            demo_build(people=-1, seed=1, workspace_name="Bad")


class DemoFirstRunTests:
    def test_builds_the_demo_when_there_are_no_users(self, db: None) -> None:
        built = demo_first_run(people=20)
        assert built is not None
        assert Person.objects.filter(workspace=built).count() == 20

    def test_leaves_an_installation_with_users_alone(self, user: User) -> None:
        assert demo_first_run(people=20) is None
        assert not Workspace.objects.filter(name="Demo network").exists()
        assert not demo_password_works()
