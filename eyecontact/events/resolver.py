"""Matching booth captures to people after the phone has its answer.

::

    phone ──POST capture──▶ capture_store() ──INSERT──▶ Capture (waiting) ──▶ 201 to the phone
                                 └─ on commit: capture_stored() wakes the resolver
    one resolver thread per process ──▶ captures_resolve_waiting() ──▶ person, touch, resolved_at

At a busy booth the phones' answers must not wait for the person to be found: that takes a
dozen queries and the matcher, ten times what storing the capture costs. So the resolver works
behind them, and it gives way while captures keep arriving: in a rush it resolves a small batch
and pauses, so the phones keep the processor; once the floor is quiet it drains the rest at full
speed. Captures are claimed in the database (a batch at a time, rows another worker holds
skipped), so several server processes (or the ``resolve_captures`` command) can run resolvers
side by side without matching a capture twice. A capture that fails to match is logged and left
waiting, and skipped while the booth stays busy; it is tried again once the floor is quiet.

A capture waiting when the server stops is not lost: it stays in the database, marked as not yet
resolved, and the next resolver (the first capture after a restart, ``eyecontact serve`` at
start, or ``eyecontact manage resolve_captures``) picks it up.

``EYECONTACT_CAPTURES_INLINE = True`` (the test settings) resolves each capture in the request
that stored it, so tests are deterministic.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from .exhibits import capture_resolve, captures_resolve_waiting
from .models import Capture

__all__ = ["CaptureResolver", "capture_stored", "captures_resume", "resolver"]

logger = logging.getLogger(__name__)

RUSH_WINDOW_S = 1.0  # a capture stored this recently means the booth is busy
RUSH_BATCH = 1  # captures resolved between pauses while the booth is busy
RUSH_PAUSE_S = 0.2
QUIET_BATCH = 100
IDLE_WAIT_S = 60.0  # look for waiting captures this often even if nobody wakes the resolver


class CaptureResolver:
    """One background thread that resolves waiting captures; started on first wake."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_arrival = 0.0
        self._stop = threading.Event()
        # Captures that failed to match: skipped while the booth is busy, tried again after.
        self._failed: set[int] = set()

    def wake(self) -> None:
        """A capture was stored: resolve it (and any other waiting one) soon."""
        self._last_arrival = time.monotonic()
        self._wake.set()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="eyecontact-captures", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ends the thread after its current batch (for a clean shutdown and for tests)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def busy(self) -> bool:
        return time.monotonic() - self._last_arrival < RUSH_WINDOW_S

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=IDLE_WAIT_S)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                close_old_connections()
                self.drain()
            except Exception:
                # A dropped database or the like: the captures stay waiting for the next turn.
                logger.exception("Resolving booth captures failed; they stay waiting")
                self._stop.wait(RUSH_PAUSE_S)
            finally:
                # The thread outlives requests: give its connection back between turns.
                connection.close()

    def drain(self) -> int:
        """Resolves every waiting capture, pausing while captures keep arriving."""
        total = 0
        retried = False
        while not self._stop.is_set():
            busy = self.busy()
            if not busy and not retried:
                self._failed.clear()  # a quiet turn tries the failing ones once more
                retried = True
            limit = RUSH_BATCH if busy else QUIET_BATCH
            done = captures_resolve_waiting(limit=limit, failed=self._failed)
            total += done
            if not done:
                return total
            if busy:
                self._stop.wait(RUSH_PAUSE_S)
        return total


resolver = CaptureResolver()


def captures_resume() -> None:
    """At server start: match the captures left waiting when the server last stopped."""
    if not getattr(settings, "EYECONTACT_CAPTURES_INLINE", False):
        resolver.wake()


def capture_stored(capture: Capture) -> Capture:
    """A new capture was stored: wake the resolver once it commits (in tests, resolve it now)."""
    if getattr(settings, "EYECONTACT_CAPTURES_INLINE", False):
        return capture_resolve(capture)
    transaction.on_commit(resolver.wake)
    return capture
