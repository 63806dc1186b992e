"""Creating events and reading who was met there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from eyecontact.accounts.models import Workspace
from eyecontact.events.models import Event
from eyecontact.events.selectors import event_people, event_touches, events_list
from eyecontact.events.services import event_create, event_delete, event_update
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

CES_START = dt.date(2026, 1, 6)


@pytest.mark.django_db
class EventTests:
    def test_an_event_of_one_day_ends_the_day_it_starts(self, workspace: Workspace) -> None:
        event = event_create(
            workspace=workspace, name="  Berlin   founders breakfast ", starts_on=CES_START
        )
        assert event.name == "Berlin founders breakfast"
        assert event.ends_on == CES_START

    def test_an_event_cannot_end_before_it_starts(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            event_create(
                workspace=workspace,
                name="CES",
                starts_on=CES_START,
                ends_on=CES_START - dt.timedelta(days=1),
            )
        assert "ends_on" in caught.value.message_dict
        assert not Event.objects.exists()

    def test_an_unknown_kind_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            event_create(workspace=workspace, name="CES", starts_on=CES_START, kind="rave")
        assert "kind" in caught.value.message_dict

    def test_the_event_page_shows_its_touches_and_the_people_met(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ces = event_create(
            workspace=workspace,
            name="CES",
            starts_on=CES_START,
            ends_on=CES_START + dt.timedelta(3),
        )
        jane, john = make_person("Jane Doe"), make_person("John Roe")
        when = dt.datetime(2026, 1, 8, 10, tzinfo=dt.UTC)
        touch_log(
            workspace=workspace, people=[jane, john], channel="in_person", when=when, event=ces
        )
        touch_log(workspace=workspace, people=[jane], channel="in_person", when=when, event=ces)
        touch_log(workspace=workspace, people=[john], channel="phone", when=when)
        assert event_touches(event=ces).count() == 2
        met = dict(event_people(event=ces).values_list("display_name", "touches_here"))  # type: ignore[misc]  # annotated
        assert met == {"Jane Doe": 2, "John Roe": 1}
        totals = events_list(workspace=workspace).values_list("touch_total", flat=True)  # type: ignore[misc]  # annotated
        assert totals.get() == 2

    def test_deleting_an_event_keeps_its_touches(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ces = event_create(workspace=workspace, name="CES", starts_on=CES_START)
        touch = touch_log(
            workspace=workspace, people=[make_person()], channel="in_person", event=ces
        )
        event_update(event=ces, city="Las Vegas")
        event_delete(event=ces)
        touch.refresh_from_db()
        assert touch.event is None
