"""Reading a CSV of the Costs sheet: its encoding, its delimiter, its lines.

CSV files come from Excel in several dialects: UTF-8 with or without a
byte-order mark, UTF-16 from "Unicode text", the Windows code page of the
computer that saved it from older versions (Windows-1252 in Western Europe
and the Americas, Windows-1251 for Cyrillic, Windows-1250 for Central
Europe, Shift-JIS in Japan...), and commas, semicolons or tabs between
cells depending on the locale. UTF-8 and UTF-16 are told by their bytes; a
code page only by which one makes the letters read as words, so it is
guessed from the start of the file, Windows-1252 when in doubt, and
reported by name, since a wrong guess changes letters and currency signs.
The delimiter is the one under which a header row is found, and the
table keeps it: a semicolon breaks a tie in how the file's numbers write
decimals (see `conventions.py`), and a row with more values than the header
was split at a delimiter inside a value. Rows are numbered by the file's
lines, so a message points at the line an editor shows. A file with more
lines or cells than a worksheet is read with is refused before it is parsed,
from a count of its line breaks and delimiters, and a value longer than
Excel lets a cell be is refused when it is met.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata

from charset_normalizer import CharsetMatch, from_bytes

from cpsu.ingest.issues import Issue, warning
from cpsu.ingest.table import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARACTERS,
    MAX_SHEET_ROWS,
    Row,
    Table,
    match_row,
)
from cpsu.ingest.vocabulary import COST_HEADER_INDEX

DELIMITERS = (",", ";", "\t")

# The code pages Excel saves a CSV in, by the language of the computer that
# saved it: each one's name and alphabet. Windows-1252 is the usual one, and
# the answer when the letters fit several alike.
CODE_PAGES = {
    "cp1252": ("Windows-1252", "Western European"),
    "cp1250": ("Windows-1250", "Central European"),
    "cp1251": ("Windows-1251", "Cyrillic"),
    "cp1253": ("Windows-1253", "Greek"),
    "cp1254": ("Windows-1254", "Turkish"),
    "cp1257": ("Windows-1257", "Baltic"),
    "cp932": ("Shift-JIS", "Japanese"),
}
DETECTION_BYTES = 64 * 1024  # the start of the file, where the code page is sought
# ASCII, and the signs a Western file holds beside it that are no letters:
# the euro, cent, pound, currency and yen signs, a no-break space, section,
# degree, ellipsis, curly quotes and dashes.
_PLAIN_BYTES = bytes(range(0x80)) + (
    b"\x80\x85\x91\x92\x93\x94\x96\x97\xa0\xa2\xa3\xa4\xa5\xa7\xb0"
)
_COHERENCE_MARGIN = 0.02
# Below this many bytes of letters beyond ASCII (a dozen short words), a code
# page guessed may well be wrong, and the warning says so with the names read.
SURE_LETTERS = 48
_SHOWN_WORDS = 3
_ODD_WORDS_CHARACTERS = 16_384
_WORD = re.compile(r"[^\W\d_]{2,}")
_JAPANESE = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH"})


# The most values a CSV is read with, as for a worksheet (`xlsx.MAX_SHEET_CELLS`).
MAX_CSV_CELLS = 2_000_000


class CsvError(Exception):
    """The file cannot be read as CSV text; the message says what to do."""


class _LongValue(Exception):
    def __init__(self, line: int, characters: int | None) -> None:
        super().__init__(f"line {line}")
        self.line, self.characters = line, characters


def decode_text(data: bytes) -> tuple[str, list[Issue]]:
    """The file as text, and a warning naming the code page when it was not
    UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise CsvError(
                "The file says it is UTF-16 text but is not; save it as CSV UTF-8."
            ) from None
    else:
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    guessed, others = _guess(data[:DETECTION_BYTES])
    for code_page in dict.fromkeys((guessed, "cp1252")):
        try:
            text = data.decode(code_page)
        except UnicodeDecodeError:
            continue
        name, script = CODE_PAGES[code_page]
        reason = (
            "the encoding older Excel uses for CSV"
            if code_page == "cp1252"
            else "the code page its letters fit best"
        )
        short = 0 < _letters_beyond_ascii(data[:DETECTION_BYTES]) < SURE_LETTERS
        if others or short:
            return text, [_unsure(text, code_page, reason, others, short)]
        return text, [
            warning(
                f"The file is not UTF-8, so it was read as {name} ({code_page}, "
                f"{script}), {reason}. Check that letters and currency signs look "
                "right, or save it as CSV UTF-8."
            )
        ]
    raise CsvError(
        "The file is neither a workbook nor readable text (it is not UTF-8 or "
        "Windows-1252). Upload the workbook as .xlsx, or save the Costs sheet "
        "as CSV UTF-8."
    )


