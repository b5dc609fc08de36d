"""Reading the sheets of an .xlsx workbook safely, into tables of cells.

An .xlsx file is a zip of XML parts, and a small file can be made to unpack
into gigabytes or to claim a cell a million rows down; the Excel reader
(calamine) holds each sheet as one dense block, so such a file would exhaust
memory and kill the process rather than raise an error. So before calamine
sees the file, this module checks it as a zip (size once unpacked, entries,
no DTDs, which Excel never writes and XML bombs need) and scans the XML of
each sheet it will read for the extent of its cells. The same scan finds
what calamine reports as empty but is not: formulas saved without their
results and error values such as #DIV/0!, which are put back into the table
so that a reader can name them. Merged cells that run down several rows
carry their text to each row (a pool written once for a group of lines).
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import fromstring
from python_calamine import CalamineWorkbook

from cpsu.ingest.cells import ErrorValue, FormulaWithoutValue, is_blank, show, text_key
from cpsu.ingest.issues import Issue, column_letter, error, warning
from cpsu.ingest.table import Table

logger = logging.getLogger(__name__)

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_SHEET_CELLS = 2_000_000
MAX_MERGED_RANGES = 10_000
MAX_SPECIAL_CELLS = 10_000
_CHUNK = 1024 * 1024
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
# Cell references in raw sheet XML, for the extent of a sheet too big to parse.
_RAW_COLUMN = re.compile(rb'\br="([A-Z]{1,3})[0-9]')
_RAW_ROW = re.compile(rb'\br="[A-Z]{1,3}([0-9]{1,7})"')
# Excel escapes "<" in text, so these appear in its XML only as declarations.
_DTD_MARKERS = tuple(
    marker
    for word in ("<!DOCTYPE", "<!ENTITY")
    for marker in (word.encode(), word.encode("utf-16-le"), word.encode("utf-16-be"))
)
_DTD_OVERLAP = 32
_MAX_COLUMNS = 16_384  # XFD, the last column Excel has


class WorkbookError(Exception):
    """The workbook cannot be read at all; the message says why and what to do."""


@dataclass(frozen=True)
class _SheetPart:
    name: str
    path: str | None
    hidden: bool


@dataclass
class _SheetScan:
    """What the XML of one sheet holds that calamine does not report."""

    rows: int = 0
    columns: int = 0
    specials: dict[tuple[int, int], object] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # row numbers
    hidden_columns: set[int] = field(default_factory=set)  # 0-based indexes
    column_ranges: int = 0


@dataclass(frozen=True)
class WorkbookSheets:
    """The wanted sheets found in a workbook, by key, and what was noticed."""

    tables: Mapping[str, Table]
    sheet_names: tuple[str, ...]
    issues: tuple[Issue, ...]


def read_workbook_sheets(data: bytes, wanted: Mapping[str, str]) -> WorkbookSheets:
    """The sheets named in `wanted` (sheet key -> shown name) as tables.

    A sheet is found when its name, ignoring case, spaces and punctuation,
    is the key. Raises WorkbookError when the file is not a readable
    workbook; problems with one sheet are issues, and that sheet is left out.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as problem:  # a damaged directory fails in many ways
        logger.info("not a readable zip: %r", problem)
        raise WorkbookError(
            "The file starts like an .xlsx workbook but is damaged or incomplete "
            f"({problem}). Open it in Excel and save it again as .xlsx."
        ) from None
    with archive:
        members = _check_archive(archive)
        parts = _sheet_parts(archive, members)
        issues: list[Issue] = []
        chosen = _choose_sheets(parts, wanted, issues)
        scans: dict[str, _SheetScan] = {}
        for key, part in list(chosen.items()):
            scan = _scan_part(archive, members, part, issues)
            if scan is None:
                del chosen[key]
            else:
                scans[key] = scan

    tables: dict[str, Table] = {}
    if chosen:
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as problem:
            logger.info("calamine could not open a workbook: %s", problem)
            raise WorkbookError(
                f"The workbook could not be read ({problem}). Open it in Excel and "
                "save it again as .xlsx."
            ) from None
        for key, part in chosen.items():
            table = _read_table(book, part, scans[key], issues)
            if table is not None:
                tables[key] = table
    return WorkbookSheets(
        tables=tables,
        sheet_names=tuple(part.name for part in parts),
        issues=tuple(issues),
    )


