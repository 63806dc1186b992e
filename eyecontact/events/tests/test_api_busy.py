"""Booth captures while an import writes: answered at once in JSON, stored exactly once.

On SQLite an import holds the one write lock for as long as it writes its file. A capture then
hears a JSON 503 with Retry-After within its latency aim (the phone keeps it queued and sends it
again); on PostgreSQL it is simply stored. Either way it ends up stored once. No API answer to a
locked database is ever an HTML 500 page.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.api import exhibits as api_exhibits
from eyecontact.common.locks import CAPTURE_WAIT_S, RETRY_AFTER_S
from eyecontact.events.exhibits import exhibit_create
from eyecontact.events.models import Capture, Exhibit
from eyecontact.events.resolver import capture_stored
from eyecontact.events.services import event_create
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import import_files

MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"
BIG_IMPORT_ROWS = 150_000
# The phone's answer, far below the 20 s SQLite's usual wait took before its 503 (the aim is a
# p95 under 200 ms; the import runs in this same process and, on a test machine running other
# suites too, takes the processor from the request thread for whole seconds).
ANSWER_WITHIN_S = 3.0


def bearer(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def follow_list(kind: str, count: int, first: int = 10**15) -> bytes:
    """An X archive's follower.js or following.js of ``count`` accounts."""
    entries = ",\n".join(
        f'{{"{kind}": {{"accountId": "{first + n}", '
        f'"userLink": "https://twitter.com/intent/user?user_id={first + n}"}}}}'
        for n in range(count)
    )
    return f"window.YTD.{kind}.part0 = [\n{entries}\n]".encode()


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    event = event_create(workspace=workspace, name="Summit", starts_on=dt.date(2025, 9, 17))
    return exhibit_create(event=event, name="Booth B12", staff=[user])


def capture(**fields: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "kind": "conversation", "payload": MECARD, **fields}


@pytest.mark.django_db(transaction=True)
class CaptureDuringImportTests:
    def test_a_capture_during_a_big_import_is_answered_at_once_and_stored_once(
        self, user: User, workspace: Workspace, booth: Exhibit
    ) -> None:
        writing = threading.Event()

        def progress(done: int, total: int) -> None:
            writing.set()  # called from inside an import's transaction

        def big_import() -> list[ImportBatch]:
            """A heavy user's two X lists, 150,000 rows, imported one after the other."""
            half = BIG_IMPORT_ROWS // 2
            uploads = [
                ("follower.js", follow_list("follower", half)),
                ("following.js", follow_list("following", half, first=2 * 10**15)),
            ]
            try:
                return list(
                    import_files(workspace=workspace, uploads=uploads, progress=lambda _: progress)
                )
            finally:
                connections.close_all()

        client = bearer(user)
        url = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures"
        body = capture()
        # A booth's server is up and serving before the import starts.
        warm = client.get(f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}")
        assert warm.status_code == 200
        with ThreadPoolExecutor(max_workers=2) as pool:
            importing = pool.submit(big_import)
            deadline = time.monotonic() + 1200
            while not writing.wait(timeout=1):
                if importing.done():
                    importing.result()  # raises what stopped it
                    pytest.fail("the import ended without writing")
                assert time.monotonic() < deadline, "the import never began writing"
            started = time.monotonic()
            answer = client.post(url, body, content_type="application/json")
            took = time.monotonic() - started
            still_importing = not importing.done()
            batches = importing.result(timeout=1800)

        assert [b.status for b in batches] == [ImportBatch.Status.DONE] * 2
        assert sum(b.counts["people_new"] for b in batches) == BIG_IMPORT_ROWS
        assert took < ANSWER_WITHIN_S
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        if connection.vendor == "sqlite":
            assert still_importing  # the capture came while the import held the lock
            assert answer.status_code == 503
            assert answer["Retry-After"] == str(RETRY_AFTER_S)
            assert answer.json()["retry_after"] == RETRY_AFTER_S
            assert "busy writing an import" in answer.json()["detail"]
            assert not Capture.objects.filter(client_id=body["client_id"]).exists()
            # The phone sends it again after Retry-After.
            again = client.post(url, body, content_type="application/json")
            assert again.status_code == 201
        else:
            assert answer.status_code == 201
            again = client.post(url, body, content_type="application/json")
            assert again.status_code == 200
        assert Capture.objects.filter(client_id=body["client_id"]).count() == 1


@pytest.mark.django_db
class LockedDatabaseAnswerTests:
    @pytest.mark.parametrize(
        "message",
        [
            "database is locked",
            "database table is locked: events_capture",
        ],
    )
    def test_a_locked_database_is_a_json_503_with_retry_after(
        self,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        monkeypatch: pytest.MonkeyPatch,
        message: str,
    ) -> None:
        def locked(**kwargs: Any) -> None:
            raise OperationalError(message)

        monkeypatch.setattr(api_exhibits, "capture_store", locked)
        client = bearer(user)
        base = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}"
        single = client.post(f"{base}/captures", capture(), content_type="application/json")
        queue = client.post(
            f"{base}/captures/sync", {"captures": [capture()]}, content_type="application/json"
        )
        for answer in (single, queue):
            assert answer.status_code == 503
            assert answer["Content-Type"] == "application/json; charset=utf-8"
            assert answer["Retry-After"] == str(RETRY_AFTER_S)

    def test_a_capture_stored_before_the_lock_cut_its_matching_is_matched_when_sent_again(
        self, user: User, workspace: Workspace, booth: Exhibit, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cut_off: list[int] = []

        def locked_once(stored: Capture) -> Capture:
            if not cut_off:
                cut_off.append(stored.pk)
                raise OperationalError("database is locked")
            return capture_stored(stored)

        monkeypatch.setattr(api_exhibits, "capture_stored", locked_once)
        client = bearer(user)
        url = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures"
        sent = capture()
        first = client.post(url, sent, content_type="application/json")
        assert first.status_code == 503
        assert Capture.objects.get().resolved_at is None  # stored, its matching cut off

        again = client.post(url, sent, content_type="application/json")
        assert again.status_code == 200
        stored = Capture.objects.get()
        assert stored.pk == cut_off[0]
        assert stored.resolved_at is not None
        assert stored.person is not None
        assert stored.person.display_name == "Lena Hartmann"

    def test_another_database_error_is_not_passed_off_as_busy(
        self, user: User, workspace: Workspace, booth: Exhibit, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(**kwargs: Any) -> None:
            raise OperationalError("no such table: events_capture")

        monkeypatch.setattr(api_exhibits, "capture_store", broken)
        client = bearer(user)
        url = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures"
        with pytest.raises(OperationalError, match="no such table"):
            client.post(url, capture(), content_type="application/json")

    def test_a_capture_waits_for_the_lock_only_briefly(self) -> None:
        assert CAPTURE_WAIT_S <= 0.2
