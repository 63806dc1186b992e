"""``eyecontact manage send_digests``: the weekly keep-in-touch e-mail, sent now.

The worker (``eyecontact worker``, or the one ``eyecontact serve`` runs) sends it every Monday.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from eyecontact.accounts.models import Workspace
from eyecontact.insights.feeds import digest_send


class Command(BaseCommand):
    help = "E-mail this week's reminders to every workspace that asked for a weekly digest."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = sum(digest_send(workspace=workspace) for workspace in Workspace.objects.all())
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