def _check_archive(archive: zipfile.ZipFile) -> dict[str, str]:
    """Check the zip is an .xlsx of sane size; the members by lower-case name."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise WorkbookError(
            f"The workbook holds {len(infos):,} parts, far more than a real "
            "workbook; it was not read. Save the sheets you need in a new workbook."
        )
    members = {info.filename.lstrip("/").lower(): info.filename for info in infos}
    if "xl/workbook.bin" in members:
        raise WorkbookError(
            "This is a binary Excel workbook (.xlsb), which cannot be read; open it "
            "in Excel and save it as .xlsx, or save the Costs sheet as CSV."
        )
    if "content.xml" in members and "mimetype" in members:
        raise WorkbookError(
            "This is an OpenDocument spreadsheet (.ods); save it as .xlsx, or save "
            "the Costs sheet as CSV."
        )
    if "xl/workbook.xml" not in members:
        kind = "a Word document" if "word/document.xml" in members else "a zip file"
        raise WorkbookError(
            f"This is {kind}, not an Excel workbook; upload the workbook as .xlsx "
            "or the Costs sheet as CSV."
        )

    unpacked = 0
    for info in infos:
        try:
            with archive.open(info) as stream:
                is_xml = bool(_XML_PART.search(info.filename))
                tail = b""
                while chunk := stream.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise WorkbookError(
                            "The workbook unpacks to more than "
                            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB, so it was "
                            "not read (it may be a zip bomb, or hold a huge amount "
                            "of formatting). Copy the sheets you need into a new "
                            "workbook."
                        )
                    if is_xml and _has_dtd(tail + chunk):
                        raise WorkbookError(
                            f"The workbook part {info.filename} declares a DTD, "
                            "which Excel never writes and which can hide an XML "
                            "bomb, so it was not read. Open the file in Excel and "
                            "save it again as .xlsx."
                        )
                    tail = chunk[-_DTD_OVERLAP:]
        except WorkbookError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,  # a member's header offset before the start of the file
        ) as problem:
            raise WorkbookError(
                f"The workbook is damaged ({info.filename}: {problem}). Open it in "
                "Excel and save it again as .xlsx."
            ) from None
        except (RuntimeError, NotImplementedError) as problem:
            raise WorkbookError(
                f"The workbook cannot be unpacked ({problem}); it may be encrypted. "
                "Remove any password, save it as .xlsx and upload it again."
            ) from None
    return members


def _has_dtd(chunk: bytes) -> bool:
    """True when XML text declares a DTD or entity (in UTF-8 or UTF-16)."""
    return any(marker in chunk for marker in _DTD_MARKERS)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_xml(archive: zipfile.ZipFile, members: Mapping[str, str], path: str):
    name = members.get(path.lower())
    if name is None:
        return None
    try:
        return fromstring(archive.read(name), forbid_dtd=True)
    except (DefusedXmlException, SyntaxError, ValueError) as problem:
        raise WorkbookError(
            f"The workbook part {path} is not valid XML ({problem}). Open the file "
            "in Excel and save it again as .xlsx."
        ) from None


def _sheet_parts(
    archive: zipfile.ZipFile, members: Mapping[str, str]
) -> list[_SheetPart]:
    """The sheets listed in the workbook, with the zip part of each."""
    workbook = _read_xml(archive, members, "xl/workbook.xml")
    if workbook is None:
        raise WorkbookError(
            "The workbook has no list of sheets; save it again as .xlsx."
        )
    rels = _read_xml(archive, members, "xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter():
            if (
                _local(rel.tag) == "Relationship"
                and rel.get("Id")
                and rel.get("Target")
            ):
                targets[rel.get("Id")] = _part_path(rel.get("Target"))

    parts = []
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        name = sheet.get("name") or ""
        rel_id = next(
            (
                value
                for key, value in sheet.attrib.items()
                if key.startswith("{") and _local(key) == "id"
            ),
            None,
        )
        path = targets.get(rel_id) if rel_id else None
        hidden = (sheet.get("state") or "visible") != "visible"
        parts.append(_SheetPart(name, path, hidden))
    return parts


def _part_path(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _choose_sheets(
    parts: list[_SheetPart], wanted: Mapping[str, str], issues: list[Issue]
) -> dict[str, _SheetPart]:
    chosen: dict[str, _SheetPart] = {}
    for key, shown in wanted.items():
        matches = [part for part in parts if text_key(part.name) == key]
        if not matches:
            continue
        matches.sort(key=lambda part: part.hidden)
        part = matches[0]
        chosen[key] = part
        if len(matches) > 1:
            others = ", ".join(f"'{other.name}'" for other in matches[1:])
            issues.append(
                warning(
                    f"Several sheets are named like {shown}; '{part.name}' was read "
                    f"and {others} ignored. Rename or delete the extra sheets.",
                    sheet=part.name,
                )
            )
        if part.hidden:
            issues.append(
                warning(
                    f"The {shown} sheet is hidden in Excel; it was read anyway. "
                    "Unhide it to check what it holds.",
                    sheet=part.name,
                )
            )
    return chosen


def _scan_part(
    archive: zipfile.ZipFile,
    members: Mapping[str, str],
    part: _SheetPart,
    issues: list[Issue],
) -> _SheetScan | None:
    name = members.get((part.path or "").lower())
    if name is None:
        issues.append(
            error(
                f"The {part.name} sheet's data could not be found in the file; open "
                "the workbook in Excel and save it again as .xlsx.",
                sheet=part.name,
            )
        )
        return None
    try:
        with archive.open(name) as stream:
            return _scan_sheet(stream)
    except _TooBig as big:
        extent = f"row {big.rows:,}, column {column_letter(big.columns - 1)}"
        if not big.exact:
            extent = "at least " + extent
        issues.append(
            error(
                f"The {part.name} sheet has cells as far as {extent}: more than "
                f"{MAX_SHEET_CELLS:,} cells to read. Delete the stray cells far from "
                "the table (Ctrl+End shows the last one) and save again.",
                sheet=part.name,
            )
        )
    except (expat.ExpatError, ValueError) as problem:
        issues.append(
            error(
                f"The {part.name} sheet is not valid XML ({problem}); open the "
                "workbook in Excel and save it again as .xlsx.",
                sheet=part.name,
            )
        )
    return None


class _TooBig(Exception):
    """A sheet with more cells than are read; `exact` when its extent is known."""

    def __init__(self, rows: int, columns: int, exact: bool = False) -> None:
        super().__init__(f"{rows} x {columns}")
        self.rows = rows
        self.columns = columns
        self.exact = exact


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index


class _Forbidden(ValueError):
    """XML that declares a DTD or entities, which Excel never writes."""


def _forbid(*_: object) -> None:
    raise _Forbidden("the sheet declares a DTD or entities")


class _SheetScanner:
    """Streams a sheet's XML with expat, noting each cell that has content.

    A plain expat parser (no element tree) keeps the scan fast on large
    sheets; DTDs and entity declarations are refused as defusedxml does.
    """

    def __init__(self) -> None:
        self.scan = _SheetScan()
        self.row_number = 0
        self.column_number = 0
        self.cell_type: str | None = None
        self.has_value = False
        self.has_formula = False
        self.capturing: str | None = None
        self.value_text: list[str] = []
        self.formula_text: list[str] = []
        self.unreferenced = False  # a cell without its reference (r="B7") was seen

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            reference = _CELL_REF.fullmatch(attributes.get("r", ""))
            if reference:
                self.column_number = _column_index(reference[1])
                self.row_number = int(reference[2])
            else:
                self.column_number += 1
                self.unreferenced = True
            self.cell_type = attributes.get("t")
            self.has_value = self.has_formula = False
            self.value_text, self.formula_text = [], []
        elif tag == "row":
            number = attributes.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.column_number = 0
            if _is_true(attributes.get("hidden")) and (
                len(self.scan.hidden_rows) < MAX_SPECIAL_CELLS
            ):
                self.scan.hidden_rows.add(self.row_number)
        elif tag == "col":
            self._hidden_columns(attributes)
        elif tag in ("v", "f"):
            self.capturing = tag
            self.has_formula = self.has_formula or tag == "f"
        elif tag == "is":
            self.has_value = True

    def _hidden_columns(self, attributes: dict[str, str]) -> None:
        scan = self.scan
        scan.column_ranges += 1
        if not _is_true(attributes.get("hidden")) or scan.column_ranges > 1000:
            return
        first, last = attributes.get("min", ""), attributes.get("max", "")
        if first.isdigit() and last.isdigit():
            for column in range(int(first), min(int(last), _MAX_COLUMNS) + 1):
                scan.hidden_columns.add(column - 1)

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag in ("v", "f"):
            self.capturing = None
            if tag == "v" and "".join(self.value_text).strip():
                self.has_value = True
        elif tag == "c":
            self._cell()

    def text(self, data: str) -> None:
        if self.capturing == "v" and len(self.value_text) < 64:
            self.value_text.append(data)
        elif self.capturing == "f" and len(self.formula_text) < 64:
            self.formula_text.append(data)

    def _cell(self) -> None:
        if not (self.has_value or self.has_formula):
            return
        scan = self.scan
        scan.rows = max(scan.rows, self.row_number)
        scan.columns = max(scan.columns, self.column_number)
        if scan.rows * scan.columns > MAX_SHEET_CELLS:
            raise _TooBig(scan.rows, scan.columns)
        if len(scan.specials) >= MAX_SPECIAL_CELLS:
            return
        position = (self.row_number - 1, self.column_number - 1)
        if self.cell_type == "e" and self.has_value:
            code = "".join(self.value_text).strip()[:40]
            scan.specials[position] = ErrorValue(code or "#VALUE!")
        elif self.has_formula and not self.has_value:
            formula = "".join(self.formula_text).strip()[:200]
            scan.specials[position] = FormulaWithoutValue(formula)


def _is_true(value: str | None) -> bool:
    return value in ("1", "true")


def _scan_sheet(stream: IO[bytes]) -> _SheetScan:
    """The extent of a sheet's cells and its formulas without values, streaming."""
    scanner = _SheetScanner()
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.buffer_text = True
    while chunk := stream.read(_CHUNK):
        try:
            parser.Parse(chunk, False)
        except _TooBig as big:
            raise _extent(big, chunk, stream, exact=not scanner.unreferenced) from None
    parser.Parse(b"", True)
    return scanner.scan


