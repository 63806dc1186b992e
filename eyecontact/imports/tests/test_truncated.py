"""An export cut short (a download or copy that stopped) is refused whole, with file and line."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import ImportFailed, import_file
from eyecontact.imports.sources import ImportFileError, parse_export
from eyecontact.imports.sources._text import CUT_IN_QUOTED_VALUE, CUT_IN_ROW
from eyecontact.imports.sources.ical import CUT_IN_COMPONENT
from eyecontact.imports.sources.vcard import CUT_IN_CARD
from eyecontact.networks.models import FollowSnapshot
from eyecontact.people.models import Connection, Identity, Person, Touch

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
OWNER_EMAIL = "morgan.ellery@example.net"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cut_before(data: bytes, marker: bytes, keep: int = 0) -> bytes:
    """The file up to ``keep`` bytes past the start of ``marker``."""
    return data[: data.index(marker) + keep]


def archive_with_a_damaged_member() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/follower.js", fixture("x/follower.js"))
    damaged = bytearray(buffer.getvalue())
    damaged[200] ^= 0xFF  # inside the compressed follower list
    return bytes(damaged)


CUT_FILES = [
    pytest.param(
        "Connections.csv",
        fixture("linkedin/Connections.csv")[:3000],
        26,
        CUT_IN_ROW.format(cells=3, columns=7),
        id="linkedin-csv-cut-at-3000-bytes",
    ),
    pytest.param(
        "Connections.csv",
        cut_before(fixture("linkedin/Connections.csv"), b'"Founder & ', keep=5),
        None,
        CUT_IN_QUOTED_VALUE,
        id="linkedin-csv-cut-inside-a-quoted-position",
    ),
    pytest.param(
        "contacts.csv",
        cut_before(fixture("google/contacts.csv"), b"Running club", keep=4),
        None,
        None,
        id="google-csv-cut-in-a-row",
    ),
    pytest.param(
        "following.js",
        fixture("x/following.js")[:700],
        None,
        None,
        id="x-js-cut-short",
    ),
    pytest.param(
        "your_friends.json",
        fixture("facebook/your_friends.json")[:900],
        None,
        None,
        id="facebook-json-cut-short",
    ),
    pytest.param(
        "contacts.vcf",
        fixture("vcard/contacts.vcf")[: len(fixture("vcard/contacts.vcf")) // 2],
        29,
        CUT_IN_CARD,
        id="vcard-cut-inside-a-card",
    ),
    pytest.param(
        "calendar.ics",
        cut_before(fixture("calendar/calendar.ics"), b"SUMMARY:Kirin Labs follow-up"),
        207,
        CUT_IN_COMPONENT.format(name="VEVENT"),
        id="ical-cut-inside-an-event",
    ),
    pytest.param(
        "twitter.zip",
        archive_with_a_damaged_member(),
        None,
        None,
        id="zip-with-a-damaged-member",
    ),
]


class CutShortParsingTests:
    @pytest.mark.parametrize(("name", "data", "line", "message"), CUT_FILES)
    def test_a_file_cut_short_is_refused_with_its_name_and_line(
        self, name: str, data: bytes, line: int | None, message: str | None
    ) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_export(name, data, until=UNTIL)
        assert caught.value.file == name
        if line is not None:
            assert caught.value.line == line
        if message is not None:
            assert caught.value.message == message
        if name.endswith((".csv", ".js", ".json", ".vcf", ".ics")):
            assert caught.value.line is not None, "a text file's error names a line"

    @pytest.mark.parametrize(
        "name",
        [
            "linkedin/Connections.csv",
            "linkedin/Connections_2018.csv",
            "linkedin/Connections_european.csv",
            "linkedin/Connections_excel_resave.csv",
            "google/contacts.csv",
            "google/outlook_contacts.csv",
            "x/followers_export.csv",
        ],
    )
    def test_a_whole_file_without_a_final_line_end_is_read(self, name: str) -> None:
        """The samples end without a line end, as LinkedIn's do: that alone is not a cut."""
        whole = fixture(name).rstrip(b"\r\n")
        results = parse_export(name.rsplit("/", 1)[1], whole, until=UNTIL)
        assert sum(len(r.records) for r in results) > 0

    def test_a_last_row_that_ends_its_line_early_is_not_taken_for_a_cut(self) -> None:
        """A short last row that ends with a line end was written that way, not cut."""
        data = fixture("linkedin/Connections.csv").rstrip(b"\r\n") + b"\nAda,Lovelace\n"
        (result,) = parse_export("Connections.csv", data, until=UNTIL)
        assert any(c.full_name == "Ada Lovelace" for c in result.contacts)


def ledger(workspace: Workspace) -> dict[str, Any]:
    """Everything an import could have changed in the workspace."""
    return {
        "people": sorted(
            Person.objects.filter(workspace=workspace).values_list("pk", "display_name")
        ),
        "identities": sorted(
            Identity.objects.filter(workspace=workspace).values_list("person_id", "kind", "value")
        ),
        "connections": sorted(
            Connection.objects.filter(workspace=workspace).values_list(
                "person_id", "network", "kind", "removed_on"
            )
        ),
        "rows": sorted(
            SourceRecord.objects.filter(workspace=workspace).values_list(
                "key", "person_id", "last_batch_id", "missing_since"
            )
        ),
        "touches": Touch.objects.filter(workspace=workspace).count(),
        "snapshots": FollowSnapshot.objects.filter(workspace=workspace).count(),
    }


@pytest.mark.django_db
class CutShortImportTests:
    def run(self, workspace: Workspace, name: str, data: bytes) -> ImportBatch:
        return import_file(
            workspace=workspace,
            file_name=name,
            data=data,
            until=UNTIL,
            owner_emails=[OWNER_EMAIL],
        )

    def test_linkedin_connections_cut_at_3000_bytes_change_nothing(
        self, workspace: Workspace
    ) -> None:
        """The whole list was imported before; the cut copy adds nobody and removes nobody."""
        self.run(workspace, "Connections.csv", fixture("linkedin/Connections.csv"))
        before = ledger(workspace)
        with pytest.raises(ImportFailed) as caught:
            self.run(workspace, "Connections.csv", fixture("linkedin/Connections.csv")[:3000])
        batch = caught.value.batch
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.errors == [
            "Connections.csv, line 26: " + CUT_IN_ROW.format(cells=3, columns=7)
        ]
        assert ledger(workspace) == before
        assert not Connection.objects.filter(removed_on__isnull=False).exists()

    @pytest.mark.parametrize(("name", "data", "line", "message"), CUT_FILES)
    def test_any_file_cut_short_changes_nothing(
        self,
        workspace: Workspace,
        name: str,
        data: bytes,
        line: int | None,
        message: str | None,
    ) -> None:
        self.run(workspace, "x/following.js", fixture("x/following.js"))
        self.run(workspace, "calendar.ics", fixture("calendar/calendar.ics"))
        before = ledger(workspace)
        with pytest.raises(ImportFailed) as caught:
            self.run(workspace, name, data)
        assert caught.value.batch.errors[0].startswith(name)
        assert ledger(workspace) == before