def _letters_beyond_ascii(sample: bytes) -> int:
    """How many bytes of the sample may be letters beyond ASCII: the evidence
    a code page is told by."""
    return len(sample.translate(None, _PLAIN_BYTES))


def _unsure(
    text: str, code_page: str, reason: str, others: tuple[str, ...], short: bool
) -> Issue:
    """The warning for a code page guessed on little evidence: which one was
    used, what else it could be, the names as read, and what to do."""
    name, script = CODE_PAGES[code_page]
    could = (
        " It could also be "
        + " or ".join(
            f"{CODE_PAGES[other][0]} ({CODE_PAGES[other][1]})" for other in others
        )
        + "."
        if others
        else ""
    )
    words = list(dict.fromkeys(_WORD.findall(text[:_ODD_WORDS_CHARACTERS])))
    shown = [word for word in words if not word.isascii()][:_SHOWN_WORDS]
    read = (
        f" They were read as {', '.join(repr(word) for word in shown)}."
        if shown
        else ""
    )
    why = (
        "holds too few letters beyond A to Z to tell its encoding for sure"
        if short
        else "its letters read as well in more than one encoding"
    )
    return warning(
        f"The file is not UTF-8 and {why}, so it was read as {name} ({code_page}, "
        f"{script}), "
        f"{reason}.{could} Names with such letters may be wrong.{read} If they "
        "do not look right, save the file as CSV UTF-8 (in Excel: File > Save As > "
        "CSV UTF-8) and upload it again."
    )


def guess_code_page(sample: bytes) -> str:
    """The code page of text that is not UTF-8: Windows-1252 unless its
    letters fit another of `CODE_PAGES` clearly better."""
    return _guess(sample)[0]


def _guess(sample: bytes) -> tuple[str, tuple[str, ...]]:
    """The code page of text that is not UTF-8, and the others that read its
    letters as well (as few odd words, as little mess): Windows-1252 unless its
    letters fit another of `CODE_PAGES` clearly better.

    charset-normalizer ranks the code pages by how messy each makes the text
    and how well its letters match a language; on a few short names it can
    prefer a Latin code page for Cyrillic ("Ëčöĺíçčč"), so words spelled only
    in accented Latin letters, or in two alphabets at once, count against a
    code page first.
    """
    if not sample.translate(None, _PLAIN_BYTES):
        return "cp1252", ()  # ASCII with currency signs, dashes and quotes
    if len(sample) == DETECTION_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n")]  # no character cut in two
    matches = [
        match
        for match in from_bytes(sample, cp_isolation=list(CODE_PAGES))
        if match.encoding in CODE_PAGES
    ]
    if not matches:
        return "cp1252", ()
    fits = {match.encoding: _fit(match) for match in matches}
    best = min(matches, key=lambda match: (fits[match.encoding], _preference(match)))

    def alike(chosen: str) -> tuple[str, ...]:
        return tuple(
            code
            for code in CODE_PAGES
            if code != chosen
            and code in fits
            and fits[code][:2] == fits[best.encoding][:2]
            and fits[code][2] - fits[best.encoding][2] <= _COHERENCE_MARGIN
            and code not in best.could_be_from_charset
        )[:2]

    if "cp1252" in best.could_be_from_charset:
        return "cp1252", alike("cp1252")
    western = fits.get("cp1252")
    if (
        western is not None
        and western[:2] == fits[best.encoding][:2]
        and western[2] - fits[best.encoding][2] <= _COHERENCE_MARGIN
    ):
        return "cp1252", (best.encoding,)  # as likely as the best: the usual one
    return best.encoding, alike(best.encoding)


def _fit(match: CharsetMatch) -> tuple[float, float, float]:
    """How badly a code page reads the text, the least first: its share of
    odd words, its mess, and how little its letters look like a language.
    """
    return (round(_odd_words(str(match)), 1), round(match.chaos, 2), -match.coherence)


def _preference(match: CharsetMatch) -> int:
    codes = list(CODE_PAGES)
    return min(
        codes.index(code) for code in match.could_be_from_charset if code in codes
    )


