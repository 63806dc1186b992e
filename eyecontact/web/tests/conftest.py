"""Fixtures for the web app: a logged-in member, and data in a workspace they must never see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import invitation_create
from eyecontact.events.exhibits import exhibit_add_cost, exhibit_create
from eyecontact.events.models import Event, Exhibit, ExhibitCost
from eyecontact.events.services import event_create
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import import_file
from eyecontact.insights.models import CalendarFeed, Tag
from eyecontact.insights.services import feed_create, tag_person
from eyecontact.networks.models import FollowSnapshot
from eyecontact.networks.snapshots import snapshot_record
from eyecontact.people.models import Connection, Identity, MatchReview, Person, PersonMerge, Touch
from eyecontact.people.services import (
    connection_add,
    identity_add,
    person_create,
    person_merge,
    touch_log,
)

SECRET_NAME = "Zebedee Secretworth"
# Two exports naming the same Zoe with nothing else in common: an import and a review.
LINKEDIN_ROW = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Zoe,Dupont,https://www.linkedin.com/in/zoe-dupont-atelier,,Atelier,Founder,11 Apr 2023\n"
)
FACEBOOK_FRIEND = '{"friends_v2": [{"name": "Zoe Dupont", "timestamp": 1681221600}]}'


@dataclass(frozen=True)
class WorkspaceData:
    """One of everything in a workspace, for pages that take ids."""

    workspace: Workspace
    person: Person
    identity: Identity
    connection: Connection
    event: Event
    touch: Touch
    invitation_token: str
    tag: Tag
    feed: CalendarFeed
    batch: ImportBatch
    review: MatchReview
    merge: PersonMerge
    source_record: SourceRecord
    exhibit: Exhibit
    snapshot: FollowSnapshot
    cost: ExhibitCost


def fill_imports(
    workspace: Workspace, name: str
) -> tuple[ImportBatch, MatchReview, PersonMerge, SourceRecord]:
    import_file(workspace=workspace, file_name="Connections.csv", data=LINKEDIN_ROW.encode())
    batch = import_file(
        workspace=workspace, file_name="friends.json", data=FACEBOOK_FRIEND.encode()
    )
    twin = person_create(workspace=workspace, display_name=f"{name} twin")
    person_merge(keep=twin, drop=person_create(workspace=workspace, display_name=f"{name} too"))
    return (
        batch,
        MatchReview.objects.get(workspace=workspace),
        PersonMerge.objects.get(workspace=workspace),
        SourceRecord.objects.filter(workspace=workspace).order_by("pk")[0],
    )


def fill_workspace(workspace: Workspace, owner: User, name: str) -> WorkspaceData:
    person = person_create(workspace=workspace, display_name=name, organization="Hidden Corp")
    identity = identity_add(person=person, kind="email", value=f"{name.split()[0]}@example.com")
    connection = connection_add(person=person, network="linkedin", kind="connection")
    event = event_create(
        workspace=workspace, name=f"{name}'s summit", starts_on=dt.date(2026, 3, 2)
    )
    touch = touch_log(
        workspace=workspace,
        people=[person],
        channel="in_person",
        when=dt.date(2026, 3, 2),
        event=event,
        note=f"Coffee with {name}",
    )
    _, token = invitation_create(workspace=workspace, created_by=owner)
    tag = tag_person(person=person, name=f"{name}'s circle")
    feed, _ = feed_create(workspace=workspace, user=owner)
    exhibit = exhibit_create(event=event, name=f"{name}'s booth", staff=[owner])
    return WorkspaceData(
        workspace,
        person,
        identity,
        connection,
        event,
        touch,
        token,
        tag,
        feed,
        *fill_imports(workspace, name),
        exhibit,
        snapshot_record(
            workspace=workspace, kind="follower", taken_on=dt.date(2026, 3, 1), account_ids=[7]
        ),
        exhibit_add_cost(exhibit=exhibit, category="space", amount=Decimal("1200")),
    )


@pytest.fixture
def member_client(client: Client, user: User, workspace: Workspace) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def other_data(other_workspace: Workspace, other_user: User) -> WorkspaceData:
    return fill_workspace(other_workspace, other_user, SECRET_NAME)


@pytest.fixture
def own_data(workspace: Workspace, user: User) -> WorkspaceData:
    return fill_workspace(workspace, user, "Olivia Ownworth")
