"""No API operation reaches another workspace: walks every operation the OpenAPI schema lists.

For each path and method the walker fills ``{workspace}`` with a workspace the caller is not a
member of, and every id with an object of that workspace, sends a body the schema accepts, and
expects 404: never a success, never the other workspace's data, and nothing changed there. A
path parameter the walker does not know fails the test, so a new endpoint cannot slip past it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.api import api
from eyecontact.contacts.models import BusinessCardScan
from eyecontact.events.exhibits import exhibit_add_cost, exhibit_create
from eyecontact.events.models import Event
from eyecontact.events.services import event_create
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import import_file
from eyecontact.insights.models import KeepInTouchSettings, ReminderState, Tag
from eyecontact.insights.services import tag_person
from eyecontact.people.models import (
    Connection,
    Identity,
    MatchReview,
    NotSamePerson,
    Person,
    PersonMerge,
    Touch,
)
from eyecontact.people.services import connection_add, person_create, person_merge, touch_log

# Names only the other workspace holds: none may appear in any answer.
SECRETS = ("Zebediah Quarrington", "zebediah@secret.example", "Clandestine Summit")
METHODS = ("get", "post", "put", "patch", "delete")
FULL_CRUD = frozenset({"person_id", "identity_id", "touch_id", "event_id", "connection_id"})
# Read through their parent (an exhibit's cost lines, in its report): changed and deleted only.
CHANGE_ONLY = frozenset({"cost_id"})
PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Ledger:
    """One object of every kind in a workspace, by the path parameter that names it."""

    workspace: Workspace
    ids: dict[str, int]

    def fill(self, name: str) -> str:
        if name == "workspace":
            return self.workspace.slug
        if name not in self.ids:
            pytest.fail(f"The scoping walker does not know the path parameter {{{name}}}.")
        return str(self.ids[name])


def build_ledger(workspace: Workspace, name: str, email: str, event_name: str) -> Ledger:
    person = person_create(workspace=workspace, display_name=name, identities=[("email", email)])
    event = event_create(workspace=workspace, name=event_name, starts_on=dt.date(2026, 1, 6))
    touch = touch_log(
        workspace=workspace,
        people=[person],
        channel="in_person",
        when=dt.date(2026, 1, 7),
        event=event,
    )
    connection = connection_add(person=person, network="linkedin", kind="connection")
    exhibit = exhibit_create(event=event, name=f"{event_name} booth")
    cost = exhibit_add_cost(exhibit=exhibit, category="space", amount=Decimal("500"))
    tag = tag_person(person=person, name=f"{event_name} crowd")
    contacts = f"BEGIN:VCARD\nVERSION:3.0\nFN:{event_name} Organizer\nEND:VCARD\n"
    batch = import_file(workspace=workspace, file_name="contacts.vcf", data=contacts.encode())
    organizer = Person.objects.get(workspace=workspace, source_batch=batch)
    # Only an import's matching opens reviews; this one is made by hand to have one for sure.
    review = MatchReview.objects.create(
        workspace=workspace, person_a=person, person_b=organizer, score=0.7, evidence=["alike"]
    )
    twin = person_create(workspace=workspace, display_name=f"{name} Twin")
    merge_keep = person_create(workspace=workspace, display_name=f"{name} Senior")
    person_merge(keep=merge_keep, drop=twin)
    return Ledger(
        workspace=workspace,
        ids={
            "person_id": person.pk,
            "identity_id": person.identities.get().pk,
            "touch_id": touch.pk,
            "event_id": event.pk,
            "connection_id": connection.pk,
            "exhibit_id": exhibit.pk,
            "cost_id": cost.pk,
            "tag_id": tag.pk,
            "batch_id": batch.pk,
            "record_id": SourceRecord.objects.get(workspace=workspace, first_batch=batch).pk,
            "review_id": review.pk,
            "merge_id": PersonMerge.objects.get(workspace=workspace).pk,
            "scan_id": BusinessCardScan.objects.create(workspace=workspace, photo=b"card").pk,
        },
    )


def example(schema: dict[str, Any], components: dict[str, Any], ids: dict[str, int]) -> Any:
    """A value the schema accepts; integers are ids of the other workspace's objects."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[-1]], components, ids)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return example(options[0], components, ids)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            field: example(schema["properties"][field], components, ids)
            for field in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema["items"], components, ids)]
    if kind == "integer":
        return ids["person_id"]
    if kind == "boolean":
        return True
    if kind == "number":
        return 1
    if kind == "string" and schema.get("format") == "uuid":
        return "0b4a2f1e-3c1d-4e5f-8a9b-0c1d2e3f4a5b"
    if kind == "string" and schema.get("format") == "date":
        return "2026-01-08"
    if kind == "string":
        return "2026-01-08"  # also a valid `when`; names only need to be non-empty
    pytest.fail(f"The scoping walker cannot build a value for {schema}.")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: dict[str, Any] | None
    multipart: bool = False

    def url(self, ledger: Ledger) -> str:
        return PARAM.sub(lambda m: ledger.fill(m.group(1)), self.path)


def operations(ids: dict[str, int]) -> list[Operation]:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, details in methods.items():
            if method not in METHODS:
                continue
            body = None
            multipart = False
            if "requestBody" in details:
                content = details["requestBody"]["content"]
                if "application/json" in content:
                    body = example(content["application/json"]["schema"], components, ids)
                else:
                    # An upload: a small file in every file field the form asks for.
                    multipart = True
                    form = content["multipart/form-data"]["schema"]
                    body = {
                        field: io.BytesIO(b"Name\nZebediah\n") for field in form.get("required", [])
                    }
            found.append(Operation(method, path, body, multipart))
    return found


