"""The WebDAV requests a phone makes, one by one: PROPFIND, the REPORTs, GET, PUT and DELETE."""

from __future__ import annotations

import base64
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create, workspace_create
from eyecontact.contacts.models import ContactDetails
from eyecontact.people.models import Person
from eyecontact.people.services import person_create, person_delete, person_update

D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:carddav}"
BOOK = "/dav/addressbooks/{slug}/"

LIST = b"""<?xml version="1.0"?><propfind xmlns="DAV:"><prop>
<resourcetype/><getetag/><getcontenttype/><sync-token/></prop></propfind>"""


def multiget(*hrefs: str) -> bytes:
    refs = "".join(f"<d:href>{href}</d:href>" for href in hrefs)
    return (
        '<?xml version="1.0"?><c:addressbook-multiget xmlns:d="DAV:" '
        'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/>'
        f"</d:prop>{refs}</c:addressbook-multiget>"
    ).encode()


def sync_collection(token: str) -> bytes:
    return (
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" '
        'xmlns:c="urn:ietf:params:xml:ns:carddav">'
        f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/><c:address-data/></d:prop></d:sync-collection>"
    ).encode()


@pytest.fixture
def phone(user: User) -> Client:
    _, key = token_create(user=user, name="Phone")
    credentials = base64.b64encode(f"{user.email}:{key}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {credentials}")


@pytest.fixture
def lena(workspace: Workspace) -> Person:
    return person_create(
        workspace=workspace,
        display_name="Lena Hartmann",
        organization="Flora Analytics",
        identities=[("email", "lena@flora-analytics.example")],
    )


def dav(client: Client, method: str, path: str, body: bytes = b"", **headers: Any) -> Element:
    response = client.generic(method, path, body, content_type="application/xml", **headers)
    assert response.status_code == 207, response.content
    root: Element = fromstring(response.content)
    return root


def members(root: Element) -> dict[str, Element]:
    return {r.findtext(f"{D}href") or "": r for r in root.iter(f"{D}response")}


def etag_of(response: Element) -> str:
    return response.findtext(f"{D}propstat/{D}prop/{D}getetag") or ""


