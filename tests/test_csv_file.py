"""CSVs saved in a Windows code page: the page guessed, names kept, amounts right.

Each file is written here in the code page older Excel uses on a computer
of that language; every name must come back letter for letter, and the
warning must name the code page it was read in.
"""

from __future__ import annotations

import pytest

from cpsu.ingest import csv_file, read_upload
from cpsu.ingest.csv_file import DETECTION_BYTES, decode_text, guess_code_page
from tests.ingest_fixtures import COST_HEADER, cost_row, csv_bytes, errors_of


def _line(item: str, owner: str, amount: str) -> list[object]:
    return cost_row(
        item, "Support tools", "Fixed", amount=amount, period="Month", notes=owner
    )


def _read(data: bytes) -> tuple[list[tuple[str, str, float]], list[str]]:
    upload = read_upload(data, "costs.csv")
    assert errors_of(upload) == [], [str(issue) for issue in upload.issues]
    lines = [(line.item, line.notes, line.amount) for line in upload.cost_base.lines]
    return lines, [issue.message for issue in upload.issues]


CODE_PAGE_LINES = {
    "cp1251": [
        ("Лицензии Microsoft", "Иванов Пётр", "1 200,50"),
        ("Поддержка серверов", "Смирнова Ольга", "300"),
        ("Обучение персонала", "Кузнецов Дмитрий", "45,25"),
    ],
    "cp1250": [
        ("Licencje Microsoft", "Łukasz Żółkiewski", "1 200,50"),
        ("Podpora serverů", "Jiří Šťastný", "300"),
        ("Szkolenia", "Małgorzata Wąs-Dvořáková", "45,25"),
    ],
    "cp1252": [
        ("Licences Microsoft", "José Müller", "€1 200,50"),
        ("Support Royaume-Uni (contrat en £)", "Zoë Brontë, Renée Peña", "€300"),
        ("Crème de la crème", "François Øster", "45,25"),
    ],
    "latin-1": [
        ("Licences Microsoft", "José Müller", "1 200,50"),
        ("Soporte técnico", "Ñuñez Peña, Søren Ærø", "300"),
        ("Año fiscal", "Renée Château", "45,25"),
    ],
    "cp932": [
        ("マイクロソフト ライセンス", "山田 太郎", "1 200,50"),
        ("サーバー保守費用", "佐藤 花子", "300"),
        ("東京オフィス研修", "鈴木 一郎", "45,25"),
    ],
    "cp1253": [
        ("Άδειες λογισμικού", "Παπαδόπουλος Γιώργος", "1 200,50"),
        ("Υποστήριξη", "Νικολάου Ελένη", "300"),
        ("Εκπαίδευση", "Οικονόμου Κώστας", "45,25"),
    ],
}
# The code page each is read in, as the warning names it: a Latin-1 file
# reads the same in Windows-1252, which holds every letter it does.
READ_AS = {
    "cp1251": "Windows-1251 (cp1251, Cyrillic)",
    "cp1250": "Windows-1250 (cp1250, Central European)",
    "cp1252": "Windows-1252 (cp1252, Western European)",
    "latin-1": "Windows-1252 (cp1252, Western European)",
    "cp932": "Shift-JIS (cp932, Japanese)",
    "cp1253": "Windows-1253 (cp1253, Greek)",
}


@pytest.mark.parametrize("code_page", list(CODE_PAGE_LINES))
def test_a_csv_in_a_code_page_keeps_its_names_and_amounts(code_page):
    lines = CODE_PAGE_LINES[code_page]
    rows = [COST_HEADER, *(_line(*line) for line in lines)]
    data = csv_bytes(rows, delimiter=";", encoding=code_page)

    read, messages = _read(data)

    # 1 200,50, 300 and 45,25 a month, decimal commas as the semicolons say.
    assert read == [
        (item, owner, amount)
        for (item, owner, _), amount in zip(lines, [1200.5, 300.0, 45.25], strict=True)
    ]
    (said,) = [message for message in messages if "not UTF-8" in message]
    assert f"read as {READ_AS[code_page]}" in said


def test_a_cyrillic_list_of_one_name_is_not_read_as_western_letters():
    # The list a user saved from Russian Excel: one item, merged over two
    # amounts, written out on both rows. Read as Windows-1252 it would be
    # "Ëèöåíçèè Microsoft".
    data = "Item,Monthly cost\nЛицензии Microsoft,1000\nЛицензии Microsoft,2000\n"

    upload = read_upload(data.encode("cp1251"), "costs.csv")

    assert errors_of(upload) == []
    assert [(line.item, line.amount) for line in upload.cost_base.lines] == [
        ("Лицензии Microsoft", 1000.0),
        ("Лицензии Microsoft", 2000.0),
    ]
    assert any("Windows-1251" in issue.message for issue in upload.issues)


@pytest.mark.parametrize(
    "text",
    [
        "Item,Amount\nBackup,€1200\nTape,£300\n",
        "Item,Amount\nBackup – offsite,£1200\nTape “LTO”,¥300\n",
        "Item,Amount\nPounds only,£300\n",
    ],
)
def test_ascii_with_currency_signs_is_windows_1252(text, monkeypatch):
    # £ is Ł in Windows-1250 and Ј in Windows-1251: only letters could tell,
    # and there are none, so the detector is not asked.
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the detector was asked")

    monkeypatch.setattr(csv_file, "from_bytes", refuse)
    decoded, (issue,) = decode_text(text.encode("cp1252"))
    assert decoded == text
    assert "Windows-1252 (cp1252" in issue.message


@pytest.mark.parametrize(
    "text",
    [
        "Item,Owner\nSociété Générale,Björk Guðmundsdóttir\nCafé,Renée Peña\n",
        "Item,Owner\nCrème brûlée,Ase Ødegård\nFête,Señor Núñez\n",
        "Item,Owner\nGebühren Büro,Jürgen Größe\n",
    ],
)
def test_western_names_stay_windows_1252(text):
    assert guess_code_page(text.encode("cp1252")) == "cp1252"


def test_utf8_is_read_without_guessing(monkeypatch):
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the detector was asked")

    monkeypatch.setattr(csv_file, "from_bytes", refuse)
    text = "Item,Amount\nЛицензии Microsoft,1000\n"
    assert decode_text(text.encode("utf-8")) == (text, [])


def test_only_the_start_of_a_long_file_is_looked_at(monkeypatch):
    row = "Лицензии Microsoft;Иванов Пётр;1200\r\n"
    data = ("Item;Owner;Amount\r\n" + row * 5000).encode("cp1251")
    assert len(data) > 2 * DETECTION_BYTES
    seen: list[bytes] = []
    detect = csv_file.from_bytes

    def spy(sample: bytes, **options: object):
        seen.append(sample)
        return detect(sample, **options)

    monkeypatch.setattr(csv_file, "from_bytes", spy)
    text, (issue,) = decode_text(data)

    assert text == data.decode("cp1251")
    assert "Windows-1251" in issue.message
    # The sample ends at the last line break of the first 64 KB, so that no
    # character of a multi-byte code page is cut in two.
    (sample,) = seen
    assert len(sample) <= DETECTION_BYTES
    assert data.startswith(sample) and data[len(sample) : len(sample) + 1] == b"\n"