def snapshot(workspace: Workspace) -> list[Any]:
    """Everything of a workspace an operation could change."""
    return [
        list(Person.objects.filter(workspace=workspace).values().order_by("id")),
        list(Identity.objects.filter(workspace=workspace).values().order_by("id")),
        list(Touch.objects.filter(workspace=workspace).values().order_by("id")),
        list(Event.objects.filter(workspace=workspace).values().order_by("id")),
        list(Connection.objects.filter(workspace=workspace).values().order_by("id")),
        list(Tag.objects.filter(workspace=workspace).values().order_by("id")),
        list(Tag.people.through.objects.filter(tag__workspace=workspace).values().order_by("id")),
        list(ReminderState.objects.filter(workspace=workspace).values().order_by("id")),
        list(KeepInTouchSettings.objects.filter(workspace=workspace).values()),
        list(ImportBatch.objects.filter(workspace=workspace).values().order_by("id")),
        list(SourceRecord.objects.filter(workspace=workspace).values().order_by("id")),
        list(MatchReview.objects.filter(workspace=workspace).values().order_by("id")),
        list(PersonMerge.objects.filter(workspace=workspace).values().order_by("id")),
        list(NotSamePerson.objects.filter(workspace=workspace).values().order_by("id")),
    ]


@pytest.fixture
def own(workspace: Workspace) -> Ledger:
    return build_ledger(workspace, "Jane Doe", "jane@example.net", "Berlin breakfast")


@pytest.fixture
def foreign(other_workspace: Workspace) -> Ledger:
    return build_ledger(other_workspace, *SECRETS)


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def answer_text(response: Any) -> str:
    """The body of an answer, streamed (a CSV download) or not."""
    return str(response.getvalue().decode())


def send(client: Client, operation: Operation, url: str) -> Any:
    if operation.multipart:
        for upload in (operation.body or {}).values():
            upload.seek(0)
        return getattr(client, operation.method)(url, operation.body)
    return getattr(client, operation.method)(url, operation.body, content_type="application/json")


@pytest.mark.django_db
class WorkspaceScopingTests:
    def test_the_walker_sees_every_kind_of_operation(self, foreign: Ledger) -> None:
        """Guards the walk itself: it must reach reads, writes and deletes of every kind."""
        walked = {(op.method, op.path) for op in operations(foreign.ids)}
        assert len(walked) >= 25
        for name in foreign.ids:
            # The core records can be read, changed and deleted; every other kind at least read.
            methods: tuple[str, ...] = ("get",)
            if name in FULL_CRUD:
                methods = ("get", "patch", "delete")
            elif name in CHANGE_ONLY:
                methods = ("patch", "delete")
            for method in methods:
                assert any(m == method and f"{{{name}}}" in p for m, p in walked), (method, name)

    def test_another_workspace_answers_404_everywhere(
        self, client: Client, own: Ledger, foreign: Ledger
    ) -> None:
        before = snapshot(foreign.workspace)
        checked = 0
        for operation in operations(foreign.ids):
            if "{workspace}" not in operation.path:
                continue
            response = send(client, operation, operation.url(foreign))
            where = f"{operation.method.upper()} {operation.url(foreign)}"
            assert response.status_code in (403, 404), (where, response.content)
            for secret in SECRETS:
                assert secret.lower() not in answer_text(response).lower(), where
            checked += 1
        assert checked >= 25
        assert snapshot(foreign.workspace) == before

    def test_another_workspaces_ids_answer_404_in_the_callers_workspace(
        self, client: Client, own: Ledger, foreign: Ledger
    ) -> None:
        """The caller's own slug with the other workspace's ids: as if they did not exist."""
        before = snapshot(foreign.workspace)
        mixed = Ledger(workspace=own.workspace, ids=foreign.ids)
        checked = 0
        for operation in operations(foreign.ids):
            names = set(PARAM.findall(operation.path)) - {"workspace"}
            if not names:
                continue
            response = send(client, operation, operation.url(mixed))
            where = f"{operation.method.upper()} {operation.url(mixed)}"
            assert response.status_code in (403, 404), (where, response.content)
            for secret in SECRETS:
                assert secret.lower() not in answer_text(response).lower(), where
            checked += 1
        assert checked >= 18
        assert snapshot(foreign.workspace) == before

    def test_lists_of_the_callers_workspace_show_none_of_anothers(
        self, client: Client, own: Ledger, foreign: Ledger
    ) -> None:
        """Lists with no id in the path, even filtered by another workspace's ids, stay home."""
        for operation in operations(foreign.ids):
            if operation.method != "get" or set(PARAM.findall(operation.path)) - {"workspace"}:
                continue
            url = operation.url(own)
            filters = {"person": foreign.ids["person_id"], "event": foreign.ids["event_id"]}
            for query in ({}, filters):
                response = client.get(url, query)
                assert response.status_code == 200, (url, response.content)
                for secret in SECRETS:
                    assert secret.lower() not in answer_text(response).lower(), url

    def test_every_operation_needs_credentials(self, own: Ledger) -> None:
        anonymous = Client()
        for operation in operations(own.ids):
            response = send(anonymous, operation, operation.url(own))
            assert response.status_code == 401, (operation.method, operation.path)
