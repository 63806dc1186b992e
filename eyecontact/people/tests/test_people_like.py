"""The people of a workspace who could be a name: one lookup for the screener and the booth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Person
from eyecontact.people.selectors import people_like
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]


@pytest.mark.django_db
class PeopleLikeTests:
    def test_a_nickname_at_the_same_organization_is_a_sure_match_with_evidence(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        robert = make_person("Robert Miller", organization="Acme Corp")
        make_person("Robert Kowalski", organization="Acme Corp")
        found = people_like(workspace=workspace, name="Bob Miller", organization="ACME")
        assert [like.person for like in found] == [robert]
        assert found[0].decision == "merge"
        assert found[0].evidence

    def test_namesakes_without_an_organization_are_only_maybes(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Wei Zhang", organization="Yangtze Robotics")
        make_person("Wei Zhang", organization="Photon Labs")
        found = people_like(workspace=workspace, name="Wei Zhang")
        assert len(found) == 2
        assert {like.decision for like in found} == {"review"}
        assert found[0].score >= found[1].score

    def test_nobody_sharing_a_word_of_the_name_is_a_candidate(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Jane Doe", organization="Acme Corp")
        assert people_like(workspace=workspace, name="Totally Unknown") == []
        assert people_like(workspace=workspace, name="  - ") == []

    def test_people_of_another_workspace_are_never_candidates(
        self, workspace: Workspace, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Lena Hartmann", organization="Flora Analytics", workspace=other_workspace)
        assert people_like(workspace=workspace, name="Lena Hartmann") == []

    def test_those_sharing_the_most_words_are_compared_first(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """When more people share a word than are compared, the full namesake is kept."""
        for n in range(5):
            maria = make_person(f"Maria Lopez{n}", organization="Initech")
            touch_log(workspace=workspace, people=[maria], channel="in_person")
        garcia = make_person("Maria Garcia", organization="Initech")
        found = people_like(
            workspace=workspace, name="Maria Garcia", organization="Initech", candidates=2
        )
        assert found[0].person == garcia

    def test_one_query_however_many_share_a_word_and_the_person_is_ready_to_use(
        self,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_num_queries: Any,
    ) -> None:
        for n in range(30):
            make_person(f"Maria {n:02} Garcia", organization=f"Company {n % 7}")
        make_person("Maria Garcia", organization="Initech")
        with django_assert_num_queries(1):
            found = people_like(workspace=workspace, name="Maria Garcia", organization="Initech")
        person = found[0].person
        with django_assert_num_queries(0):
            assert (person.display_name, person.organization) == ("Maria Garcia", "Initech")
            assert person.workspace == workspace
        # The other fields load when asked for.
        assert person.search_text.startswith("maria garcia initech")
