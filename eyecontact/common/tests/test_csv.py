import csv
import datetime as dt
import io

import pytest

from eyecontact.common.csv import csv_lines, csv_text, formula_safe


class FormulaSafeTests:
    @pytest.mark.parametrize(
        "text",
        ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tindented", "\r=1", '=HYPERLINK("x")'],
    )
    def test_text_that_a_spreadsheet_would_run_is_quoted(self, text: str) -> None:
        assert formula_safe(text) == "'" + text

    @pytest.mark.parametrize(
        "text", ["Anna Schmidt", "", "+49 151 2345678", "-12.5", "a=b", "O'Brien"]
    )
    def test_names_and_plain_numbers_are_kept_as_they_are(self, text: str) -> None:
        assert formula_safe(text) == text


class CsvLinesTests:
    def test_each_row_is_one_line_with_every_text_cell_safe(self) -> None:
        lines = list(
            csv_lines(
                [
                    ["name", "touches", "day"],
                    ["=cmd|' /C calc'!A0", 3, dt.date(2025, 3, 12)],
                    ['Zoë, "Dupont"', None, -1],
                ]
            )
        )
        assert len(lines) == 3
        rows = list(csv.reader(io.StringIO("".join(lines))))
        assert rows == [
            ["name", "touches", "day"],
            ["'=cmd|' /C calc'!A0", "3", "2025-03-12"],
            ['Zoë, "Dupont"', "", "-1"],
        ]

    def test_a_whole_file_is_the_lines_joined(self) -> None:
        assert csv_text([["a"], ["@b"]]) == "a\r\n'@b\r\n"
