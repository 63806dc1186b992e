"""Vetting rules at their edges, and the connection-request screener."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.events.services import event_create
from eyecontact.imports.services import import_file
from eyecontact.networks.vetting import (
    Status,
    connection_vouch,
    screen_request,
    vetted_connections,
    vetting_csv,
    vetting_summary,
    vetting_trend,
)
from eyecontact.people.models import Connection, Person
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
CONNECTED = dt.date(2024, 3, 12)


def status_of(workspace: Workspace, person: Person) -> str:
    statuses = vetted_connections(workspace=workspace).filter(person=person)
    return str(statuses.values_list("status", flat=True).get())  # type: ignore[misc]  # annotated


def at(day: dt.date, hour: int, minute: int = 0, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


@pytest.mark.django_db
class VettingStatusTests:
    @pytest.mark.parametrize(
        ("channel", "when", "expected"),
        [
            ("in_person", at(CONNECTED, 9), Status.MET_BEFORE),  # same day counts as before
            ("in_person", at(CONNECTED - dt.timedelta(days=400), 9), Status.MET_BEFORE),
            ("phone", at(CONNECTED - dt.timedelta(days=1), 9), Status.MET_BEFORE),
            ("in_person", at(CONNECTED + dt.timedelta(days=1), 9), Status.MET_AFTER),
            ("message", at(CONNECTED - dt.timedelta(days=1), 9), Status.NEVER),
            ("video", at(CONNECTED - dt.timedelta(days=1), 9), Status.NEVER),
            ("email", at(CONNECTED - dt.timedelta(days=1), 9), Status.NEVER),
            ("social", at(CONNECTED - dt.timedelta(days=1), 9), Status.NEVER),
        ],
    )
    def test_only_in_person_and_phone_touches_vet_a_connection(
        self,
        workspace: Workspace,
        make_person: MakePerson,
        channel: str,
        when: dt.datetime,
        expected: str,
    ) -> None:
        jane = make_person("Jane Doe")
        connection_add(person=jane, network="linkedin", kind="connection", connected_on=CONNECTED)
        touch_log(workspace=workspace, people=[jane], channel=channel, when=when)
        assert status_of(workspace, jane) == expected

    def test_no_touch_at_all_is_never_met(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        connection_add(person=jane, network="facebook", kind="friend", connected_on=CONNECTED)
        assert status_of(workspace, jane) == Status.NEVER

    def test_a_connection_without_a_date_is_met_with_date_unknown(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        connection_add(person=jane, network="linkedin", kind="connection")
        touch_log(workspace=workspace, people=[jane], channel="phone", when=at(CONNECTED, 9))
        assert status_of(workspace, jane) == Status.MET_UNKNOWN_DATE

    @override_settings(TIME_ZONE="America/Los_Angeles")
    def test_the_day_of_a_touch_is_the_users_local_day(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """Dinner at 7 pm in Las Vegas on the connection day is 03:00 UTC the next day."""
        jane = make_person()
        connection_add(person=jane, network="linkedin", kind="connection", connected_on=CONNECTED)
        dinner = at(CONNECTED, 19, tz=dt.timezone(dt.timedelta(hours=-7)))
        assert dinner.astimezone(dt.UTC).date() > CONNECTED
        touch_log(workspace=workspace, people=[jane], channel="in_person", when=dinner)
        assert status_of(workspace, jane) == Status.MET_BEFORE

    def test_a_planned_meeting_in_the_future_does_not_vet_yet(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        connection_add(person=jane, network="linkedin", kind="connection", connected_on=CONNECTED)
        later = timezone.now() + dt.timedelta(days=7)
        with pytest.raises(ValidationError, match="more than a day from now"):
            touch_log(workspace=workspace, people=[jane], channel="in_person", when=later)
        assert status_of(workspace, jane) == Status.NEVER

    def test_only_mutual_x_follows_are_vetted(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        mutual, fan, idol = make_person("Mutual"), make_person("Fan"), make_person("Idol")
        connection_add(person=mutual, network="x", kind="follower")
        connection_add(person=mutual, network="x", kind="following")
        connection_add(person=fan, network="x", kind="follower")
        connection_add(person=idol, network="x", kind="following")
        vetted = vetted_connections(workspace=workspace)
        assert [c.person for c in vetted] == [mutual]

    def test_removed_connections_are_not_vetted(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        connection = connection_add(person=jane, network="linkedin", kind="connection")
        Connection.objects.filter(pk=connection.pk).update(removed_on=CONNECTED)
        assert not vetted_connections(workspace=workspace).exists()

    def test_the_status_follows_the_touches_as_they_change(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        connection = connection_add(
            person=jane, network="linkedin", kind="connection", connected_on=CONNECTED
        )
        assert status_of(workspace, jane) == Status.NEVER
        connection_vouch(connection=connection, day=dt.date(2014, 6, 1), where="A dinner")
        assert status_of(workspace, jane) == Status.MET_BEFORE

    def test_another_workspaces_connections_are_not_counted(
        self, workspace: Workspace, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace)
        connection_add(person=stranger, network="linkedin", kind="connection")
        assert vetting_summary(workspace=workspace) == []


@pytest.mark.django_db
class VettingFiguresTests:
    def test_shares_and_trend_count_each_status(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        people = [make_person(f"Person {n}") for n in range(4)]
        for n, person in enumerate(people):
            connection_add(
                person=person,
                network="linkedin",
                kind="connection",
                connected_on=dt.date(2020 + n // 2, 1, 1),
            )
        touch_log(
            workspace=workspace,
            people=[people[0]],
            channel="in_person",
            when=at(dt.date(2019, 5, 1), 9),
        )
        touch_log(
            workspace=workspace,
            people=[people[2]],
            channel="phone",
            when=at(dt.date(2023, 5, 1), 9),
        )
        [linkedin] = vetting_summary(workspace=workspace)
        assert linkedin.total == 4
        assert linkedin.counts == {
            Status.MET_BEFORE: 1,
            Status.MET_AFTER: 1,
            Status.MET_UNKNOWN_DATE: 0,
            Status.NEVER: 2,
        }
        assert linkedin.share(Status.NEVER) == 0.5
        trend = vetting_trend(workspace=workspace)
        assert [(row["year"], row["total"], row["met_share"]) for row in trend] == [
            (2020, 2, 0.5),
            (2021, 2, 0.5),
        ]

    def test_the_csv_export_lists_never_met_connections_safely(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        sneaky = make_person("=HYPERLINK(evil)", organization="Acme")
        connection_add(person=sneaky, network="linkedin", kind="connection", connected_on=CONNECTED)
        lines = list(vetting_csv(vetted_connections(workspace=workspace, status=Status.NEVER)))
        assert lines[0].startswith("name,organization")
        assert lines[1].startswith("'=HYPERLINK(evil),Acme")


@pytest.mark.django_db
class ScreenerTests:
    def test_a_known_profile_url_answers_met_with_the_touch(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        liesl = make_person(
            "Anneliese Brandt",
            identities=[("linkedin", "https://www.linkedin.com/in/anneliese-brandt-7f3a21")],
        )
        summit = event_create(
            workspace=workspace, name="Hamburg Robotics Summit", starts_on=dt.date(2025, 9, 17)
        )
        touch_log(
            workspace=workspace,
            people=[liesl],
            channel="in_person",
            when=at(dt.date(2025, 9, 17), 10, 42),
            event=summit,
        )
        answer = screen_request(
            workspace=workspace,
            name="Someone Else",
            url="linkedin.com/in/Anneliese-Brandt-7f3a21/?utm_source=share",
        )
        assert answer.verdict == "met"
        assert answer.accept is True
        assert answer.person == liesl
        assert answer.as_dict()["touch"]["event"] == "Hamburg Robotics Summit"

    def test_an_x_account_nobody_named_is_found_by_its_profile_link(
        self, workspace: Workspace
    ) -> None:
        follower = (
            b'window.YTD.follower.part0 = [{"follower": {"accountId": "2457317658229252367"}}]'
        )
        import_file(workspace=workspace, file_name="follower.js", data=follower)
        answer = screen_request(
            workspace=workspace,
            name="X account 2457317658229252367",
            url="https://twitter.com/intent/user?user_id=2457317658229252367",
        )
        assert answer.person is not None
        assert answer.person.display_name == "X account 2457317658229252367"
        assert answer.verdict == "never_met"

    def test_a_nickname_at_the_same_company_is_probably_or_surely_met(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        robert = make_person("Robert Miller", organization="Acme Corp")
        touch_log(workspace=workspace, people=[robert], channel="phone", when=at(CONNECTED, 9))
        answer = screen_request(workspace=workspace, name="Bob Miller", organization="ACME")
        assert answer.verdict in ("met", "probably_met")
        assert answer.candidates[0].person == robert
        assert answer.candidates[0].evidence

    def test_a_name_alone_is_only_probably_met(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        met = make_person("Wei Zhang", organization="Yangtze Robotics")
        make_person("Wei Zhang", organization="Photon Labs")
        touch_log(workspace=workspace, people=[met], channel="in_person", when=at(CONNECTED, 9))
        answer = screen_request(workspace=workspace, name="Wei Zhang")
        assert answer.verdict == "probably_met"
        assert not answer.known_online
        assert answer.accept is None
        assert len(answer.candidates) == 2

    def test_candidates_never_met_are_known_online_not_probably_met(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """The verdict agrees with its candidates: none of them was ever met."""
        for organization in ("Yangtze Robotics", "Photon Labs"):
            wei = make_person("Wei Zhang", organization=organization)
            connection_add(person=wei, network="linkedin", kind="connection")
            touch_log(workspace=workspace, people=[wei], channel="message", when=at(CONNECTED, 9))
        answer = screen_request(workspace=workspace, name="Wei Zhang")
        assert answer.verdict == "never_met"
        assert answer.known_online
        assert answer.title == "Known online, never met"
        assert answer.accept is False
        assert len(answer.candidates) == 2
        assert all(candidate.met is None for candidate in answer.candidates)
        assert answer.as_dict()["known_online"] is True

    def test_a_stranger_is_not_known_online(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Jane Doe")
        answer = screen_request(workspace=workspace, name="Totally Unknown")
        assert (answer.verdict, answer.known_online) == ("never_met", False)
        assert answer.title == "You have never met"

    def test_a_stranger_is_never_met_and_declined_by_default(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Jane Doe")
        answer = screen_request(
            workspace=workspace, name="Totally Unknown", url="https://x.com/nobody_here"
        )
        assert (answer.verdict, answer.accept) == ("never_met", False)

    def test_someone_only_messaged_is_never_met_unless_the_policy_allows_it(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        pen_pal = make_person("Pen Pal", identities=[("x", "@penpal")])
        touch_log(workspace=workspace, people=[pen_pal], channel="message", when=at(CONNECTED, 9))
        assert screen_request(workspace=workspace, url="@penpal").accept is False
        workspace.screen_policy = Workspace.ScreenPolicy.ANY_TOUCH
        answer = screen_request(workspace=workspace, url="@penpal")
        assert (answer.verdict, answer.accept) == ("never_met", True)
