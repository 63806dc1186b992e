"""Finding people by the words they are known by, through the word index, whoever wrote them."""

from __future__ import annotations

import ast
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.cli import app
from eyecontact.demo import demo_build
from eyecontact.imports.services import import_file
from eyecontact.people import search, selectors
from eyecontact.people.models import Person, PersonSearchWord
from eyecontact.people.search import people_index_search, search_words
from eyecontact.people.services import (
    identity_add,
    identity_remove,
    identity_update,
    person_create,
    person_delete,
    person_merge,
    person_unmerge,
    person_update,
)
from eyecontact.portability import workspace_export, workspace_restore

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
VCARD = b"""BEGIN:VCARD
VERSION:3.0
FN:Katherine Johnson
N:Johnson;Katherine;;;
ORG:Langley Research
EMAIL:katherine@langley.example
END:VCARD
"""


def found(
    workspace: Workspace,
    query: str,
    *,
    nameless: bool = False,
    archived: bool = False,
    **filters: str,
) -> list[str]:
    people = selectors.people_list(
        workspace=workspace, query=query, nameless=nameless, archived=archived, **filters
    )
    return [person.display_name for person in people]


def assert_words_current(workspace: Workspace) -> None:
    """Every person's words are exactly those of their search text, and nobody else has any."""
    people = Person.objects.filter(workspace=workspace)
    assert people.exists()
    for person in people:
        words = set(person.search_words.values_list("word", flat=True))
        assert words == set(search_words(person.search_text)), person.display_name
    stray = PersonSearchWord.objects.filter(workspace=workspace).exclude(person__in=people)
    assert not stray.exists()


