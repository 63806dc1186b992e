"""Undoing an import puts back what it changed on people it did not create.

An import does more than add: it merges an X account nobody named into the person whose card
names it, gives a nameless account the name a card says, and brings a newer export's job titles.
Undone, the workspace is as it was before the import, with the same people, names and rows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eyecontact.accounts.models import User, Workspace
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import batch_undo, import_file
from eyecontact.people.models import Identity, Person, PersonMerge

ACCOUNT = "2457317658229252367"
FOLLOWERS = (
    b'window.YTD.follower.part0 = [{"follower": {"accountId": "' + ACCOUNT.encode() + b'", '
    b'"userLink": "https://twitter.com/intent/user?user_id=' + ACCOUNT.encode() + b'"}}]'
)
CONNECTIONS = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Lena,Holmstrom,https://www.linkedin.com/in/lena-holmstrom-c4376c,lena@nordlys.example,"
    b"Nordlys Capital,Partner,12 Mar 2024\n"
)


def card(*lines: str) -> bytes:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""]).encode()


X_PROFILE = f"X-SOCIALPROFILE;type=twitter;x-userid={ACCOUNT}:https://twitter.com/lenaholm"


def run(workspace: Workspace, name: str, data: bytes) -> ImportBatch:
    batch = import_file(workspace=workspace, file_name=name, data=data)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return batch


def account_holder(workspace: Workspace) -> Person:
    return Identity.objects.get(workspace=workspace, kind="x", value=f"id:{ACCOUNT}").person


def people(workspace: Workspace) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every person with their identities, as a user would see them."""
    return sorted(
        (
            person.display_name,
            sorted(person.identities.values_list("kind", "value")),
        )
        for person in Person.objects.filter(workspace=workspace)
    )


@pytest.mark.django_db
class UndoPutsBackTests:
    def test_a_card_that_named_a_nameless_account_is_undone_to_the_nameless_account(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "follower.js", FOLLOWERS)
        before = people(workspace)
        nameless = account_holder(workspace)
        cards = run(
            workspace, "lena.vcf", card("FN:Lena Holmstrom", "N:Holmstrom;Lena;;;", X_PROFILE)
        )
        named = account_holder(workspace)
        assert (named.pk, named.display_name) == (nameless.pk, "Lena Holmstrom")

        batch_undo(batch=cards, actor=user)

        assert people(workspace) == before
        restored = account_holder(workspace)
        assert (restored.pk, restored.given_name, restored.family_name) == (nameless.pk, "", "")
        assert restored.display_name == f"X account {ACCOUNT}"

    def test_a_merge_the_import_made_is_split_again(self, workspace: Workspace, user: User) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        run(workspace, "follower.js", FOLLOWERS)
        before = people(workspace)
        cards = run(
            workspace,
            "lena.vcf",
            card(
                "FN:Lena Holmstrom", "N:Holmstrom;Lena;;;", "EMAIL:lena@nordlys.example", X_PROFILE
            ),
        )
        lena = Identity.objects.get(kind="email", value="lena@nordlys.example").person
        assert account_holder(workspace) == lena  # the nameless account was merged into her
        assert PersonMerge.objects.filter(kept=lena, automatic=True).exists()

        batch_undo(batch=cards, actor=user)

        assert people(workspace) == before
        account = account_holder(workspace)
        assert account != lena
        # The follower row is the account's again, and a later import finds it there.
        follower_row = SourceRecord.objects.get(source_format="x")
        assert follower_row.person == account
        assert account.connections.filter(network="x", kind="follower").exists()
        run(workspace, "follower.js", FOLLOWERS)
        assert people(workspace) == before

    def test_details_a_newer_export_brought_go_back_to_the_earlier_ones(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        newer = run(
            workspace, "Connections.csv", CONNECTIONS.replace(b"Partner", b"Managing Partner")
        )
        lena = Identity.objects.get(kind="email", value="lena@nordlys.example").person
        assert lena.title == "Managing Partner"

        batch_undo(batch=newer, actor=user)

        lena.refresh_from_db()
        assert lena.title == "Partner"

    def test_a_detail_the_user_changed_since_stays(self, workspace: Workspace, user: User) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        newer = run(
            workspace, "Connections.csv", CONNECTIONS.replace(b"Partner", b"Managing Partner")
        )
        lena = Identity.objects.get(kind="email", value="lena@nordlys.example").person
        lena.title = "Chair"
        lena.save(update_fields=["title"])

        batch_undo(batch=newer, actor=user)

        lena.refresh_from_db()
        assert lena.title == "Chair"


FIXTURES = Path(__file__).parent / "fixtures"
X_FILES = ("x/account.js", "x/follower.js", "x/following.js")


def ledger(workspace: Workspace) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Every person with their identities and live connections, whatever their database ids."""
    return sorted(
        (
            person.display_name,
            sorted(person.identities.values_list("kind", "value")),
            sorted(
                person.connections.filter(removed_on__isnull=True).values_list("network", "kind")
            ),
        )
        for person in Person.objects.filter(workspace=workspace)
    )


def import_fixture(workspace: Workspace, name: str) -> ImportBatch:
    return run(workspace, name, (FIXTURES / name).read_bytes())


@pytest.mark.django_db
class UndoThenImportAgainTests:
    """Undoing an import and importing the file again gives what one clean import gives."""

    @pytest.mark.parametrize("undone", ["x/follower.js", "x/following.js"])
    def test_an_x_list_undone_and_imported_again_is_one_clean_import(
        self, workspace: Workspace, user: User, undone: str
    ) -> None:
        for name in X_FILES:
            import_fixture(workspace, name)
        clean = ledger(workspace)
        batch = ImportBatch.objects.get(workspace=workspace, file_name=undone)

        batch_undo(batch=batch, actor=user)
        import_fixture(workspace, undone)

        assert ledger(workspace) == clean
        holders = Counter(
            Identity.objects.filter(workspace=workspace, kind="x").values_list("value", flat=True)
        )
        assert holders and max(holders.values()) == 1, "an X id belongs to one person"

    def test_accounts_in_both_lists_keep_their_id_when_one_list_is_undone(
        self, workspace: Workspace, user: User
    ) -> None:
        """Grace Liu's account follows and is followed: undoing the followers leaves her
        the account the following list knows her by."""
        for name in X_FILES:
            import_fixture(workspace, name)
        follower = ImportBatch.objects.get(workspace=workspace, file_name="x/follower.js")

        batch_undo(batch=follower, actor=user)

        grace = Identity.objects.get(workspace=workspace, kind="x", value="id:3141592653").person
        assert list(grace.connections.values_list("kind", flat=True)) == ["following"]
        assert not Person.objects.filter(workspace=workspace, identities__isnull=True).exists()
