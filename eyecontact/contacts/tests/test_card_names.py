"""Each card keeps the name and UID phones know it by, through a restore and after it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.contacts.models import ContactDetails
from eyecontact.contacts.selectors import default_card_name, default_uid, people_of_cards
from eyecontact.contacts.services import book_refresh, contact_details_keep
from eyecontact.people.models import Person

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]


class CardNameTests:
    def test_the_first_sync_records_each_card_s_name_and_uid_with_its_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        lena = make_person("Lena Hartmann")
        contact_details_keep(person=lena, birthday="1985-03-14")
        kai = make_person("Kai Berg")
        first = book_refresh(workspace=workspace)
        kept = dict(ContactDetails.objects.values_list("person_id", "card_name"))
        assert kept == {lena.pk: default_card_name(lena.pk), kai.pk: default_card_name(kai.pk)}
        assert ContactDetails.objects.get(person=lena).birthday == "1985-03-14"
        assert ContactDetails.objects.get(person=kai).card_uid == default_uid(kai.pk)
        # Recording them changes no card: the next sync has nothing new.
        assert book_refresh(workspace=workspace).revision == first.revision

    def test_someone_whose_card_name_a_restored_card_holds_gets_another_name_and_uid(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        restored = make_person("Restored From Elsewhere")
        newcomer = make_person("Newcomer")
        taken = default_card_name(newcomer.pk)
        contact_details_keep(person=restored, card_name=taken, card_uid=default_uid(newcomer.pk))
        entries = {e.person_id: e for e in book_refresh(workspace=workspace).entries}
        other = f"eyecontact-person-{newcomer.pk}-2.vcf"
        assert entries[restored.pk].name == taken
        assert (entries[newcomer.pk].name, entries[newcomer.pk].card.uid) == (
            other,
            f"eyecontact-person-{newcomer.pk}-2",
        )
        assert people_of_cards(workspace, [taken, other]) == {
            taken: restored.pk,
            other: newcomer.pk,
        }
        # The other name is kept too: it stays when the restored person leaves.
        restored.delete()
        [entry] = book_refresh(workspace=workspace).entries
        assert entry.name == other
