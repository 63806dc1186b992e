"""docs/deploy.md, followed by ``scripts/deploy-check`` as a person would follow it.

The check runs the page's shell blocks on a throwaway PostgreSQL server of its own, in a
temporary folder: a venv with Eye Contact installed, the database, the settings from
deploy/env.example, the systemd units' commands, nginx's site with a self-signed certificate
and Caddy's with a local one. It passes when a login over HTTPS works through both, with
secure cookies and no redirect loop, a worker beats, and the backup unit wrote a readable dump.
It belongs to the PostgreSQL run of the suite, as the page sets up PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgresql

ROOT = Path(__file__).resolve().parents[2]


def test_following_the_deployment_page_gives_a_site_on_https_with_a_worker_and_backups() -> None:
    # Not the test run's settings (the browser tests allow Django's async-unsafe calls, which
    # `check --deploy` rightly refuses on a server).
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DATABASE_URL" and not key.startswith(("DJANGO_", "EYECONTACT_"))
    }
    done = subprocess.run(  # noqa: S603  # the project's own script
        [str(ROOT / "scripts" / "deploy-check")],
        env=env,
        capture_output=True,
        timeout=1200,
        check=False,
    )
    output = done.stdout.decode(errors="replace")
    problems = done.stderr.decode(errors="replace")
    assert done.returncode == 0, f"{output[-4000:]}\n{problems[-4000:]}"
    assert "deploy-check: nginx: logged in over HTTPS, cookies Secure" in output
    assert "deploy-check: Caddy: logged in over HTTPS, cookies Secure" in output
    assert "holds the tables" in output  # the backup unit's dump
    assert "systemctl (deploy-check): eyecontact.service started:" in output
    assert "--no-worker --trusted-proxy 127.0.0.1" in output  # the unit's own command line
    assert "docs/deploy.md followed" in output
