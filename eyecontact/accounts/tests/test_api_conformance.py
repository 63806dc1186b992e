"""Every API operation keeps the published OpenAPI document, as Schemathesis checks it.

The test starts the app on a live server over the test database, makes a user with a personal
token and a workspace holding one thing of every kind, and runs Schemathesis (the command-line
tool) against ``/api/openapi.json``: edge cases, then random requests, for every operation, with
the workspace's slug and its objects' ids in the path so that answers past the 404 are checked
too. The run stops after a fixed time. It fails on any answer of 500 or above and on any answer
the document's schema for it does not describe.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create

from .test_api_scoping import build_ledger

# Schemathesis stops generating after MAX_SECONDS (~1,000 requests over ~80 operations on two
# busy cores); the timeout stops a run that hangs.
MAX_EXAMPLES = 5
MAX_SECONDS = 150
TIMEOUT_SECONDS = 360
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
CONFIG = """\
[generation]
max-examples = {examples}

[parameters]
{parameters}
"""


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server: LiveServer, user: User, workspace: Workspace, tmp_path: Path
) -> None:
    ledger = build_ledger(workspace, "Jane Doe", "jane@example.net", "Berlin breakfast")
    _, key = token_create(user=user)
    values = {"workspace": workspace.slug, **ledger.ids}
    parameters = "\n".join(f'"path.{name}" = {json.dumps(value)}' for name, value in values.items())
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(examples=MAX_EXAMPLES, parameters=parameters))
    schemathesis = Path(sys.executable).parent / "schemathesis"
    result = subprocess.run(  # noqa: S603  # our own virtual environment's tool, fixed arguments
        [
            str(schemathesis),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/openapi.json",
            "--header",
            f"Authorization: Bearer {key}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-time",
            str(MAX_SECONDS),
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--suppress-health-check",
            "all",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
    # It did walk the API: a run that reached no operation must not pass for a clean one.
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested is not None, result.stdout[-5_000:]
    assert int(tested.group(1)) >= 60, result.stdout[-5_000:]
