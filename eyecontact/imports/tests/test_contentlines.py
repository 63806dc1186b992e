"""The content-line reader vCard and iCalendar share: unfolding, parameters, line numbers."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.imports.sources import contentlines
from eyecontact.imports.sources.contentlines import (
    ContentLine,
    UnreadableLine,
    content_lines,
    fold,
    physical_lines,
    unescape,
)


def read(data: bytes) -> list[ContentLine | UnreadableLine]:
    return list(content_lines(data))


class ContentLineTests:
    def test_a_folded_line_is_one_line_numbered_where_it_starts(self) -> None:
        lines = read(b"BEGIN:VCARD\r\nNOTE:first \r\n half\r\n\tand more\r\nEND:VCARD\r\n")
        note = lines[1]
        assert isinstance(note, ContentLine)
        assert (note.line, note.name, note.text()) == (2, "NOTE", "first halfand more")
        assert [line.line for line in lines] == [1, 2, 5]

    def test_a_fold_inside_a_utf8_character_is_joined_on_bytes(self) -> None:
        (line,) = read(b"SUMMARY:Caf\xc3\r\n \xa9 Kranzler\r\n")
        assert isinstance(line, ContentLine)
        assert line.text() == "Café Kranzler"

    def test_quoted_parameter_values_keep_their_colons_and_semicolons(self) -> None:
        (line,) = read(
            b'ATTENDEE;CN="Mensah; Ama";DELEGATED-FROM="mailto:a@example.net":mailto:b@ex.org\n'
        )
        assert isinstance(line, ContentLine)
        assert line.param("CN") == "Mensah; Ama"
        assert line.param("DELEGATED-FROM") == "mailto:a@example.net"
        assert line.text() == "mailto:b@ex.org"

    def test_parameters_are_upper_case_with_every_value_kept(self) -> None:
        (line,) = read(b"item1.EMAIL;type=INTERNET;type=pref:ada@example.net\n")
        assert isinstance(line, ContentLine)
        assert (line.group, line.name) == ("item1", "EMAIL")
        assert line.params["TYPE"] == ["INTERNET", "pref"]
        assert line.types == {"internet", "pref"}

    def test_a_bare_vcard_21_parameter_is_a_type(self) -> None:
        (line,) = read(b"TEL;CELL;VOICE:+49 170 1234567\n")
        assert isinstance(line, ContentLine)
        assert line.types == {"cell", "voice"}

    def test_rfc_6868_carets_in_parameter_values_are_decoded(self) -> None:
        (line,) = read(b"ATTENDEE;CN=Ada ^'the^' Byrne^nMunich:mailto:ada@example.net\n")
        assert isinstance(line, ContentLine)
        assert line.param("CN") == 'Ada "the" Byrne\nMunich'

    def test_quoted_printable_soft_breaks_continue_the_value(self) -> None:
        note, name = read(
            b"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 =\r\nam Ring\r\nFN:Ada\r\n"
        )
        assert isinstance(note, ContentLine)
        assert (note.line, note.text(), name.line) == (1, "Café am Ring", 3)

    def test_a_value_in_another_charset_is_decoded_with_it(self) -> None:
        (line,) = read(b"FN;CHARSET=ISO-8859-1:Ren\xe9\n")
        assert isinstance(line, ContentLine)
        assert line.text() == "René"

    def test_a_charset_that_names_no_codec_is_ignored(self) -> None:
        # A damaged export: the charset is unknown, or not even a name (a NUL inside).
        for charset in (b"KLINGON-8", b"UTF\x00-8"):
            (line,) = read(b"NOTE;CHARSET=" + charset + b":Caf\xc3\xa9\n")
            assert isinstance(line, ContentLine)
            assert line.text() == "Café"

    def test_bytes_that_are_not_utf8_are_read_as_windows_1252(self) -> None:
        (line,) = read(b"SUMMARY:Caf\xe9 \x80 5\n")
        assert isinstance(line, ContentLine)
        assert line.text() == "Café € 5"

    @pytest.mark.parametrize(
        "text", [b"no colon here", b":no name", b"BAD NAME:value", b"NAME;A=1 value"]
    )
    def test_a_line_that_is_not_a_content_line_is_reported_with_its_number(
        self, text: bytes
    ) -> None:
        assert read(b"BEGIN:VCALENDAR\n" + text + b"\n") == [
            ContentLine(1, "", "BEGIN", {}, b"VCALENDAR"),
            UnreadableLine(2),
        ]

    def test_empty_lines_are_passed_over(self) -> None:
        assert [line.line for line in read(b"A:1\n\n\r\nB:2\n")] == [1, 4]

    def test_unescape_reads_text_escapes_and_leaves_other_backslashes(self) -> None:
        assert unescape(r"a\, b\; c\\d\ne\Nf\:g\x") == "a, b; c\\d\ne\nf:g\\x"


class PhysicalLineTests:
    @pytest.mark.parametrize("end", [b"\r\n", b"\n", b"\r"])
    def test_every_kind_of_line_end_ends_a_line(self, end: bytes) -> None:
        assert list(physical_lines(end.join([b"A:1", b"B:2", b"C:3"]))) == [
            b"A:1",
            b"B:2",
            b"C:3",
        ]

    def test_a_crlf_split_between_two_chunks_is_one_line_end(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(contentlines, "CHUNK_BYTES", 4)
        data = b"AB:\r\nCDE:1\r\n\r\nF:2"
        assert list(physical_lines(io.BytesIO(data))) == [b"AB:", b"CDE:1", b"", b"F:2"]

    @settings(max_examples=200, deadline=None)
    @given(
        lines=st.lists(st.binary(max_size=30).filter(lambda b: b"\r" not in b and b"\n" not in b)),
        end=st.sampled_from([b"\r\n", b"\n", b"\r"]),
        chunk=st.integers(min_value=1, max_value=9),
    )
    def test_any_chunk_size_gives_the_same_lines(
        self, lines: list[bytes], end: bytes, chunk: int
    ) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(contentlines, "CHUNK_BYTES", chunk)
            data = b"".join(line + end for line in lines)
            assert list(physical_lines(io.BytesIO(data))) == lines


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n"),
    max_size=300,
)


class FoldingTests:
    @settings(max_examples=300, deadline=None)
    @given(value=_TEXT, name=st.from_regex(r"[A-Z][A-Z0-9-]{0,12}", fullmatch=True))
    def test_folding_and_unfolding_give_back_the_line(self, value: str, name: str) -> None:
        """Folded every 75 octets, inside characters too, any value reads back as written."""
        folded = fold(f"{name}:{value}")
        assert all(len(line) <= 75 for line in folded.split(b"\r\n"))
        (line,) = read(folded)
        assert isinstance(line, ContentLine)
        assert (line.name, line.text()) == (name, value)

    @settings(max_examples=100, deadline=None)
    @given(values=st.lists(_TEXT, min_size=1, max_size=8))
    def test_each_folded_line_is_numbered_where_it_starts(self, values: list[str]) -> None:
        data = b"".join(fold(f"X-N{n}:{value}") for n, value in enumerate(values))
        expected, at = [], 1
        for n, value in enumerate(values):
            expected.append(at)
            at += fold(f"X-N{n}:{value}").count(b"\r\n")
        assert [line.line for line in read(data)] == expected