def _extent(big: _TooBig, chunk: bytes, stream: IO[bytes], exact: bool) -> _TooBig:
    """The sheet's real extent, from the cell references in the rest of its XML.

    Parsing stopped where the limit was crossed; the rest is only searched for
    references, which is fast, so that the message can say where the last
    cell really is. Without references (some writers leave them out) the
    extent is only known to be at least where parsing stopped.
    """
    rows, columns = big.rows, big.columns
    tail = b""
    while chunk:
        data = tail + chunk
        cut = data.rfind(b"<")
        data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        letters = set(_RAW_COLUMN.findall(data))
        if letters:
            columns = max(columns, *(_column_index(text.decode()) for text in letters))
        found = _RAW_ROW.findall(data[-65536:])
        if found:
            rows = max(rows, int(found[-1]))
        chunk = stream.read(_CHUNK)
    return _TooBig(rows, columns, exact)


def _read_table(
    book: CalamineWorkbook, part: _SheetPart, scan: _SheetScan, issues: list[Issue]
) -> Table | None:
    try:
        sheet = book.get_sheet_by_name(part.name)
        grid = [list(row) for row in sheet.to_python(skip_empty_area=False)]
        merged = sheet.merged_cell_ranges or []
    except Exception as problem:
        logger.info("calamine could not read sheet %r: %s", part.name, problem)
        issues.append(
            error(
                f"The {part.name} sheet could not be read ({problem}); open the "
                "workbook in Excel and save it again as .xlsx.",
                sheet=part.name,
            )
        )
        return None

    for (row, column), special in scan.specials.items():
        while len(grid) <= row:
            grid.append([])
        cells = grid[row]
        if len(cells) <= column:
            cells.extend([None] * (column + 1 - len(cells)))
        if is_blank(cells[column]):
            cells[column] = special

    issues.extend(_fill_merged(grid, merged, part.name))
    return Table(
        name=part.name,
        rows=tuple((index + 1, tuple(cells)) for index, cells in enumerate(grid)),
        hidden_rows=frozenset(scan.hidden_rows),
        hidden_columns=frozenset(scan.hidden_columns),
    )