class DiscoveryTests:
    def test_well_known_leads_to_the_principal_and_its_address_book_home(
        self, phone: Client, user: User, workspace: Workspace
    ) -> None:
        assert phone.generic("PROPFIND", "/.well-known/carddav").headers["Location"] == "/dav/"
        root = dav(phone, "PROPFIND", "/dav/", HTTP_DEPTH="0")
        principal = root.findtext(f".//{D}current-user-principal/{D}href")
        assert principal == f"/dav/principals/{user.pk}/"
        home = dav(phone, "PROPFIND", principal, HTTP_DEPTH="0")
        assert home.findtext(f".//{C}addressbook-home-set/{D}href") == "/dav/addressbooks/"

    def test_the_home_lists_an_address_book_per_workspace_of_the_user_only(
        self, phone: Client, user: User, workspace: Workspace, other_user: User
    ) -> None:
        workspace_create(name="Not mine", owner=other_user)
        root = dav(phone, "PROPFIND", "/dav/addressbooks/", LIST, HTTP_DEPTH="1")
        books = [
            href
            for href, response in members(root).items()
            if response.find(f".//{D}resourcetype/{C}addressbook") is not None
        ]
        assert books == [BOOK.format(slug=workspace.slug)]

    def test_a_wrong_app_password_is_refused_and_another_workspace_is_not_found(
        self, phone: Client, user: User, workspace: Workspace, other_user: User
    ) -> None:
        wrong = base64.b64encode(f"{user.email}:ec_not-a-token".encode()).decode()
        response = Client().generic(
            "PROPFIND", "/dav/", HTTP_AUTHORIZATION=f"Basic {wrong}", HTTP_DEPTH="0"
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        theirs = workspace_create(name="Not mine", owner=other_user)
        response = phone.generic("PROPFIND", BOOK.format(slug=theirs.slug), LIST)
        assert response.status_code == 404

    def test_nothing_of_another_workspace_or_user_is_reached(
        self, phone: Client, workspace: Workspace, other_user: User
    ) -> None:
        theirs = workspace_create(name="Not mine", owner=other_user)
        secret = person_create(workspace=theirs, display_name="Zebediah Quarrington")
        book = BOOK.format(slug=theirs.slug)
        card = f"{book}eyecontact-person-{secret.pk}.vcf"
        mine = f"{BOOK.format(slug=workspace.slug)}eyecontact-person-{secret.pk}.vcf"
        for method, path in [
            ("GET", book),
            ("GET", card),
            ("GET", mine),
            ("DELETE", card),
            ("DELETE", mine),
            ("PROPFIND", card),
            ("PROPFIND", f"/dav/principals/{other_user.pk}/"),
            ("REPORT", book),
        ]:
            response = phone.generic(method, path, sync_collection(""))
            assert response.status_code == 404, (method, path)
            assert b"Zebediah" not in response.content
        text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Intruder\r\nEND:VCARD\r\n"
        assert phone.put(card, text, content_type="text/vcard").status_code == 404
        assert phone.put(mine, text, content_type="text/vcard").status_code == 404
        secret.refresh_from_db()
        assert secret.display_name == "Zebediah Quarrington"
        assert not ContactDetails.objects.filter(person=secret).exists()


class ListingTests:
    def test_propfind_depth_1_lists_each_card_with_its_etag(
        self, phone: Client, workspace: Workspace, lena: Person
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        found = members(dav(phone, "PROPFIND", book, LIST, HTTP_DEPTH="1"))
        card = f"{book}eyecontact-person-{lena.pk}.vcf"
        assert set(found) == {book, card}
        assert etag_of(found[card]).startswith('"')
        assert found[book].findtext(f".//{D}sync-token", "").startswith("urn:eyecontact:sync:")

    def test_multiget_returns_the_cards_asked_for_and_404_for_others(
        self, phone: Client, workspace: Workspace, lena: Person
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        card = f"{book}eyecontact-person-{lena.pk}.vcf"
        found = members(dav(phone, "REPORT", book, multiget(card, f"{book}nobody.vcf")))
        text = found[card].findtext(f".//{C}address-data") or ""
        assert "FN:Lena Hartmann" in text
        assert "EMAIL;TYPE=INTERNET:lena@flora-analytics.example" in text
        assert found[f"{book}nobody.vcf"].findtext(f"{D}status") == "HTTP/1.1 404 Not Found"

    def test_the_list_costs_the_same_queries_for_one_or_many_people(
        self,
        phone: Client,
        workspace: Workspace,
        lena: Person,
        django_assert_max_num_queries: object,
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        dav(phone, "PROPFIND", book, LIST, HTTP_DEPTH="1")
        for number in range(30):
            person_create(workspace=workspace, display_name=f"Person {number}")
        with django_assert_max_num_queries(16):  # type: ignore[operator]
            found = members(dav(phone, "PROPFIND", book, LIST, HTTP_DEPTH="1"))
        assert len(found) == 32


class SyncCollectionTests:
    def test_a_sync_token_gives_only_what_changed_and_what_left(
        self, phone: Client, workspace: Workspace, lena: Person
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        kwame = person_create(workspace=workspace, display_name="Kwame Mensah")
        first = dav(phone, "REPORT", book, sync_collection(""))
        assert len(members(first)) == 2
        token = first.findtext(f"{D}sync-token") or ""

        unchanged = dav(phone, "REPORT", book, sync_collection(token))
        assert members(unchanged) == {}
        assert unchanged.findtext(f"{D}sync-token") == token

        lena_card = f"{book}eyecontact-person-{lena.pk}.vcf"
        kwame_card = f"{book}eyecontact-person-{kwame.pk}.vcf"
        person_update(person=lena, title="Head of Growth")
        person_delete(person=kwame)
        changed = members(dav(phone, "REPORT", book, sync_collection(token)))
        assert set(changed) == {lena_card, kwame_card}
        assert "TITLE:Head of Growth" in (changed[lena_card].findtext(f".//{C}address-data") or "")
        assert changed[kwame_card].findtext(f"{D}status") == "HTTP/1.1 404 Not Found"

    def test_a_token_the_book_never_gave_is_refused(
        self, phone: Client, workspace: Workspace
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        for token in ("urn:eyecontact:sync:999", "http://elsewhere/1", "urn:eyecontact:sync:x"):
            response = phone.generic("REPORT", book, sync_collection(token))
            assert response.status_code == 403
            assert b"valid-sync-token" in response.content


class WritingTests:
    def test_put_with_a_stale_if_match_is_refused_and_a_current_one_applies(
        self, phone: Client, workspace: Workspace, lena: Person
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        card = f"{book}eyecontact-person-{lena.pk}.vcf"
        got = phone.get(card)
        assert got.status_code == 200
        etag = got.headers["ETag"]
        edited = got.content.decode().replace("FN:Lena Hartmann", "FN:Lena Hartmann-Berg")
        edited = edited.replace("N:Hartmann;Lena", "N:Hartmann-Berg;Lena")
        stale = phone.put(card, edited, content_type="text/vcard", HTTP_IF_MATCH='"0000"')
        assert stale.status_code == 412
        lena.refresh_from_db()
        assert lena.display_name == "Lena Hartmann"
        applied = phone.put(card, edited, content_type="text/vcard", HTTP_IF_MATCH=etag)
        assert applied.status_code == 204
        lena.refresh_from_db()
        assert (lena.display_name, lena.family_name) == ("Lena Hartmann-Berg", "Hartmann-Berg")
        assert phone.get(card).headers["ETag"] != etag

    def test_a_new_card_becomes_a_person_once(self, phone: Client, workspace: Workspace) -> None:
        book = BOOK.format(slug=workspace.slug)
        text = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-1\r\nFN:Ida Lund\r\nN:Lund;Ida;;;\r\n"
        text += "END:VCARD\r\n"
        created = phone.put(
            f"{book}abc-1.vcf", text, content_type="text/vcard", HTTP_IF_NONE_MATCH="*"
        )
        assert created.status_code == 201
        again = phone.put(
            f"{book}abc-1.vcf", text, content_type="text/vcard", HTTP_IF_NONE_MATCH="*"
        )
        assert again.status_code == 412
        assert Person.objects.filter(workspace=workspace, display_name="Ida Lund").count() == 1
        assert "UID:abc-1" in phone.get(f"{book}abc-1.vcf").content.decode()

    def test_a_card_that_is_not_a_vcard_is_refused_with_the_reason(
        self, phone: Client, workspace: Workspace
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        response = phone.put(f"{book}x.vcf", "hello", content_type="text/vcard")
        assert response.status_code == 400
        assert b"valid-address-data" in response.content
        nameless = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nEND:VCARD\r\n"
        response = phone.put(f"{book}x.vcf", nameless, content_type="text/vcard")
        assert response.status_code == 400
        assert b"no name" in response.content
        assert not Person.objects.filter(workspace=workspace).exists()

    def test_delete_archives_the_person_and_the_card_leaves_the_book(
        self, phone: Client, workspace: Workspace, lena: Person
    ) -> None:
        book = BOOK.format(slug=workspace.slug)
        card = f"{book}eyecontact-person-{lena.pk}.vcf"
        assert phone.delete(card, HTTP_IF_MATCH='"stale"').status_code == 412
        assert phone.delete(card).status_code == 204
        assert Person.objects.filter(pk=lena.pk).exists()
        assert phone.get(card).status_code == 404
        assert phone.delete(card).status_code == 404
        listed = members(dav(phone, "PROPFIND", book, LIST, HTTP_DEPTH="1"))
        assert card not in listed

    def test_bad_xml_is_a_400_naming_it(self, phone: Client, workspace: Workspace) -> None:
        response = phone.generic("PROPFIND", BOOK.format(slug=workspace.slug), b"<propfind")
        assert response.status_code == 400
        assert response.content == b"The request body is not well-formed XML."
