"""Booth captures are answered at once and matched to people just after."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import (
    capture_resolve,
    capture_store,
    captures_resolve_waiting,
    exhibit_create,
)
from eyecontact.events.models import Attendee, Capture, Exhibit
from eyecontact.events.resolver import CaptureResolver, captures_resume, captures_task
from eyecontact.events.services import event_create
from eyecontact.people.models import Identity, Person, Touch
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]
GIVEN = (  # noqa: SIM905  # a word list reads better as text
    "Ada Ben Cleo Dara Emil Fenna Gus Hedda Ines Jory Kaia Lior Mads Nell Otto Pia Quinn Rune "
    "Sela Tove"
).split()
FAMILY = (  # noqa: SIM905  # a word list reads better as text
    "Aalto Brandt Castell Dahl Eklund Falk Grieg Holm Isaksen Juhl Krogh Lind Moe Nyberg Ohlsson "
    "Prytz Quist Rask Strand Thorsen"
).split()
MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    # On today: captures are taken now.
    event = event_create(workspace=workspace, name="Summit", starts_on=timezone.localdate())
    return exhibit_create(event=event, name="Booth B12", staff=[user])


def store(booth: Exhibit, user: User, **fields: Any) -> Capture:
    body: dict[str, Any] = {"kind": "conversation", "payload": MECARD, **fields}
    capture, created = capture_store(exhibit=booth, actor=user, client_id=uuid.uuid4(), **body)
    assert created
    return capture


@pytest.mark.django_db
class CaptureResolveTests:
    def test_a_stored_capture_waits_with_what_was_typed(self, booth: Exhibit, user: User) -> None:
        capture = store(booth, user, payload="", name="  Kai   Berg ", organization="Nordlys")
        capture.refresh_from_db()
        assert (capture.name, capture.organization) == ("Kai Berg", "Nordlys")
        assert capture.resolved_at is None
        assert capture.person is None
        assert not Person.objects.exists()

    def test_a_resend_before_matching_is_answered_with_the_waiting_capture(
        self, booth: Exhibit, user: User
    ) -> None:
        first = store(booth, user, payload="", name="Kai Berg")
        again, created = capture_store(
            exhibit=booth, actor=user, client_id=first.client_id, kind="conversation", name="Kai"
        )
        assert not created
        assert (again.pk, again.name, again.person, again.resolved_at) == (
            first.pk,
            "Kai Berg",
            None,
            None,
        )

    def test_resolving_finds_the_person_and_logs_the_conversation_once(
        self, booth: Exhibit, user: User
    ) -> None:
        capture = store(booth, user)
        resolved = capture_resolve(capture)
        again = capture_resolve(capture)
        assert resolved.person is not None
        assert resolved.person.display_name == "Lena Hartmann"
        assert again.touch_id == resolved.touch_id
        assert Touch.objects.count() == 1
        assert Person.objects.count() == 1

    def test_waiting_captures_of_one_person_become_one_person(
        self, booth: Exhibit, user: User
    ) -> None:
        store(booth, user)
        store(booth, user, kind="visit")
        store(booth, user, payload="", name="Kai Berg")
        assert captures_resolve_waiting() == 3
        assert captures_resolve_waiting() == 0
        assert sorted(Person.objects.values_list("display_name", flat=True)) == [
            "Kai Berg",
            "Lena Hartmann",
        ]
        assert not Capture.objects.filter(resolved_at__isnull=True).exists()

    def test_the_report_counts_captures_still_waiting(self, booth: Exhibit, user: User) -> None:
        from eyecontact.events.exhibits import exhibit_report

        store(booth, user)
        assert exhibit_report(exhibit=booth).waiting == 1
        captures_resolve_waiting()
        report = exhibit_report(exhibit=booth)
        assert (report.waiting, report.conversations) == (0, 1)


def still_waiting() -> bool:
    try:
        return Capture.objects.filter(resolved_at__isnull=True).exists()
    except OperationalError:
        # The in-memory test database locks a table while another connection writes it (a
        # file database in WAL mode lets readers in): the resolver is at work.
        return True


@pytest.mark.django_db
class QueuedResolverTests:
    def test_the_phone_is_answered_before_matching_and_a_worker_matches_after(
        self,
        workspace: Workspace,
        user: User,
        booth: Exhibit,
        settings: Any,
        run_queued: Callable[[], int],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        settings.EYECONTACT_CAPTURES_INLINE = False
        _, key = token_create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        url = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures"
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(3):
                body = {"client_id": str(uuid.uuid4()), "kind": "conversation", "payload": MECARD}
                answer = client.post(url, body, content_type="application/json")
                assert answer.status_code == 201
                assert answer.json()["resolved"] is False
        # One matching task waits for all three captures, not one each.
        assert DBTaskResult.objects.filter(task_path=captures_task.module_path).count() == 1
        assert run_queued() == 1
        assert not Capture.objects.filter(resolved_at__isnull=True).exists()
        assert captures_resume() is False  # nothing left waiting: nothing queued
        for stored in Capture.objects.select_related("person"):
            assert stored.person is not None
            assert stored.person.display_name == "Lena Hartmann"
            assert stored.touch_id is not None


def waiting_count() -> int:
    return Capture.objects.filter(resolved_at__isnull=True).count()


@pytest.mark.django_db
class BatchResolveTests:
    def test_two_captures_of_one_new_email_in_a_batch_become_one_person(
        self, booth: Exhibit, user: User
    ) -> None:
        first = store(booth, user)
        second = store(
            booth,
            user,
            kind="visit",
            payload="",
            name="Lena Hartmann",
            email="LENA@flora-analytics.example",
        )
        assert captures_resolve_waiting() == 2
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.person_id == second.person_id is not None
        assert Person.objects.count() == 1
        assert list(Identity.objects.values_list("kind", "value", "person_id")) == [
            ("email", "lena@flora-analytics.example", first.person_id)
        ]

    def test_two_captures_of_one_badge_in_a_batch_become_one_person(
        self, booth: Exhibit, user: User
    ) -> None:
        attendees_import(
            event=booth.event,
            file_name="attendees.csv",
            data=b"Name,Company,Badge ID\nKai Berg,Nordlys,A-1001\n",
        )
        first = store(booth, user, payload="A-1001")
        second = store(booth, user, kind="visit", payload="A-1001")
        assert captures_resolve_waiting() == 2
        first.refresh_from_db()
        second.refresh_from_db()
        kai = Person.objects.get()
        assert (kai.display_name, kai.organization) == ("Kai Berg", "Nordlys")
        assert first.person == second.person == kai
        assert first.attendee_id == second.attendee_id
        assert Attendee.objects.get().person == kai

    def test_a_conversation_gives_exactly_one_in_person_touch(
        self, booth: Exhibit, user: User
    ) -> None:
        capture = store(booth, user, note="Wants a demo in March")
        assert captures_resolve_waiting() == 1
        capture_resolve(capture)
        assert captures_resolve_waiting() == 0
        touch = Touch.objects.get()
        capture.refresh_from_db()
        assert touch.source_key == f"capture:{capture.client_id}"
        assert (touch.channel, touch.event_id, touch.note) == (
            "in_person",
            booth.event_id,
            "Wants a demo in March",
        )
        assert list(touch.people.all()) == [capture.person]
        assert capture.touch == touch
        assert capture.person is not None
        assert capture.person.last_in_person_at == capture.captured_at

    def test_an_identity_held_by_someone_else_is_never_taken(
        self, booth: Exhibit, user: User, make_person: MakePerson
    ) -> None:
        anna = make_person("Anna Weber", identities=[("email", "lena@flora-analytics.example")])
        kai = make_person("Kai Berg")
        attendees_import(
            event=booth.event,
            file_name="attendees.csv",
            data=b"Name,Badge ID\nKai Berg,A-1001\n",
        )
        assert Attendee.objects.get().person is None  # a name alone is not sure enough
        Attendee.objects.update(person=kai)
        # The badge says Kai, the typed address is Anna's: the capture is Kai's, the address
        # stays Anna's.
        by_badge = store(booth, user, payload="A-1001", email="lena@flora-analytics.example")
        # A card with Anna's address and a new phone number: Anna, and the phone is not added.
        by_card = store(
            booth,
            user,
            payload="MECARD:N:Hartmann,Lena;EMAIL:lena@flora-analytics.example;TEL:+4930123456;;",
        )
        assert captures_resolve_waiting() == 2
        by_badge.refresh_from_db()
        by_card.refresh_from_db()
        assert by_badge.person == kai
        assert by_card.person == anna
        assert list(Identity.objects.values_list("value", "person_id")) == [
            ("lena@flora-analytics.example", anna.pk)
        ]
        assert Person.objects.count() == 2

    def test_a_failing_capture_stays_waiting_and_the_others_are_resolved(
        self,
        booth: Exhibit,
        user: User,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        def failing_touch_log(**fields: Any) -> Touch:
            if fields["note"] == "boom":
                raise RuntimeError("the touch could not be logged")
            return touch_log(**fields)

        monkeypatch.setattr("eyecontact.events.exhibits.resolving.touch_log", failing_touch_log)
        before = store(booth, user, payload="", name="Kai Berg")
        failing = store(booth, user, payload="", name="Ida Lang", note="boom")
        after = store(booth, user)
        assert captures_resolve_waiting() == 2
        assert "could not be matched" in caplog.text
        failing.refresh_from_db()
        # Nothing of it written: no person, no touch, still waiting.
        assert (failing.resolved_at, failing.person_id, failing.touch_id) == (None, None, None)
        assert not Person.objects.filter(display_name="Ida Lang").exists()
        for capture in (before, after):
            capture.refresh_from_db()
            assert capture.resolved_at is not None
            assert capture.touch is not None
        assert captures_resolve_waiting() == 0  # still failing: nothing more to do
        monkeypatch.setattr("eyecontact.events.exhibits.resolving.touch_log", touch_log)
        assert captures_resolve_waiting() == 1
        failing.refresh_from_db()
        assert failing.person is not None
        assert failing.person.display_name == "Ida Lang"
        assert Touch.objects.count() == 3

    def test_a_busy_booth_resolver_goes_past_a_failing_capture(
        self, booth: Exhibit, user: User, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        busy = True

        def failing_touch_log(**fields: Any) -> Touch:
            if fields["note"] == "boom":
                raise RuntimeError("the touch could not be logged")
            return touch_log(**fields)

        monkeypatch.setattr("eyecontact.events.exhibits.resolving.touch_log", failing_touch_log)
        monkeypatch.setattr("eyecontact.events.resolver.RUSH_PAUSE_S", 0.01)
        failing = store(booth, user, payload="", name="Ida Lang", note="boom")
        others = [store(booth, user), store(booth, user, payload="", name="Kai Berg")]
        resolver = CaptureResolver()
        monkeypatch.setattr(resolver, "busy", lambda: busy)  # captures keep arriving all along
        assert resolver.drain() == 2
        for capture in others:
            capture.refresh_from_db()
            assert capture.resolved_at is not None
        failing.refresh_from_db()
        assert failing.resolved_at is None
        # Once the floor is quiet it is tried again, and matched once it can be.
        monkeypatch.setattr("eyecontact.events.exhibits.resolving.touch_log", touch_log)
        busy = False
        assert resolver.drain() == 1
        failing.refresh_from_db()
        assert failing.resolved_at is not None

    def test_a_capture_another_worker_claimed_is_left_to_it(
        self, booth: Exhibit, user: User
    ) -> None:
        capture = store(booth, user)
        Capture.objects.filter(pk=capture.pk).update(resolved_at=timezone.now())
        assert captures_resolve_waiting() == 0
        assert capture_resolve(capture).person is None
        assert not Person.objects.exists()
        assert not Touch.objects.exists()

    def test_all_waiting_captures_are_resolved_past_one_batch(
        self, booth: Exhibit, user: User, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("eyecontact.events.exhibits.resolving.BATCH", 2)
        for n in range(5):
            store(booth, user, kind="visit", payload="", name=f"Visitor {n} Kowalski")
        assert captures_resolve_waiting(limit=3) == 3
        assert waiting_count() == 2
        assert captures_resolve_waiting(limit=None) == 2
        assert waiting_count() == 0

    def test_resolving_a_batch_takes_about_ten_queries_a_capture(
        self, booth: Exhibit, user: User, django_assert_max_num_queries: Any
    ) -> None:
        """New visitors with an e-mail each, half of them conversations: the busy case."""
        for n, (given, family) in enumerate(zip(GIVEN, reversed(FAMILY), strict=True)):
            store(
                booth,
                user,
                kind="conversation" if n % 2 else "visit",
                payload=f"MECARD:N:{family},{given};ORG:Nordlys;EMAIL:{given}.{n}@nordlys.example;;",
            )
        with django_assert_max_num_queries(20 * 10 + 10):
            assert captures_resolve_waiting() == 20
        assert Person.objects.count() == Identity.objects.count() == 20
        assert Touch.objects.count() == 10


@pytest.mark.django_db(transaction=True)
class ConcurrentResolveTests:
    def test_two_workers_at_once_resolve_each_capture_once(
        self, booth: Exhibit, user: User
    ) -> None:
        captures = [
            store(
                booth,
                user,
                payload=f"MECARD:N:{family},{given};EMAIL:{given}.{family}@nordlys.example;;",
            )
            for given in GIVEN[:8]
            for family in FAMILY[:5]
        ]
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                quiet = 0
                while quiet < 3:
                    try:
                        done = captures_resolve_waiting(limit=5)
                    except OperationalError:
                        done = 0  # the other worker holds the database; as the resolver does
                    quiet = 0 if done else quiet + 1
                    time.sleep(0.001)
            except BaseException as exc:  # noqa: BLE001  # reported to the test below
                errors.append(exc)
            finally:
                connection.close()

        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(60)
        assert not errors
        assert waiting_count() == 0
        assert Person.objects.count() == 40
        for capture in captures:
            assert Touch.objects.filter(source_key=f"capture:{capture.client_id}").count() == 1
        assert Touch.objects.count() == 40