def _fill_merged(grid: list[list[object]], merged, sheet: str) -> Iterator[Issue]:
    """Carry the text of cells merged down several rows to each of those rows."""
    for number, ((top, left), (bottom, right)) in enumerate(merged):
        if number >= MAX_MERGED_RANGES:
            yield warning(
                f"The sheet has more than {MAX_MERGED_RANGES:,} merged ranges; only "
                "the first were filled in. Unmerge the cells.",
                sheet=sheet,
            )
            return
        if bottom <= top or top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if is_blank(value):
            continue
        letter = column_letter(left)
        span = f"{letter}{top + 1}:{column_letter(right)}{bottom + 1}"
        if not isinstance(value, str):
            yield warning(
                f"Cells {span} are merged and hold {show(value)}; it is not clear "
                "whether that is for each row or for all of them, so only row "
                f"{top + 1} has it. Unmerge the cells and fill in each row.",
                sheet=sheet,
                row=top + 1,
                column=letter,
            )
            continue
        for row in range(top + 1, min(bottom, len(grid) - 1) + 1):
            cells = grid[row]
            if len(cells) <= left:
                cells.extend([None] * (left + 1 - len(cells)))
            if is_blank(cells[left]):
                cells[left] = value
        yield warning(
            f"Cells {span} are merged; {show(value)} was read for each of rows "
            f"{top + 1} to {bottom + 1}.",
            sheet=sheet,
            row=top + 1,
            column=letter,
        )
