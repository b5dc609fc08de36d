"""Short CSVs saved in a Windows code page: a few names are little evidence
of which code page, so the warning says the encoding used, that names may be
wrong, shows them as read, and says to save the file as CSV UTF-8."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.csv_file import SURE_LETTERS, decode_text
from tests.ingest_fixtures import csv_bytes, errors_of

SHORT = {
    "cp1250": ("Usługi Łódź", "Windows-1250 (cp1250, Central European)"),
    "cp1251": ("Лицензии", "Windows-1251 (cp1251, Cyrillic)"),
    "cp932": ("保守サービス", "Shift-JIS (cp932, Japanese)"),
    "latin-1": ("Café Señor", "Windows-1252 (cp1252, Western European)"),
    "cp1252": ("Straße Müller", "Windows-1252 (cp1252, Western European)"),
}


def encoding_warning(upload) -> str:
    (said,) = [issue.message for issue in upload.issues if "not UTF-8" in issue.message]
    return said


@pytest.mark.parametrize("code_page", list(SHORT))
def test_a_short_csv_says_its_encoding_may_be_wrong(code_page):
    name, read_as = SHORT[code_page]
    data = csv_bytes(
        [["Item", "Annual cost"], [name, "1200.60"], ["Backup", "600"]],
        encoding=code_page,
    )
    upload = read_upload(data, "costs.csv")
    assert errors_of(upload) == []
    assert [line.item for line in upload.cost_base.lines] == [name, "Backup"]
    # (1,200.60 + 600) / 12 = 150.05 a month
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 150.05
    said = encoding_warning(upload)
    assert said.startswith(
        "The file is not UTF-8 and holds too few letters beyond A to Z to tell its "
        f"encoding for sure, so it was read as {read_as}, "
    )
    assert "Names with such letters may be wrong. They were read as '" in said
    assert said.endswith(
        "If they do not look right, save the file as CSV UTF-8 (in Excel: File > "
        "Save As > CSV UTF-8) and upload it again."
    )


def test_one_greek_name_guessed_as_cyrillic_is_told_with_the_names_as_read():
    # 'Άδειες λογισμικού' in Windows-1253 reads as Cyrillic in Windows-1251, and
    # on one line the detector cannot tell: before, the warning said only that
    # it was read as Windows-1251, 'the code page its letters fit best'.
    data = csv_bytes(
        [["Item", "Annual cost"], ["Άδειες λογισμικού", "2400"]], encoding="cp1253"
    )
    upload = read_upload(data, "costs.csv")
    # 2,400 / 12 = 200.00 a month, whatever the name
    assert round(upload.cost_base.lines[0].monthly_rate, 2) == 200.00
    assert encoding_warning(upload) == (
        "The file is not UTF-8 and holds too few letters beyond A to Z to tell its "
        "encoding for sure, so it was read as Windows-1251 (cp1251, Cyrillic), the "
        "code page its letters fit best. It could also be Windows-1253 (Greek). "
        "Names with such letters may be wrong. They were read as 'ўдейет', "
        "'лпгйумйкпэ'. If they do not look right, save the file as CSV UTF-8 (in "
        "Excel: File > Save As > CSV UTF-8) and upload it again."
    )


def test_a_greek_csv_of_a_few_lines_is_read_as_greek_and_still_told():
    names = ["Άδειες λογισμικού", "Υποστήριξη", "Διακομιστής"]
    data = csv_bytes(
        [["Item", "Annual cost"], *([name, "1200"] for name in names)],
        encoding="cp1253",
    )
    text, (issue,) = decode_text(data)
    assert all(name in text for name in names)
    assert "read as Windows-1253 (cp1253, Greek)" in issue.message
    assert "They were read as 'Άδειες', 'λογισμικού', 'Υποστήριξη'." in issue.message


def test_a_long_csv_in_a_code_page_keeps_the_plain_warning():
    row = "Лицензии Microsoft;Иванов Пётр;1200\r\n"
    data = ("Item;Owner;Amount\r\n" + row * 20).encode("cp1251")
    assert len(data) > SURE_LETTERS * 4
    _, (issue,) = decode_text(data)
    assert issue.message == (
        "The file is not UTF-8, so it was read as Windows-1251 (cp1251, Cyrillic), "
        "the code page its letters fit best. Check that letters and currency signs "
        "look right, or save it as CSV UTF-8."
    )


def test_ascii_with_a_pound_sign_is_not_doubted():
    _, (issue,) = decode_text("Item,Amount\nTape,£300\n".encode("cp1252"))
    assert issue.message.startswith("The file is not UTF-8, so it was read as")