def _odd_words(text: str) -> float:
    """The share of words with letters beyond ASCII that no language spells:
    accented Latin letters only, letters of two alphabets, or a capital after
    a small letter.
    """
    words = [
        word
        for word in _WORD.findall(text[:_ODD_WORDS_CHARACTERS])
        if not word.isascii()
    ]
    if not words:
        return 0.0
    odd = 0
    for word in words:
        scripts = {_script(letter) for letter in word}
        if (
            len(scripts) > 1
            or (scripts == {"LATIN"} and not any(letter.isascii() for letter in word))
            or any(
                before.islower() and letter.isupper() and not letter.isascii()
                for before, letter in itertools.pairwise(word)
            )
        ):
            odd += 1
    return odd / len(words)


def _script(letter: str) -> str:
    """The alphabet of a letter, from its Unicode name; the Japanese ones as one."""
    script = unicodedata.name(letter, "").split(" ", 1)[0].split("-", 1)[0]
    return "CJK" if script in _JAPANESE else script


def _rows(text: str, delimiter: str, limit: int | None = None) -> list[Row]:
    """The CSV's rows, each numbered by the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            if sum(map(len, cells)) > MAX_CELL_CHARACTERS and any(
                len(cell) > MAX_CELL_CHARACTERS for cell in cells
            ):
                raise _LongValue(line, max(map(len, cells)))
            rows.append((line, tuple(cells)))
            line = reader.line_num + 1
            if limit is not None and line > limit:
                break
    except csv.Error as problem:
        # The csv module stops at a value longer than its own limit (131,072).
        if "field limit" in str(problem):
            raise _LongValue(line, None) from None
        raise
    return rows


def _header_score(text: str, delimiter: str) -> int:
    try:
        rows = _rows(text, delimiter, limit=HEADER_SEARCH_ROWS)
    except (csv.Error, _LongValue):
        return -1
    return max(
        (len(match_row(cells, COST_HEADER_INDEX)[0]) for _, cells in rows), default=0
    )


def choose_delimiter(text: str) -> str:
    """The delimiter under which the most cost headers are found in one row."""
    scores = {delimiter: _header_score(text, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: scores[delimiter])
    if scores[best] > 1:
        return best
    try:
        return (
            csv.Sniffer().sniff(text[:65536], delimiters="".join(DELIMITERS)).delimiter
        )
    except csv.Error:
        return ","


def read_csv_table(data: bytes, name: str) -> tuple[Table, list[Issue]]:
    """The CSV as a table, with its delimiter, and what was noticed.

    Raises CsvError when the bytes are not text.
    """
    text, issues = decode_text(data)
    if "\x00" in text:
        raise CsvError(
            "The file holds binary data, so it is neither an .xlsx workbook nor a "
            "CSV. Upload the workbook as .xlsx or the Costs sheet as CSV."
        )
    if text.lstrip()[:1] == "<":
        raise CsvError(
            "The file is HTML or XML, not a workbook or CSV (some systems export "
            "this and name it .xls). Open it in Excel and save it as .xlsx or CSV."
        )
    _check_size(text)
    delimiter = choose_delimiter(text)
    _check_cells(text, delimiter)
    try:
        rows = _rows(text, delimiter)
    except _LongValue as long:
        size = f"{long.characters:,}" if long.characters else "more than 131,072"
        raise CsvError(
            f"Line {long.line:,} of the CSV holds a value of {size} characters, more "
            f"than the {MAX_CELL_CHARACTERS:,} a cell of Excel can hold, so the file "
            "was not read. Shorten that value and save the CSV again."
        ) from None
    except csv.Error as problem:
        raise CsvError(
            f"The CSV could not be read ({problem}); check for a cell with an "
            "unclosed quote, or save the sheet as CSV again."
        ) from None
    return Table(name=name, rows=tuple(rows), delimiter=delimiter), issues


def _check_size(text: str) -> None:
    """Refuse a CSV with more lines than are read, counted before parsing."""
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_SHEET_ROWS:
        raise CsvError(
            f"The CSV has {lines:,} lines, and at most {MAX_SHEET_ROWS:,} rows are "
            "read (a cost list or a year's GL export needs far fewer), so it was not "
            "read. Delete the rows you do not need, or export a shorter period, and "
            "upload it again."
        )


def _check_cells(text: str, delimiter: str) -> None:
    """Refuse a CSV with more values than are read: a value per delimiter and
    one more per line, counted before parsing (a delimiter in quotes counts
    too, so the count is at most a little high)."""
    values = text.count(delimiter) + text.count("\n") + 1
    if values > MAX_CSV_CELLS:
        raise CsvError(
            f"The CSV holds about {values:,} values, and at most {MAX_CSV_CELLS:,} "
            "are read, so it was not read. Delete the columns and rows you do not "
            "need, or export a shorter period, and upload it again."
        )
