"""A new person's identities: checked once, written at once, never taken from their owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Identity, Person, PersonSearchWord
from eyecontact.people.services import person_create

MakePerson = Callable[..., Person]


@pytest.mark.django_db
class PersonCreateIdentitiesTests:
    def test_the_e_mails_are_in_the_search_words_from_the_start(
        self, workspace: Workspace, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(7):
            lena = person_create(
                workspace=workspace,
                display_name="Lena Hartmann",
                identities=[("email", "Lena@Flora.example"), ("email", "lena@flora.example")],
            )
        assert list(lena.identities.values_list("value", flat=True)) == ["lena@flora.example"]
        assert lena.search_text.endswith("lena@flora.example")
        words = set(PersonSearchWord.objects.filter(person=lena).values_list("word", flat=True))
        assert {"lena", "hartmann", "flora", "example"} <= words

    def test_an_identity_someone_holds_refuses_the_whole_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Anna Weber", identities=[("email", "anna@acme.example")])
        with pytest.raises(ValidationError, match="already belongs to Anna Weber"):
            person_create(
                workspace=workspace,
                display_name="Someone Else",
                identities=[("phone", "+49 30 1234567"), ("email", "ANNA@acme.example")],
            )
        assert Person.objects.count() == 1
        assert Identity.objects.count() == 1

    def test_identities_the_caller_looked_up_are_still_refused_by_the_database(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        anna = make_person("Anna Weber", identities=[("email", "anna@acme.example")])
        with pytest.raises(IntegrityError), transaction.atomic():
            person_create(
                workspace=workspace,
                display_name="Someone Else",
                identities=[("email", "anna@acme.example")],
                identities_unheld=True,
            )
        assert list(Identity.objects.values_list("person_id", flat=True)) == [anna.pk]
