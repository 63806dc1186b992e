"""``eyecontact manage resolve_captures``: match every booth capture still waiting for a person.

The server does this by itself, just after each capture; this is for captures left waiting when
a server stopped, or for a deployment that prefers to match them from a cron job.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from eyecontact.events.exhibits import captures_resolve_waiting


class Command(BaseCommand):
    help = "Match every booth capture that is still waiting to be matched to a person."

    def handle(self, *args: Any, **options: Any) -> None:
        done = captures_resolve_waiting(limit=None)
        self.stdout.write(f"{done} capture(s) matched.")
