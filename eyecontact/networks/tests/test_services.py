"""Adding connections by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from eyecontact.people.models import Connection, Person
from eyecontact.people.services import connection_add


@pytest.mark.django_db
class ConnectionAddTests:
    def test_adding_the_same_connection_twice_keeps_one_with_the_known_date(
        self, make_person: Callable[..., Person]
    ) -> None:
        jane = make_person()
        connection_add(person=jane, network="linkedin", kind="connection")
        connection_add(
            person=jane, network="linkedin", kind="connection", connected_on=dt.date(2019, 3, 2)
        )
        assert Connection.objects.get().connected_on == dt.date(2019, 3, 2)

    @pytest.mark.parametrize(
        ("network", "kind", "field"),
        [
            ("myspace", "friend", "network"),
            ("linkedin", "friend", "kind"),
            ("x", "connection", "kind"),
            ("x", "lover", "kind"),
        ],
    )
    def test_a_kind_the_network_does_not_have_is_refused(
        self, make_person: Callable[..., Person], network: str, kind: str, field: str
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            connection_add(person=make_person(), network=network, kind=kind)
        assert field in caught.value.message_dict
        assert not Connection.objects.exists()

    def test_an_x_follower_and_following_are_two_connections(
        self, make_person: Callable[..., Person]
    ) -> None:
        jane = make_person()
        connection_add(person=jane, network="x", kind="follower")
        connection_add(person=jane, network="x", kind="following")
        assert jane.connections.count() == 2