class SearchTests:
    def test_every_typed_word_starts_a_word_of_the_person(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Grace Hopper", organization="Navy", city="Arlington")
        make_person("Grace Kelly", organization="Monaco")
        make_person("Ada Lovelace", organization="Analytical Engines")
        assert found(workspace, "gra hop") == ["Grace Hopper"]
        assert found(workspace, "GRACE") == ["Grace Hopper", "Grace Kelly"]
        assert found(workspace, "arling") == ["Grace Hopper"]
        assert found(workspace, "engines analytical") == ["Ada Lovelace"]
        assert found(workspace, "race") == []
        assert found(workspace, "grace lovelace") == []

    def test_accents_case_and_punctuation_fold_alike(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Zoë Müller-Lüdenscheidt", city="Zürich")
        assert found(workspace, "zoe mul") == ["Zoë Müller-Lüdenscheidt"]
        assert found(workspace, "LÜDEN zurich") == ["Zoë Müller-Lüdenscheidt"]

    def test_an_email_is_found_by_its_parts_and_as_typed(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        identity_add(person=ada, kind="email", value="countess.ada@engines.example")
        make_person("Ada Byron")
        for query in ("countess", "countess.ada@eng", "engines.example", "ada@engines"):
            assert found(workspace, query) == ["Ada Lovelace"], query

    def test_a_word_ending_in_the_last_letters_finds_only_its_own_prefix(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        """The range after "liz" ends at "li{": no "lj…" or "lz…" word slips in."""
        make_person("Liz Taylor")
        make_person("Lizzy Bennet")
        make_person("Ljuba Welitsch")
        make_person("Lzzy Hale")
        assert found(workspace, "liz") == ["Lizzy Bennet", "Liz Taylor"]
        assert found(workspace, "z") == []

    def test_another_workspaces_people_are_never_found(
        self,
        workspace: Workspace,
        other_workspace: Workspace,
        make_person: Callable[..., Person],
    ) -> None:
        make_person("Grace Hopper", workspace=other_workspace)
        assert found(workspace, "grace") == []
        assert found(other_workspace, "grace") == ["Grace Hopper"]

    @pytest.mark.parametrize("sort", list(selectors.PEOPLE_SORTS))
    def test_many_matches_and_few_sort_and_filter_alike(
        self,
        workspace: Workspace,
        make_person: Callable[..., Person],
        monkeypatch: pytest.MonkeyPatch,
        sort: str,
    ) -> None:
        """Past SORT_AFTER_SEARCH matches the list walks the sort's index; the order is the same."""
        for n, organization in enumerate(["Acme", "Acme", "Globex", "Acme", "Initech"]):
            make_person(f"Person {n}", organization=organization)
        make_person("Other Acme", organization="Acme")
        few = found(workspace, "person", sort=sort, organization="acme")
        monkeypatch.setattr(selectors, "SORT_AFTER_SEARCH", 2)
        assert found(workspace, "person", sort=sort, organization="acme") == few
        assert sorted(few) == ["Person 0", "Person 1", "Person 3"]


PUNCTUATION = ["'", "\\", "<>", " - . ", "@", "'; --"]


class WordlessSearchTests:
    """A search made only of punctuation has no word to look for: it finds nobody anywhere."""

    @pytest.fixture
    def people(self, workspace: Workspace) -> None:
        person_create(workspace=workspace, display_name="Ada Lovelace", organization="O'Brien & Co")
        person_create(workspace=workspace, display_name="Grace Hopper")

    @pytest.mark.parametrize("query", PUNCTUATION)
    def test_the_people_selector_finds_nobody(
        self, workspace: Workspace, people: None, query: str
    ) -> None:
        assert found(workspace, query) == []
        assert found(workspace, f"  {query}  ", sort="-last_touch") == []
        # Punctuation around a word is no hindrance to finding it.
        assert found(workspace, f"{query}ada{query}") == ["Ada Lovelace"]

    @pytest.mark.parametrize("query", PUNCTUATION)
    def test_the_api_finds_nobody(
        self, user: User, workspace: Workspace, people: None, query: str
    ) -> None:
        _, key = token_create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        response = client.get(f"/api/workspaces/{workspace.slug}/people", {"q": query})
        assert response.status_code == 200
        assert response.json()["count"] == 0
        assert response.json()["items"] == []

    @pytest.mark.parametrize("query", PUNCTUATION)
    def test_the_web_list_finds_nobody(
        self, user: User, workspace: Workspace, people: None, query: str
    ) -> None:
        client = Client()
        client.force_login(user)
        response = client.get(reverse("people_list", args=[workspace.slug]), {"q": query})
        assert response.status_code == 200
        assert b"Ada Lovelace" not in response.content
        assert b"Grace Hopper" not in response.content
        assert b"No one matches" in response.content

    @pytest.mark.parametrize("query", PUNCTUATION)
    def test_the_command_line_finds_nobody(
        self, workspace: Workspace, people: None, query: str
    ) -> None:
        result = CliRunner().invoke(app, ["people", query, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == []


class WordUpkeepTests:
    def test_editing_a_person_replaces_their_words(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace", organization="Analytical Engines")
        person_update(person=ada, display_name="Ada King", organization="Babbage")
        assert found(workspace, "lovelace") == []
        assert found(workspace, "analytical") == []
        assert found(workspace, "king babb") == ["Ada King"]
        assert_words_current(workspace)

    def test_emails_added_corrected_and_removed_are_found_or_forgotten(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        identity = identity_add(person=ada, kind="email", value="ada@old.example")
        assert found(workspace, "old") == ["Ada Lovelace"]
        identity_update(identity=identity, value="ada@new.example")
        assert (found(workspace, "old"), found(workspace, "new")) == ([], ["Ada Lovelace"])
        identity_remove(identity=identity)
        assert found(workspace, "new") == []
        assert_words_current(workspace)

    def test_a_merge_and_its_undoing_keep_the_words_of_both(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        keep = make_person("Ada Lovelace")
        drop = make_person("A. Lovelace")
        identity_add(person=drop, kind="email", value="countess@engines.example")
        person_merge(keep=keep, drop=drop)
        assert found(workspace, "countess") == ["Ada Lovelace"]
        assert_words_current(workspace)
        person_unmerge(merge=keep.merges_kept.get())
        assert found(workspace, "countess") == ["A. Lovelace"]
        assert_words_current(workspace)

    def test_deleting_a_person_deletes_their_words(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person_delete(person=make_person("Ada Lovelace"))
        assert not PersonSearchWord.objects.exists()

    def test_the_bulk_helper_rebuilds_words_from_the_saved_search_text(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        Person.objects.filter(pk=ada.pk).update(search_text="ada lovelace countess")
        people_index_search([ada.pk])
        assert found(workspace, "countess") == ["Ada Lovelace"]

    def test_the_bulk_helper_rebuilds_the_words_of_many_people_a_chunk_at_a_time(
        self,
        workspace: Workspace,
        make_person: Callable[..., Person],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(search, "_REWRITE_CHUNK", 2)
        names = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson", "Alan Kay"]
        people = [make_person(name) for name in names]
        Person.objects.update(search_text=Concat("search_text", Value(" pioneer")))
        people_index_search([p.pk for p in people] + [people[0].pk])
        assert sorted(found(workspace, "pioneer")) == sorted(names)
        assert_words_current(workspace)

    def test_an_import_makes_its_people_findable(self, workspace: Workspace) -> None:
        import_file(workspace=workspace, file_name="contacts.vcf", data=VCARD)
        assert found(workspace, "langley kath") == ["Katherine Johnson"]
        assert_words_current(workspace)

    def test_an_x_account_nobody_named_is_found_by_its_id_not_by_account(
        self, workspace: Workspace
    ) -> None:
        followers = (
            b"window.YTD.follower.part0 = [\n"
            + b",\n".join(
                b'{"follower": {"accountId": "%d", "userLink": "https://twitter.com/intent/user?'
                b'user_id=%d"}}' % (account, account)
                for account in (2457317658229252367, 88)
            )
            + b"\n]"
        )
        import_file(workspace=workspace, file_name="follower.js", data=followers)
        make = person_create(workspace=workspace, display_name="Ada Lovelace", title="Accountant")
        label = "X account 2457317658229252367"
        # Found when the list is asked for nameless accounts; otherwise left out.
        assert found(workspace, label, nameless=True) == [label]
        assert found(workspace, "24573176", nameless=True) == [label]
        assert found(workspace, "24573176") == []
        assert found(workspace, "account", nameless=True) == [make.display_name]
        words = PersonSearchWord.objects.filter(person__display_name=label)
        assert list(words.values_list("word", flat=True)) == ["2457317658229252367"]
        assert_words_current(workspace)

    def test_the_demo_network_is_findable(self, user: User) -> None:
        demo = demo_build(people=30, touches=60, owner=user, workspace_name="Demo")
        assert_words_current(demo)

    def test_a_restored_export_is_findable(self, workspace: Workspace, user: User) -> None:

        person_create(workspace=workspace, display_name="Ada Lovelace", organization="Engines")
        out = io.StringIO()
        workspace_export(workspace=workspace, out=out)
        copy = workspace_restore(data=json.loads(out.getvalue()), owner=user).workspace
        assert found(copy, "engines") == ["Ada Lovelace"]
        assert_words_current(copy)


class WritersTests:
    def test_every_module_that_derives_search_text_also_indexes_its_words(self) -> None:
        """A writer of ``search_text`` that forgets the word index leaves people unfindable."""
        derive = {"person_derive_fields", "person_derived_values"}
        index = {"people_index_search", "person_index_search"}
        forgetful = []
        for path in [*(ROOT / "eyecontact").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            called = {
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Call)
            }
            if called & derive and not called & index:
                forgetful.append(str(path.relative_to(ROOT)))
        assert forgetful == []
