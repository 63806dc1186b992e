"""How large a file Eye Contact imports, and how it says no to a larger one.

Every limit is refused with a sentence naming the file and the limit, before the file is read
whole (the command line looks at the file's size first; an archive's members are refused by
the size they declare, then by the bytes actually unpacked), and never with a success.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.cli.tests.test_commands import run
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import ImportFailed, import_file
from eyecontact.imports.sources import (
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    iter_archive,
    parse_export,
    reading,
)
from eyecontact.imports.sources.formats import all_formats
from eyecontact.imports.sources.reading import MAX_RECORDS
from eyecontact.web import forms_imports

# Each format's own size limit, by name.
FORMAT_MAX_BYTES = {f.name: f.max_bytes for f in all_formats()}

MIB = 1024 * 1024
HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def connections(size: int) -> bytes:
    row = b"Ada,Byrne,https://www.linkedin.com/in/ada-byrne,,Acme,CTO,01 Jan 2020\n"
    return HEADER + row * ((size - len(HEADER)) // len(row) + 1)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class LimitTests:
    def test_the_limits_are_what_a_real_export_needs_and_no_more(self) -> None:
        assert MAX_FILE_BYTES == 24 * MIB
        assert MAX_TOTAL_BYTES == 24 * MIB
        assert MAX_UPLOAD_BYTES == 64 * MIB
        assert MAX_RECORDS == 120_000
        assert max(FORMAT_MAX_BYTES.values()) <= MAX_FILE_BYTES
        assert FORMAT_MAX_BYTES["linkedin_connections"] == 8 * MIB

    def test_a_file_over_its_kinds_limit_is_refused_naming_both_sizes(self) -> None:
        data = connections(FORMAT_MAX_BYTES["linkedin_connections"] + MIB)
        with pytest.raises(ImportFileError) as caught:
            parse_export("Connections.csv", data)
        assert str(caught.value) == (
            "Connections.csv: the file is 9.0 MB; the largest LinkedIn Connections.csv Eye "
            "Contact reads is 8 MB, a few times the largest real export"
        )

    def test_a_file_at_its_kinds_limit_is_read(self) -> None:
        data = connections(FORMAT_MAX_BYTES["linkedin_connections"] - 100)[
            : FORMAT_MAX_BYTES["linkedin_connections"]
        ]
        data = data[: data.rindex(b"\n") + 1]
        [result] = parse_export("Connections.csv", data)
        assert len(result.records) == data.count(b"\n") - 1

    def test_an_upload_over_the_largest_archive_is_refused_before_it_is_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(reading, "MAX_UPLOAD_BYTES", 1000)
        with pytest.raises(ImportFileError, match="the largest upload .an export .zip. Eye"):
            parse_export("export.zip", b"PK\x03\x04" + b"\x00" * 2000)

    def test_an_upload_holding_too_many_people_is_refused_before_it_is_written(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """What costs memory is people, so an archive of several files counts them all."""
        monkeypatch.setattr(reading, "MAX_RECORDS", 5)
        members = {f"{n}/Connections.csv": connections(300) for n in range(2)}
        with pytest.raises(ImportFileError) as caught:
            parse_export("export.zip", zip_of(members))
        assert str(caught.value) == (
            "export.zip: the file holds 8 people and meetings; Eye Contact imports at most 5 at "
            "a time (import the files of an archive one by one)"
        )


class ArchiveLimitTests:
    def test_a_member_declaring_more_than_a_file_may_hold_is_refused_unread(self) -> None:
        """The "1 MB zip holding 300 MB of CSV": refused by the size it declares."""
        data = zip_of({"Connections.csv": HEADER + b"," * (MAX_FILE_BYTES + MIB)})
        assert len(data) < MIB
        with pytest.raises(ImportFileError) as caught:
            list(iter_archive("bomb.zip", data))
        assert str(caught.value) == (
            "bomb.zip/Connections.csv: the file unpacks to more than 24 MB, the largest "
            "export we read"
        )

    def test_two_large_vcards_in_a_zip_fail_the_import_instead_of_being_skipped(self) -> None:
        card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byrne\r\nEND:VCARD\r\n"
        big = card * ((FORMAT_MAX_BYTES["vcard"] + MIB) // len(card))
        data = zip_of({"a.vcf": big, "b.vcf": big})
        with pytest.raises(
            ImportFileError,
            match=r"^cards\.zip: the archive unpacks to more than 24 MB of files to",
        ):
            parse_export("cards.zip", data)

    def test_a_member_over_its_kinds_limit_is_refused_by_name(self) -> None:
        card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byrne\r\nEND:VCARD\r\n"
        big = card * ((FORMAT_MAX_BYTES["vcard"] + MIB) // len(card))
        with pytest.raises(ImportFileError) as caught:
            parse_export("cards.zip", zip_of({"a.vcf": big}))
        assert str(caught.value).startswith(
            "cards.zip/a.vcf: the file is 13 MB; the largest vCard file Eye Contact reads is 12 MB"
        )

    def test_members_that_together_unpack_to_too_much_are_refused(self) -> None:
        part = HEADER + b"," * (3 * MIB)
        data = zip_of({f"{n}/Connections.csv": part for n in range(3)})
        with pytest.raises(ImportFileError) as caught:
            list(iter_archive("export.zip", data, max_total_bytes=8 * MIB))
        assert "the archive unpacks to more than 8 MB of files to import" in str(caught.value)


@pytest.mark.django_db
class DoorLimitTests:
    def test_the_command_refuses_a_file_over_the_limit_with_a_non_zero_exit(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        huge = tmp_path / "export.zip"
        with huge.open("wb") as out:
            out.truncate(MAX_UPLOAD_BYTES + MIB)  # sparse: nothing to read
        result = run("import", str(huge), "--json")
        assert result.exit_code == 2
        assert (
            "the file is 65 MB; the largest upload (an export .zip) Eye Contact imports is 64 MB"
            in result.stderr
        )
        assert json.loads(result.stdout)[0]["status"] == "unreadable"
        assert not ImportBatch.objects.exists()

    def test_the_command_fails_an_archive_whose_members_are_too_large(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byrne\r\nEND:VCARD\r\n"
        big = card * ((FORMAT_MAX_BYTES["vcard"] + MIB) // len(card))
        archive = tmp_path / "cards.zip"
        archive.write_bytes(zip_of({"a.vcf": big, "b.vcf": big}))
        result = run("import", str(archive))
        assert result.exit_code == 2
        assert "cards.zip: the archive unpacks to more than 24 MB of files to import" in (
            result.stderr
        )
        assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED

    def test_the_api_refuses_an_upload_over_the_limit_unread(
        self, user: User, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(reading, "MAX_UPLOAD_BYTES", 1000)
        _, key = token_create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        upload = SimpleUploadedFile("export.zip", b"PK\x03\x04" + b"\x00" * 2000)
        answer = client.post(f"/api/workspaces/{workspace.slug}/imports", {"file": upload})
        assert answer.status_code == 422
        assert "export.zip: the file is 2 KB; the largest upload" in json.dumps(answer.json())
        assert not ImportBatch.objects.exists()

    def test_the_upload_page_refuses_a_file_over_the_limit_next_to_the_field(
        self, user: User, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(forms_imports, "MAX_UPLOAD_BYTES", 1000)
        client = Client()
        client.force_login(user)
        upload = SimpleUploadedFile("Connections.csv", connections(2000))
        page = client.post(
            reverse("import_new", kwargs={"slug": workspace.slug}), {"export": upload}
        )
        assert page.status_code == 200
        assert "is 2," in page.content.decode()
        assert "the largest export Eye Contact reads is 1,000 bytes." in page.content.decode()
        assert not ImportBatch.objects.exists()

    def test_an_import_of_a_file_over_its_limit_fails_and_says_why(
        self, workspace: Workspace
    ) -> None:
        data = connections(FORMAT_MAX_BYTES["linkedin_connections"] + MIB)
        with pytest.raises(ImportFailed) as failed:
            import_file(workspace=workspace, file_name="Connections.csv", data=data)
        assert failed.value.batch.status == ImportBatch.Status.FAILED
        assert (
            "the largest LinkedIn Connections.csv Eye Contact reads is 8 MB"
            in (failed.value.batch.errors[0])
        )
