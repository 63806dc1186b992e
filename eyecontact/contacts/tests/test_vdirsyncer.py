"""A real CardDAV client, vdirsyncer, syncing a workspace's address book both ways.

vdirsyncer finds the book the way a phone does (``/.well-known/carddav``, the principal, the
address book home), copies the cards into a folder, and sends back what is edited, added or
deleted there, against Eye Contact served over HTTP by the test.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import vobject

from eyecontact.accounts.models import AuditEntry, User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.contacts.services import contact_details_keep
from eyecontact.events.services import event_create
from eyecontact.people.choices import Channel
from eyecontact.people.models import Identity, Person
from eyecontact.people.services import person_create, touch_log

pytestmark = pytest.mark.django_db(transaction=True)

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")


class Phone:
    """A folder of .vcf files kept in sync with the server by vdirsyncer."""

    def __init__(self, root: Path, server: str, email: str, password: str) -> None:
        self.root = root
        self.cards = root / "contacts"
        self.config = root / "config"
        self.config.write_text(
            f"""[general]
status_path = "{root / "status"}/"

[pair phone]
a = "phone_folder"
b = "phone_server"
collections = ["from b"]
conflict_resolution = "b wins"

[storage phone_folder]
type = "filesystem"
path = "{self.cards}/"
fileext = ".vcf"

[storage phone_server]
type = "carddav"
url = "{server}/"
username = "{email}"
password = "{password}"
"""
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "VDIRSYNCER_CONFIG": str(self.config)}
        result = subprocess.run(  # noqa: S603  # a fixed program with arguments made here
            [str(VDIRSYNCER), *args],
            env=environment,
            input="y\n" * 5,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def sync(self) -> subprocess.CompletedProcess[str]:
        return self.run("-v", "INFO", "sync")

    def book(self, slug: str) -> dict[str, vobject.base.Component]:
        """The cards on the phone by full name."""
        cards = {}
        for path in sorted((self.cards / slug).glob("*.vcf")):
            card = vobject.readOne(path.read_text(encoding="utf-8"))
            cards[card.fn.value] = card
        return cards

    def file_of(self, slug: str, name: str) -> Path:
        for path in (self.cards / slug).glob("*.vcf"):
            if vobject.readOne(path.read_text(encoding="utf-8")).fn.value == name:
                return path
        raise AssertionError(f"{name} is not on the phone")


@pytest.fixture
def phone(live_server: Any, user: User, workspace: Workspace, tmp_path: Path) -> Phone:
    _, key = token_create(user=user, name="Phone")
    phone = Phone(tmp_path, live_server.url, user.email, key)
    phone.run("discover", "phone")
    return phone


@pytest.fixture
def lena(workspace: Workspace, user: User) -> Person:
    person = person_create(
        workspace=workspace,
        display_name="Lena Hartmann",
        organization="Flora Analytics",
        title="Head of Growth",
        identities=[("email", "lena@flora-analytics.example"), ("phone", "+4915123456700")],
    )
    event = event_create(
        workspace=workspace,
        name="CES",
        city="Las Vegas",
        starts_on=dt.date(2026, 3, 12),
    )
    for day in (1, 14):
        touch_log(
            workspace=workspace,
            people=[person],
            channel=Channel.IN_PERSON,
            when=dt.datetime(2026, 3, day, 15, 0, tzinfo=dt.UTC),
            event=event,
            actor=user,
        )
    contact_details_keep(person=person, birthday="1988-07-02", photo=b"\xff\xd8\xff\xe0 photo")
    return person


class VdirsyncerTests:
    def test_the_phone_gets_every_person_with_the_last_meeting_on_the_card(
        self, phone: Phone, workspace: Workspace, lena: Person
    ) -> None:
        person_create(workspace=workspace, display_name="Kwame Mensah")
        phone.sync()
        book = phone.book(workspace.slug)
        assert sorted(book) == ["Kwame Mensah", "Lena Hartmann"]
        card = book["Lena Hartmann"]
        assert card.note.value == "Last met 14 Mar 2026 at CES, Las Vegas · 2 in-person meetings"
        assert card.org.value == ["Flora Analytics"]
        assert card.title.value == "Head of Growth"
        assert card.email.value == "lena@flora-analytics.example"
        assert card.tel.value == "+4915123456700"
        assert card.bday.value == "1988-07-02"
        assert card.photo.value == b"\xff\xd8\xff\xe0 photo"

    def test_a_second_sync_with_no_change_sends_nothing(
        self, phone: Phone, workspace: Workspace, lena: Person
    ) -> None:
        first = phone.sync()
        assert "Copying (uploading) item eyecontact-person-" in first.stderr
        again = phone.sync()
        log = again.stdout + again.stderr
        assert "Copying" not in log and "Updating" not in log and "Deleting" not in log

    def test_edits_on_the_phone_arrive_as_identities_and_new_people(
        self, phone: Phone, workspace: Workspace, lena: Person
    ) -> None:
        phone.sync()
        path = phone.file_of(workspace.slug, "Lena Hartmann")
        card = vobject.readOne(path.read_text(encoding="utf-8"))
        card.add("email").value = "lena.h@mail.example"
        card.add("tel").value = "+49 30 5555 0199"
        path.write_text(card.serialize(), encoding="utf-8")
        new = vobject.vCard()
        new.add("uid").value = "made-on-the-phone-1"
        new.add("fn").value = "Ida Lund"
        new.add("n").value = vobject.vcard.Name(family="Lund", given="Ida")
        new.add("email").value = "ida@lund.example"
        (phone.cards / workspace.slug / "made-on-the-phone-1.vcf").write_text(new.serialize())
        phone.sync()

        assert set(lena.identities.values_list("kind", "value")) == {
            ("email", "lena@flora-analytics.example"),
            ("email", "lena.h@mail.example"),
            ("phone", "+4915123456700"),
            ("phone", "+49305555019" + "9"),
        }
        ida = Person.objects.get(workspace=workspace, display_name="Ida Lund")
        assert Identity.objects.filter(person=ida, value="ida@lund.example").exists()
        actions = set(AuditEntry.objects.values_list("action", "subject"))
        assert ("contacts.phone_edit", "Lena Hartmann") in actions
        assert ("contacts.phone_create", "Ida Lund") in actions
        # The next sync brings the server's own writing of both cards, then nothing.
        phone.sync()
        assert sorted(phone.book(workspace.slug)) == ["Ida Lund", "Lena Hartmann"]
        quiet = phone.sync()
        assert "Copying" not in quiet.stderr and "Updating" not in quiet.stderr

    def test_deleting_on_the_phone_archives_and_keeps_the_history(
        self, phone: Phone, workspace: Workspace, lena: Person
    ) -> None:
        person_create(workspace=workspace, display_name="Kwame Mensah")
        phone.sync()
        phone.file_of(workspace.slug, "Lena Hartmann").unlink()
        phone.sync()
        lena.refresh_from_db()
        assert lena.touches.count() == 2
        assert lena.archived_at is not None
        [archived] = AuditEntry.objects.filter(action="person.archive")
        assert archived.details["why"].startswith("Deleted on a phone")
        phone.sync()
        assert sorted(phone.book(workspace.slug)) == ["Kwame Mensah"]
