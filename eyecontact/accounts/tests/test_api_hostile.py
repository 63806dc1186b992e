"""No API operation answers 500 to a value no database can hold: walks every operation.

For each operation the OpenAPI schema lists, every integer in the path, the query and the JSON
body is sent as 2**63 (one past the largest 64-bit integer) and every text field of the body with
an unpaired surrogate ("a\\ud800b"). Each must be refused, 422 naming the field (or 404 for an id
in the path), and nothing written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.api import api
from eyecontact.common.storable import DB_INT_MAX, DB_INT_MIN, INT_OUT_OF_RANGE

from .test_api_scoping import PARAM, Ledger, build_ledger, operations, send, snapshot

TOO_BIG = DB_INT_MAX + 1
TOO_SMALL = DB_INT_MIN - 1
SURROGATE = "a\ud800b"
NUL = "a\x00b"


def resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return resolved(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    return schema


def kinds(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The JSON types a schema accepts (through references and ``anyOf``)."""
    schema = resolved(schema, components)
    if "anyOf" in schema:
        return set().union(*(kinds(option, components) for option in schema["anyOf"]))
    return {schema["type"]} if "type" in schema and "enum" not in schema else set()


def query_integers() -> list[tuple[str, str, bool]]:
    """Every (operation path, parameter, bounded) of a GET whose query takes an integer; bounded
    when the parameter declares its own range (a year, a page size)."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for parameter in methods.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and "integer" in kinds(parameter["schema"], components):
                schema_text = str(parameter["schema"])
                bounded = "maximum" in schema_text or "minimum" in schema_text
                found.append((path, parameter["name"], bounded))
    return found


def body_fields() -> list[tuple[str, str, str, str]]:
    """Every (method, path, field, JSON type) of a JSON body field holding text or an integer."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, details in methods.items():
            content = details.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = resolved(content["application/json"]["schema"], components)
            for field, field_schema in body.get("properties", {}).items():
                for kind in sorted(kinds(field_schema, components) & {"string", "integer"}):
                    found.append((method, path, field, kind))
    return found


@pytest.fixture
def own(workspace: Workspace) -> Ledger:
    return build_ledger(workspace, "Jane Doe", "jane@example.net", "Berlin breakfast")


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def url_of(path: str, ledger: Ledger, **ids: int) -> str:
    """``path`` filled from ``ledger``, with ``ids`` instead of its own; an id of a kind the
    ledger does not hold is 1, as only the value under test matters here."""
    known = {**ledger.ids, **ids}
    return PARAM.sub(
        lambda m: (
            ledger.workspace.slug if m.group(1) == "workspace" else str(known.get(m.group(1), 1))
        ),
        path,
    )


def refused_locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class HostileValueTests:
    def test_the_walk_reaches_the_values_known_to_have_crashed(self) -> None:
        queries = {(path, name) for path, name, _ in query_integers()}
        assert ("/api/workspaces/{workspace}/touches", "person") in queries
        assert ("/api/workspaces/{workspace}/touches", "event") in queries
        assert ("/api/workspaces/{workspace}/people", "offset") in queries
        assert len(queries) >= 20
        fields = body_fields()
        assert ("post", "/api/workspaces/{workspace}/people", "display_name", "string") in fields
        assert len(fields) >= 30

    @pytest.mark.parametrize("value", [TOO_BIG, TOO_SMALL])
    def test_an_integer_query_parameter_past_the_databases_range_is_refused(
        self, client: Client, own: Ledger, value: int
    ) -> None:
        for path, name, bounded in query_integers():
            url = url_of(path, own)
            response = client.get(url, {name: str(value)})
            assert refused_locs(response) == [["query", name]], (url, name)
            message = response.json()["detail"][0]["msg"]
            # A parameter with a range of its own words the refusal its way.
            assert message == INT_OUT_OF_RANGE or bounded, (url, name, message)

    def test_an_id_past_the_databases_range_in_the_path_is_refused(
        self, client: Client, own: Ledger
    ) -> None:
        before = snapshot(own.workspace)
        checked = 0
        for operation in operations(own.ids):
            for name in set(PARAM.findall(operation.path)) - {"workspace"}:
                url = url_of(operation.path, own, **{name: TOO_BIG})
                response = send(client, operation, url)
                where = (operation.method, url)
                assert response.status_code in (404, 422), (where, response.content)
                if response.status_code == 422:
                    assert refused_locs(response) == [["path", name]], where
                checked += 1
        assert checked >= 40
        assert snapshot(own.workspace) == before

    @pytest.mark.parametrize("text", [SURROGATE, NUL], ids=["surrogate", "nul"])
    def test_a_body_field_holding_a_lone_surrogate_a_nul_or_a_huge_integer_is_refused(
        self, client: Client, own: Ledger, text: str
    ) -> None:
        before = snapshot(own.workspace)
        by_operation = {(op.method, op.path): op for op in operations(own.ids)}
        for method, path, field, kind in body_fields():
            operation = by_operation[(method, path)]
            body = {**(operation.body or {}), field: text if kind == "string" else TOO_BIG}
            url = url_of(operation.path, own)
            # Sent as JSON text with the surrogate escaped, as a client would write it.
            response = getattr(client, method)(
                url, json.dumps(body), content_type="application/json"
            )
            assert ["body", field] in refused_locs(response), (method, url, field, response.content)
        assert snapshot(own.workspace) == before
