"""Reading the sheets of a workbook safely, into tables of cells.

A workbook comes in several formats, all read by calamine: .xlsx and .xlsm
(a zip of XML parts), .xlsb (a zip of binary parts), .ods (a zip of
OpenDocument XML) and legacy .xls (an OLE file of BIFF records). A small
file can be made to unpack into gigabytes or to claim a cell a million rows
down, and calamine holds each sheet as one dense block, so such a file would
exhaust memory and kill the process rather than raise an error. So before
calamine sees a zip, this module checks it (size once unpacked, ratio to
its packed size, entries, no DTDs, which spreadsheet programs never write
and XML bombs need) and scans each sheet's part for the extent of its
cells. For .xlsx the same scan finds what calamine reports as empty but is
not: formulas saved without their results and error values such as
#DIV/0!, which are put back into the table so that a reader can name them.
Merged cells that run down several rows carry their text to each row (a
pool written once for a group of lines); calamine reports the merges of an
.xlsx and .xls, and those of an .ods are found by the same scan that checks
its extent.

Every sheet is read and described (`SheetInfo`: hidden or not, its size,
whether it holds a table and what kind of table it looks like), so the
caller can choose the sheets by name, by kind, or as the user picks.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import IO
from xml.parsers import expat

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import fromstring
from python_calamine import (
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from cpsu.ingest import progress
from cpsu.ingest.cells import ErrorValue, FormulaWithoutValue, is_blank
from cpsu.ingest.issues import Issue, column_letter, error
from cpsu.ingest.lists import find_list
from cpsu.ingest.table import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARACTERS,
    MAX_MERGED_RANGES,
    MAX_SHEET_ROWS,
    Merge,
    Table,
    fill_merged,
    match_row,
    merged_down,
)
from cpsu.ingest.vocabulary import (
    COST_HEADER_INDEX,
    HEADCOUNT_HEADER_INDEX,
    SERVICE_DESK_INDEX,
    clean_header,
    match_header,
)

logger = logging.getLogger(__name__)

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_SHEET_CELLS = 2_000_000
MAX_WORKBOOK_CELLS = 6_000_000  # all sheets together
MAX_RATIO = 100  # unpacked size to packed size
MIN_RATIO_CHECKED_BYTES = 32 * 1024 * 1024
KIND_SEARCH_ROWS = 60
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
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
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    outline_levels: dict[int, int] = field(default_factory=dict)  # row -> level
    summary_below: bool = True
    merges: list[Merge] = field(default_factory=list)  # where calamine has none
    shown_scales: dict[tuple[int, int], float] = field(default_factory=dict)


# What a sheet looks like it holds, from its headers.
COSTS_KIND, HEADCOUNT_KIND, SERVICE_DESK_KIND, UNKNOWN_KIND = (
    "costs",
    "headcount",
    "service desk",
    "unknown",
)


@dataclass(frozen=True)
class SheetInfo:
    """One sheet of a workbook as a sheet picker shows it."""

    name: str
    hidden: bool
    rows: int
    columns: int
    has_table: bool
    kind: str  # "costs", "headcount", "service desk" or "unknown"


@dataclass(frozen=True)
class Workbook:
    """Every sheet of a workbook that could be read, and what was noticed.

    `tables` holds the readable sheets by name, in the workbook's order;
    `sheet_issues` what was noticed on each sheet, for the caller to report
    for the sheets it uses; `issues` what concerns the whole file.
    """

    format: str  # "xlsx", "xlsb", "ods" or "xls"
    sheets: tuple[SheetInfo, ...]
    tables: Mapping[str, Table]
    sheet_issues: Mapping[str, tuple[Issue, ...]]
    issues: tuple[Issue, ...] = ()

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(sheet.name for sheet in self.sheets)


_FORMAT_NAMES = {
    "xlsx": ".xlsx workbook",
    "xlsb": "binary Excel workbook (.xlsb)",
    "ods": "OpenDocument spreadsheet (.ods)",
    "xls": "legacy Excel workbook (.xls)",
}
_PASSWORD = (
    "The workbook is protected with a password, so it cannot be read. Remove the "
    "password (in Excel: File > Info > Protect Workbook), save it as .xlsx and "
    "upload it again."
)


def read_workbook(data: bytes) -> Workbook:
    """Every sheet of a workbook (.xlsx, .xlsm, .xlsb, .ods or .xls) as a table.

    The format is told by the bytes. Raises WorkbookError when the file is
    not a readable workbook; problems with one sheet are its issues, and a
    sheet that cannot be read has no table.

    An upload is offered to several readers in turn (the cost workbook, a GL
    export, an HR roster), so the last workbook read is kept and handed out
    again for the same bytes; a Workbook cannot be changed, so sharing it is
    safe. The limits are part of the key, so a changed limit reads afresh.
    """
    return _read_workbook_once(data, _limits())


def forget_last_workbook() -> None:
    """Drop the workbook kept from the last read."""
    _read_workbook_once.cache_clear()


def _limits() -> tuple[int, ...]:
    return (
        MAX_UNPACKED_BYTES,
        MAX_ZIP_ENTRIES,
        MAX_SHEET_CELLS,
        MAX_SHEET_ROWS,
        MAX_CELL_CHARACTERS,
        MAX_WORKBOOK_CELLS,
        MAX_RATIO,
        MIN_RATIO_CHECKED_BYTES,
        MAX_MERGED_RANGES,
        MAX_SPECIAL_CELLS,
    )


@lru_cache(maxsize=1)
def _read_workbook_once(data: bytes, limits: tuple[int, ...]) -> Workbook:
    del limits  # only part of the key
    if data.startswith(OLE_SIGNATURE):
        return _read_ole(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as problem:  # a damaged directory fails in many ways
        logger.info("not a readable zip: %r", problem)
        raise WorkbookError(
            "The file starts like an .xlsx workbook but is damaged or incomplete "
            f"({problem}). Open it in Excel and save it again as .xlsx."
        ) from None
    sheet_issues: dict[str, list[Issue]] = {}
    # What calamine does not report for .ods: merges, number formats, hidden
    # rows and outline levels.
    ods_scans: dict[str, _SheetScan] = {}
    with archive:
        meter = _Meter(len(data))
        progress.report(0.0, "Checking the file")
        members, kind = _check_archive(archive, meter)
        if kind == "xlsx":
            parts = _sheet_parts(archive, members)
            styles = _scaled_styles(archive, members)
            scans: dict[str, _SheetScan] = {}
            for part, (start, end) in zip(
                parts, _shares(parts, archive, members), strict=True
            ):
                found: list[Issue] = []
                with progress.part(
                    _SCAN[0] + start * _SCAN_WIDTH, _SCAN[0] + end * _SCAN_WIDTH
                ):
                    scan = _scan_part(archive, members, part, found, meter, styles)
                sheet_issues.setdefault(part.name, []).extend(found)
                if scan is not None:
                    scans[part.name] = scan
            # A worksheet no sheet points to is unpacked and checked all the same.
            for name in sorted(meter.deferred - meter.measured.keys()):
                _check_member(archive, archive.getinfo(name), meter)
        elif kind == "ods":
            ods_scans = _check_ods(archive, members)
        else:
            _check_xlsb(archive, members)
    book = _open(data, kind)
    if kind != "xlsx":
        parts = _calamine_parts(book)
        scans = {part.name: ods_scans.get(part.name, _SheetScan()) for part in parts}
    with progress.part(_SCAN[1], 1.0):
        return _read_sheets(kind, book, parts, scans, sheet_issues)


# The share of a workbook's read spent checking its sheets' XML (the rest is
# calamine's read and ours of the cells), as timed on a 100,000-row export.
_SCAN = (0.05, 0.35)
_SCAN_WIDTH = _SCAN[1] - _SCAN[0]


def _shares(
    parts: list[_SheetPart], archive: zipfile.ZipFile, members: Mapping[str, str]
) -> list[tuple[float, float]]:
    """Where each sheet's scan starts and ends, 0 to 1, by its size."""
    sizes = []
    for part in parts:
        name = members.get((part.path or "").lower())
        sizes.append(archive.getinfo(name).file_size if name else 0)
    total = sum(sizes) or 1
    shares, done = [], 0
    for size in sizes:
        shares.append((done / total, (done + size) / total))
        done += size
    return shares


def _is_reader_failure(problem: BaseException) -> bool:
    """True for calamine's failures: an exception, or a Rust panic, which pyo3
    raises as a PanicException that is not an Exception.
    """
    return isinstance(problem, Exception) or type(problem).__name__ == (
        "PanicException"
    )


def _open(data: bytes, kind: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise WorkbookError(_PASSWORD) from None
    except BaseException as problem:
        if not _is_reader_failure(problem):
            raise
        logger.info("calamine could not open a workbook: %s", problem)
        raise WorkbookError(
            f"The {_FORMAT_NAMES[kind]} could not be read ({problem}). "
            "Open it in Excel and save it again as .xlsx."
        ) from None


def _read_ole(data: bytes) -> Workbook:
    """A legacy .xls, or an encrypted .xlsx (which is wrapped in an OLE file)."""
    if _ENCRYPTED_PACKAGE in data:
        raise WorkbookError(_PASSWORD)
    found = _check_xls(data)
    book = _open(data, "xls")
    parts = _calamine_parts(book)
    scans = {part.name: found.get(part.name, _SheetScan()) for part in parts}
    return _read_sheets("xls", book, parts, scans, {})


def _calamine_parts(book: CalamineWorkbook) -> list[_SheetPart]:
    try:
        metadata = book.sheets_metadata
    except BaseException as problem:
        if not _is_reader_failure(problem):
            raise
        logger.info("calamine could not list sheets: %s", problem)
        raise WorkbookError(
            f"The workbook's list of sheets could not be read ({problem}). Open it "
            "in Excel and save it again as .xlsx."
        ) from None
    return [
        _SheetPart(sheet.name, None, sheet.visible != SheetVisibleEnum.Visible)
        for sheet in metadata
        if sheet.typ == SheetTypeEnum.WorkSheet
    ]


def _read_sheets(
    kind: str,
    book: CalamineWorkbook,
    parts: list[_SheetPart],
    scans: Mapping[str, _SheetScan],
    sheet_issues: dict[str, list[Issue]],
) -> Workbook:
    tables: dict[str, Table] = {}
    infos: list[SheetInfo] = []
    budget = MAX_WORKBOOK_CELLS
    cells = [
        max(scans[p.name].rows * scans[p.name].columns, 1) if p.name in scans else 0
        for p in parts
    ]
    total, done = sum(cells) or 1, 0
    for part, size in zip(parts, cells, strict=True):
        found = sheet_issues.setdefault(part.name, [])
        table = None
        if part.name in scans and part.name not in tables:
            with progress.part(done / total, (done + size) / total):
                table = _read_table(book, part, scans[part.name], found, budget)
        done += size
        if table is None:
            infos.append(SheetInfo(part.name, part.hidden, 0, 0, False, UNKNOWN_KIND))
            continue
        tables[part.name] = table
        rows = len(table.rows)
        columns = max((len(cells) for _, cells in table.rows), default=0)
        budget -= rows * columns
        sheet_kind = table_kind(table)
        infos.append(
            SheetInfo(
                name=part.name,
                hidden=part.hidden,
                rows=rows,
                columns=columns,
                has_table=sheet_kind != UNKNOWN_KIND or _holds_table(table),
                kind=sheet_kind,
            )
        )
    return Workbook(
        format=kind,
        sheets=tuple(infos),
        tables=MappingProxyType(tables),
        sheet_issues=MappingProxyType(
            {name: tuple(found) for name, found in sheet_issues.items()}
        ),
    )


def table_kind(table: Table) -> str:
    """What a table looks like it holds, from the headers in its first rows."""
    first_column = 0
    for row_number, cells in table.rows[:KIND_SEARCH_ROWS]:
        if row_number <= HEADER_SEARCH_ROWS:
            columns = match_row(cells, COST_HEADER_INDEX)[0]
            if "item" in columns and len(columns) >= 2:
                return COSTS_KIND
            columns = match_row(cells, HEADCOUNT_HEADER_INDEX)[0]
            if "quarter" in columns and "employees" in columns:
                return HEADCOUNT_KIND
        if cells and match_header(clean_header(cells[0]), SERVICE_DESK_INDEX):
            first_column += 1
    if first_column >= 2:
        return SERVICE_DESK_KIND
    # A budget of the user's own: a list of items and amounts, or a month grid.
    return COSTS_KIND if find_list(table) is not None else UNKNOWN_KIND


def _holds_table(table: Table) -> bool:
    """Two rows or more with two cells or more filled: a header and a row."""
    filled = 0
    for _, cells in table.rows:
        if sum(not is_blank(cell) for cell in cells[:50]) >= 2:
            filled += 1
            if filled >= 2:
                return True
    return False


def _check_archive(
    archive: zipfile.ZipFile, meter: _Meter
) -> tuple[dict[str, str], str]:
    """Check the zip is a workbook of sane size; its members by lower-case name,
    and its format: "xlsx" (and .xlsm), "xlsb" or "ods".

    Every part is unpacked here to measure its real size, except the
    worksheets of an .xlsx: the scan of each sheet unpacks it anyway, and
    measures it through `meter` as it goes, so that it is unpacked once.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise WorkbookError(
            f"The workbook holds {len(infos):,} parts, far more than a real "
            "workbook; it was not read. Save the sheets you need in a new workbook."
        )
    members = {info.filename.lstrip("/").lower(): info.filename for info in infos}
    if "xl/workbook.bin" in members:
        kind = "xlsb"
    elif "content.xml" in members and "mimetype" in members:
        kind = "ods"
    elif "xl/workbook.xml" in members:
        kind = "xlsx"
    else:
        kind = "a Word document" if "word/document.xml" in members else "a zip file"
        raise WorkbookError(
            f"This is {kind}, not an Excel workbook; upload the workbook as .xlsx "
            "or the Costs sheet as CSV."
        )

    # The sizes the zip declares are checked first, cheaply; then the real ones.
    declared = sum(info.file_size for info in infos)
    _check_unpacked(declared, meter.packed)
    for info in infos:
        lower = info.filename.lstrip("/").lower()
        if kind == "xlsx" and _WORKSHEET_PART.fullmatch(lower):
            meter.deferred.add(info.filename)
        else:
            _check_member(archive, info, meter)
    return members, kind


_WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


class _Meter:
    """The real unpacked size of a zip, counted as its parts are read."""

    def __init__(self, packed: int) -> None:
        self.packed = packed
        self.checked = 0  # bytes of the parts checked whole
        self.measured: dict[str, int] = {}  # bytes read so far of each sheet
        self.deferred: set[str] = set()  # sheets left for their scan

    def count(self, name: str, read: int) -> None:
        """Note that `read` bytes of part `name` have been unpacked so far."""
        if read > self.measured.get(name, 0):
            self.measured[name] = read
            _check_unpacked(self.checked + sum(self.measured.values()), self.packed)


class _MeteredStream:
    """A part of the zip opened for reading, its reads counted by a meter."""

    def __init__(
        self, archive: zipfile.ZipFile, name: str, meter: _Meter, label: str = ""
    ) -> None:
        with _unpacking(name):
            self.stream = archive.open(name)
            self.declared = max(archive.getinfo(name).file_size, 1)
        self.name, self.meter, self.label = name, meter, label
        self.read_so_far = 0

    def __enter__(self) -> _MeteredStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.stream.close()

    def read(self, size: int = -1) -> bytes:
        with _unpacking(self.name):
            chunk = self.stream.read(size)
        self.read_so_far += len(chunk)
        self.meter.count(self.name, self.read_so_far)
        progress.report(self.read_so_far / self.declared, self.label)
        return chunk


def _check_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, meter: _Meter
) -> None:
    """Unpack one part to measure it, and refuse XML that declares a DTD."""
    is_xml = bool(_XML_PART.search(info.filename))
    tail = b""
    with _unpacking(info.filename), archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            meter.checked += len(chunk)
            _check_unpacked(meter.checked + sum(meter.measured.values()), meter.packed)
            if is_xml and _has_dtd(tail + chunk):
                raise WorkbookError(
                    f"The workbook part {info.filename} declares a DTD, "
                    "which spreadsheet programs never write and which can "
                    "hide an XML bomb, so it was not read. Open the file "
                    "in Excel and save it again as .xlsx."
                )
            tail = chunk[-_DTD_OVERLAP:]


@contextmanager
def _unpacking(name: str) -> Iterator[None]:
    """Turn the ways unpacking a damaged or encrypted part fails into a
    WorkbookError that says what to do.
    """
    try:
        yield
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
            f"The workbook is damaged ({name}: {problem}). Open it in "
            "Excel and save it again as .xlsx."
        ) from None
    except (RuntimeError, NotImplementedError) as problem:
        raise WorkbookError(
            f"The workbook cannot be unpacked ({problem}); it may be encrypted. "
            "Remove any password, save it as .xlsx and upload it again."
        ) from None


def _check_unpacked(unpacked: int, packed: int) -> None:
    """Refuse a zip that unpacks to too much, or to too much for its size."""
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            "The workbook unpacks to more than "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB, so it was not read (it may "
            "be a zip bomb, or hold a huge amount of formatting). Copy the sheets "
            "you need into a new workbook."
        )
    if unpacked > MIN_RATIO_CHECKED_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        raise WorkbookError(
            f"The workbook unpacks to more than {MAX_RATIO} times its size, far "
            "more than a real workbook, so it was not read (it may be a zip "
            "bomb). Copy the sheets you need into a new workbook."
        )


def _has_dtd(chunk: bytes) -> bool:
    """True when XML text declares a DTD or entity (in UTF-8 or UTF-16)."""
    if b"<!" not in chunk and b"<\x00!" not in chunk:  # no declaration of any kind
        return False
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


def _scaled_styles(
    archive: zipfile.ZipFile, members: Mapping[str, str]
) -> dict[int, float]:
    """The cell styles whose number format shows numbers scaled down, like
    '#,##0,' (12,000 shown as 12): style index -> 1,000 (or 1,000,000)."""
    styles = _read_xml(archive, members, "xl/styles.xml")
    if styles is None:
        return {}
    codes = {
        element.get("numFmtId"): element.get("formatCode") or ""
        for element in styles.iter()
        if _local(element.tag) == "numFmt"
    }
    scaled: dict[int, float] = {}
    for holder in styles.iter():
        if _local(holder.tag) != "cellXfs":
            continue
        for index, xf in enumerate(x for x in holder if _local(x.tag) == "xf"):
            factor = format_scale(codes.get(xf.get("numFmtId"), ""))
            if factor != 1:
                scaled[index] = factor
    return scaled


_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def format_scale(code: str) -> float:
    """What a number shown in an Excel number format is times: 1,000 for
    '#,##0,' (a comma after the last digit shows thousands), 1,000,000 for
    '0.0,,"M"'; 1 for a format that shows numbers as they are."""
    first = _FORMAT_LITERALS.sub("", code).split(";")[0]
    found = re.search(r"[0#?](,+)[^0#?]*$", first)
    return 1000.0 ** len(found[1]) if found else 1.0


def _style_pattern(styles: Mapping[int, float]) -> re.Pattern[bytes] | None:
    """A search for a cell in one of `styles`, to send its sheet to the full scan."""
    if not styles:
        return None
    numbers = "|".join(str(index) for index in sorted(styles))
    return re.compile(rb'<c\b[^>]*\bs="(?:' + numbers.encode() + rb')"')


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


def _scan_part(
    archive: zipfile.ZipFile,
    members: Mapping[str, str],
    part: _SheetPart,
    issues: list[Issue],
    meter: _Meter,
    styles: Mapping[int, float],
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
        label = f"Checking sheet {part.name}"
        with _MeteredStream(archive, name, meter, label) as stream:
            scan = _quick_scan(stream, _style_pattern(styles))
        if scan is None:
            with _MeteredStream(archive, name, meter, label) as stream:
                scan = _scan_sheet(stream, styles)
        return scan
    except _TooBig as big:
        issues.append(_too_big(part, big))
    except (expat.ExpatError, ValueError) as problem:
        issues.append(
            error(
                f"The {part.name} sheet is not valid XML ({problem}); open the "
                "workbook in Excel and save it again as .xlsx.",
                sheet=part.name,
            )
        )
    return None


def too_many(rows: int, columns: int) -> bool:
    """True when a sheet of this extent has more rows or cells than are read."""
    return rows > MAX_SHEET_ROWS or rows * columns > MAX_SHEET_CELLS


def _too_big(part: _SheetPart, big: _TooBig) -> Issue:
    return error(_too_big_message(part.name, big), sheet=part.name)


def _too_big_message(name: str, big: _TooBig) -> str:
    extent = f"row {big.rows:,}, column {column_letter(max(big.columns, 1) - 1)}"
    if not big.exact:
        extent = "at least " + extent
    if big.rows > MAX_SHEET_ROWS:
        return (
            f"The {name} sheet has cells as far as {extent}, and at most "
            f"{MAX_SHEET_ROWS:,} rows are read (a cost list or a year's GL export "
            "needs far fewer), so it was not read. Delete the rows you do not need "
            "or stray cells far below the table (Ctrl+End shows the last one), or "
            "export a shorter period, and upload it again."
        )
    return (
        f"The {name} sheet has cells as far as {extent}: more than "
        f"{MAX_SHEET_CELLS:,} cells to read. Delete the stray cells far from the "
        "table (Ctrl+End shows the last one) and save again."
    )


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

    def __init__(self, styles: Mapping[int, float]) -> None:
        self.scan = _SheetScan()
        self.styles = styles  # number formats that show a number scaled down
        self.style: str | None = None
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
            self.style = attributes.get("s")
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
            level = attributes.get("outlineLevel", "")
            if (
                level.isdigit()
                and int(level) > 0
                and (len(self.scan.outline_levels) < MAX_SPECIAL_CELLS)
            ):
                self.scan.outline_levels[self.row_number] = int(level)
        elif tag == "outlinePr":
            self.scan.summary_below = attributes.get("summaryBelow") not in (
                "0",
                "false",
            )
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
        if too_many(scan.rows, scan.columns):
            raise _TooBig(scan.rows, scan.columns)
        if len(scan.specials) >= MAX_SPECIAL_CELLS:
            return
        position = (self.row_number - 1, self.column_number - 1)
        if self.style and self.style.isdigit() and int(self.style) in self.styles:
            where = (self.row_number, self.column_number - 1)
            scan.shown_scales[where] = self.styles[int(self.style)]
        if self.cell_type == "e" and self.has_value:
            code = "".join(self.value_text).strip()[:40]
            scan.specials[position] = ErrorValue(code or "#VALUE!")
        elif self.has_formula and not self.has_value:
            formula = "".join(self.formula_text).strip()[:200]
            scan.specials[position] = FormulaWithoutValue(formula)
        elif self.has_formula and self.formula_text:
            # Kept by the row number the user sees, to tell a subtotal's formula.
            formula = "".join(self.formula_text).strip()[:200]
            scan.formulas[(self.row_number, self.column_number - 1)] = formula


def _is_true(value: str | None) -> bool:
    return value in ("1", "true")


# A cell is empty when its attributes are plain and it closes at once
# (<c r="B2" s="1"/>) or is closed with nothing inside (<c ...></c>); calamine
# leaves empty cells out of a sheet's extent. Anything else counts as content.
_EMPTY_CELL_REST = rb'(?:\s+[\w:.-]+="[^"<]*")*\s*(?:/>|></c>)'
_QUICK_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?!' + _EMPTY_CELL_REST + rb")"
)
# A cell without a plain reference first (<c s="1" r="B2">, <c\nr=...>,
# <c r="b2">, <c>) is one only the full scan places.
_QUICK_ODD_CELL = rb'(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}")'
_QUICK_ODD = re.compile(rb"<c" + _QUICK_ODD_CELL)
# A prefixed element that calamine would read as part of the sheet's data.
_QUICK_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|v|f|is|row|sheetData)[\s/>]")
_QUICK_PREFIXED_HINT = re.compile(rb":(?:c|v|f|is|row|sheetData)[\s/>]")
# What only the full scan handles: formulas (and any element starting "f",
# however written), comments, DTDs and CDATA (all "<!"), which could hide
# what looks like a cell, error values, and hidden rows or columns.
_QUICK_STOP_TAGS = re.compile(rb"<[f!]")
_QUICK_STOPS = (b't="e"', b'hidden="', b'outlineLevel="')
_QUICK_HITS = 200  # references past the guessed extent, per chunk, before counting
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _above(text: str, alphabet: str, longest: int) -> bytes:
    """A pattern for the words over `alphabet` that come after `text` when
    words are ordered by length, then letter by letter: "I" and "AA" come
    after "H", "1000" after "999". At most `longest` characters.
    """
    first, last = alphabet[0], alphabet[-1]
    options = []
    for place, character in enumerate(text):
        later = alphabet[alphabet.index(character) + 1 :]
        if later:
            rest = len(text) - place - 1
            options.append(
                f"{text[:place]}[{later[0]}-{later[-1]}][{first}-{last}]{{{rest}}}"
            )
    if len(text) < longest:
        options.append(f"[{first}-{last}]{{{len(text) + 1},{longest}}}")
    return ("(?:" + "|".join(options) + ")" if options else "(?!)").encode()


def _past_pattern(rows: int, columns: int) -> re.Pattern[bytes]:
    """A cell written unusually, or one with content past `rows` x `columns`."""
    letters = column_letter(columns - 1) if columns else ""
    past_column = _above(letters, _LETTERS, 3) + rb"[0-9]{1,7}"
    past_row = rb"[A-Z]{1,3}" + _above(str(rows) if rows else "", "0123456789", 7)
    return re.compile(
        rb"<c(?:"
        + _QUICK_ODD_CELL
        + rb'| r="(?P<ref>'
        + past_column
        + rb"|"
        + past_row
        + rb')"(?!'
        + _EMPTY_CELL_REST
        + rb"))"
    )


def _reference(ref: bytes) -> tuple[int, int]:
    """The row and column numbers of a plain reference such as b"AB12"."""
    digits = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits), _column_index(ref[: len(ref) - len(digits)].decode())


def _quick_scan(
    stream: IO[bytes], styled: re.Pattern[bytes] | None = None
) -> _SheetScan | None:
    """The extent of a plain sheet's cells, by a few searches of its XML.

    Most sheets (and nearly every export) hold values only, written in order,
    and finding their extent this way is many times faster than parsing their
    XML: the last cells of each chunk give a guess, and one search looks for
    any cell past it, raising the guess at each one found. None when the
    sheet has what only the full scan reads: formulas, comments, error
    values, hidden rows or columns, cells written without their reference
    first, prefixed element names, or cells in a `styled` number format.
    """
    rows = columns = 0
    tail = b""
    seen_data = False
    while True:
        chunk = stream.read(_CHUNK)
        data = tail + chunk
        if chunk:
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        if _QUICK_STOP_TAGS.search(data) or any(stop in data for stop in _QUICK_STOPS):
            return None
        if _QUICK_PREFIXED_HINT.search(data) and _QUICK_PREFIXED.search(data):
            return None
        if styled is not None and styled.search(data):
            return None
        seen_data = seen_data or b"<sheetData" in data
        for letters, digits in _QUICK_CELL.findall(data[-8192:]):
            rows = max(rows, int(digits))
            columns = max(columns, _column_index(letters.decode()))
        found = _past_cells(data, rows, columns)
        if found is None:
            return None
        rows, columns = found
        if rows > MAX_SHEET_ROWS:
            raise _TooBig(rows, columns)  # refused at once, without the full scan
        if not chunk:
            break
    if not seen_data or rows * columns > MAX_SHEET_CELLS:
        return None  # the full scan tells the exact extent, or refuses the sheet
    return _SheetScan(rows=rows, columns=columns)


def _past_cells(data: bytes, rows: int, columns: int) -> tuple[int, int] | None:
    """The extent raised to take in every cell with content in `data`; None
    when a cell is written in a way only the full scan reads.
    """
    position = 0
    for _ in range(_QUICK_HITS):
        found = _past_pattern(rows, columns).search(data, position)
        if found is None:
            return rows, columns
        if found["ref"] is None:
            return None
        row, column = _reference(found["ref"])
        rows, columns = max(rows, row), max(columns, column)
        position = found.end()
    # Many cells out of order: read the rest of the references one by one.
    if _QUICK_ODD.search(data, position):
        return None
    for letters, digits in _QUICK_CELL.findall(data, position):
        rows = max(rows, int(digits))
        columns = max(columns, _column_index(letters.decode()))
    return rows, columns


def _scan_sheet(
    stream: IO[bytes], styles: Mapping[int, float] | None = None
) -> _SheetScan:
    """The extent of a sheet's cells and its formulas without values, streaming."""
    scanner = _SheetScanner(styles or {})
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
    book: CalamineWorkbook,
    part: _SheetPart,
    scan: _SheetScan,
    issues: list[Issue],
    budget: int = MAX_WORKBOOK_CELLS,
) -> Table | None:
    try:
        progress.report(0.0, f"Reading sheet {part.name}")
        sheet = book.get_sheet_by_name(part.name)
        progress.report(0.7, f"Reading sheet {part.name}")
        cells = sheet.height * sheet.width
        if too_many(sheet.height, sheet.width):
            raise _TooBig(sheet.height, sheet.width, exact=True)
        if cells > budget:
            issues.append(
                error(
                    f"The {part.name} sheet was not read: the workbook holds more "
                    f"than {MAX_WORKBOOK_CELLS:,} cells in all. Copy the sheets you "
                    "need into a new workbook.",
                    sheet=part.name,
                )
            )
            return None
        grid = sheet.to_python(skip_empty_area=False)  # new lists, ours to fill
        merged = sheet.merged_cell_ranges or scan.merges
    except _TooBig as big:
        issues.append(_too_big(part, big))
        return None
    except BaseException as problem:
        if not _is_reader_failure(problem):
            raise
        logger.info("calamine could not read sheet %r: %s", part.name, problem)
        issues.append(
            error(
                f"The {part.name} sheet could not be read ({problem}); open the "
                "workbook in Excel and save it again as .xlsx.",
                sheet=part.name,
            )
        )
        return None

    long = _long_cell(grid)
    if long is not None:
        row, column, characters = long
        issues.append(
            error(
                f"The {part.name} sheet was not read: its cell "
                f"{column_letter(column)}{row} holds {characters:,} characters, more "
                f"than the {MAX_CELL_CHARACTERS:,} a cell of Excel can hold. Shorten "
                "that cell and save the workbook again.",
                sheet=part.name,
                row=row,
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

    issues.extend(fill_merged(grid, merged, part.name))
    progress.report(0.9, f"Reading sheet {part.name}")
    return Table(
        name=part.name,
        rows=tuple(zip(range(1, len(grid) + 1), map(tuple, grid), strict=True)),
        hidden_rows=frozenset(scan.hidden_rows),
        hidden_columns=frozenset(scan.hidden_columns),
        formulas=scan.formulas,
        shown_scales=scan.shown_scales,
        outline_levels=scan.outline_levels,
        summary_below=scan.summary_below,
        merges=merged_down(merged),
    )


def _long_cell(grid: list[list[object]]) -> tuple[int, int, int] | None:
    """The row number, column index and length of the first text cell longer
    than Excel lets a cell be, or None."""
    for row, cells in enumerate(grid, start=1):
        for column, value in enumerate(cells):
            if type(value) is str and len(value) > MAX_CELL_CHARACTERS:
                return row, column, len(value)
    return None


# --- OpenDocument (.ods) ------------------------------------------------------


def _check_ods(
    archive: zipfile.ZipFile, members: Mapping[str, str]
) -> dict[str, _SheetScan]:
    """Refuse an encrypted .ods, or one whose sheets reach too far; by sheet
    name, what calamine does not report for .ods: the merged cells, the
    numbers shown scaled down by their format (as `_scaled_styles`), the
    hidden rows and the rows' outline levels (a row group is one level).

    calamine reads every sheet of an .ods when it opens it, so the extent of
    each sheet is found first by streaming content.xml: rows and cells carry
    repeat counts, and a few bytes can claim a million filled rows. A merge
    is a cell that spans rows or columns (the cells it covers follow as
    covered cells), so the same pass notes where each one starts and ends.
    """
    manifest = members.get("meta-inf/manifest.xml")
    if manifest is not None and b"encryption-data" in archive.read(manifest):
        raise WorkbookError(_PASSWORD)
    scanner = _OdsScanner(_ods_common_styles(archive, members))
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    try:
        with archive.open(members["content.xml"]) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooBig as big:
        raise WorkbookError(_too_big_message(scanner.sheet, big)) from None
    except (expat.ExpatError, ValueError) as problem:
        raise WorkbookError(
            f"The spreadsheet's content is not valid XML ({problem}); open it and "
            "save it again as .xlsx or .ods."
        ) from None
    names = (
        scanner.merges.keys()
        | scanner.scales.keys()
        | scanner.hidden.keys()
        | scanner.hidden_columns.keys()
        | scanner.levels.keys()
    )
    return {
        name: _SheetScan(
            merges=scanner.merges.get(name, []),
            shown_scales=scanner.scales.get(name, {}),
            hidden_rows=scanner.hidden.get(name, set()),
            hidden_columns=scanner.hidden_columns.get(name, set()),
            outline_levels=scanner.levels.get(name, {}),
        )
        for name in names
    }


# The number formats of an .ods: a data style ('N3') may show numbers divided
# by a display factor ('#,##0,' is a factor of 1,000), and a cell style
# ('ce1') names its data style. Either may be in styles.xml or in content.xml.
_ODS_NUMBER_STYLES = ("number-style", "currency-style", "percentage-style")
_MAX_SCALED_CELLS = 100_000


@dataclass
class _OdsStyles:
    factors: dict[str, float] = field(default_factory=dict)  # data style -> factor
    cells: dict[str, str] = field(default_factory=dict)  # cell style -> data style
    data_style: str = ""  # the data style being read

    def start(self, name: str, attributes: Mapping[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag in _ODS_NUMBER_STYLES and name.startswith("number:"):
            self.data_style = attributes.get("style:name", "")
        elif name == "number:number" and self.data_style:
            factor = attributes.get("number:display-factor", "1")
            try:
                value = float(factor)
            except ValueError:
                value = 1.0
            if value > 1:
                self.factors[self.data_style] = value
        elif name == "style:style" and attributes.get("style:family") == "table-cell":
            data = attributes.get("style:data-style-name")
            if data:
                self.cells[attributes.get("style:name", "")] = data

    def factor(self, cell_style: str | None) -> float:
        if not cell_style:
            return 1.0
        return self.factors.get(self.cells.get(cell_style, ""), 1.0)


def _ods_common_styles(
    archive: zipfile.ZipFile, members: Mapping[str, str]
) -> _OdsStyles:
    """The data styles and cell styles of an .ods's styles.xml, if it has one."""
    styles = _OdsStyles()
    root = _read_xml(archive, members, "styles.xml")
    if root is None:
        return styles
    for element in root.iter():
        attributes = {_prefixed(key): value for key, value in element.attrib.items()}
        styles.start(_prefixed(element.tag), attributes)
    return styles


def _prefixed(name: str) -> str:
    """'{urn:...:datastyle:1.0}number' as content.xml writes it: 'number:number'."""
    if not name.startswith("{"):
        return name
    namespace, _, local = name[1:].partition("}")
    return f"{_ODS_PREFIXES.get(namespace, '')}:{local}"


_ODS_PREFIXES = {
    "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0": "number",
    "urn:oasis:names:tc:opendocument:xmlns:style:1.0": "style",
}


class _OdsScanner:
    """Streams an .ods content.xml, keeping the extent of each sheet's cells
    and its merges, at most one more than are filled in (so that too many
    are reported).
    """

    def __init__(self, styles: _OdsStyles | None = None) -> None:
        self.styles = styles or _OdsStyles()
        self.scales: dict[str, dict[tuple[int, int], float]] = {}
        self.column_styles: list[tuple[int, int, str]] = []  # first, last, style
        self.sheet = ""
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.column = 0  # columns before the current cell
        self.cell_repeat = 1
        self.cell_filled = False
        self.row_width = 0
        self.rows = 0
        self.columns = 0
        self.merges: dict[str, list[Merge]] = {}
        self.row_merges: list[Merge] = []  # those starting in the current row
        self.hidden: dict[str, set[int]] = {}  # row numbers, by sheet
        self.hidden_columns: dict[str, set[int]] = {}  # 0-based, by sheet
        self.levels: dict[str, dict[int, int]] = {}  # row number -> outline level
        self.group_depth = 0  # row groups open around the current row

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if name.startswith(("number:", "style:")):
            self.styles.start(name, attributes)
        elif tag == "table":
            self.sheet = attributes.get("table:name", "")
            self.row = self.rows = self.columns = 0
            self.column_styles = []
            self.group_depth = 0
        elif tag == "table-row-group":
            self.group_depth += 1
        elif tag == "table-column":
            first = self.column_styles[-1][1] + 1 if self.column_styles else 0
            count = _repeat(attributes.get("table:number-columns-repeated"))
            style = attributes.get("table:default-cell-style-name", "")
            self.column_styles.append((first, first + count - 1, style))
            if attributes.get("table:visibility") in ("collapse", "filter"):
                columns = self.hidden_columns.setdefault(self.sheet, set())
                room = max(MAX_SPECIAL_CELLS - len(columns), 0)
                columns.update(range(first, first + min(count, room)))
        elif tag == "table-row":
            self.row_repeat = _repeat(attributes.get("table:number-rows-repeated"))
            self.column = self.row_width = 0
            self.row_merges = []
            self._row_marks(attributes.get("table:visibility", "visible"))
        elif tag in ("table-cell", "covered-table-cell"):
            self.cell_repeat = _repeat(attributes.get("table:number-columns-repeated"))
            self.cell_filled = "office:value-type" in attributes
            if tag == "table-cell":
                self._merge(attributes)
                if attributes.get("office:value-type") in ("float", "currency"):
                    self._scaled(attributes.get("table:style-name"))
        elif tag == "p":
            self.cell_filled = True

    def _row_marks(self, visibility: str) -> None:
        """Note the current row (each repeat of it) if hidden or in a group."""
        if visibility in ("collapse", "filter"):
            hidden = self.hidden.setdefault(self.sheet, set())
            room = max(MAX_SPECIAL_CELLS - len(hidden), 0)
            hidden.update(
                range(self.row + 1, self.row + 1 + min(self.row_repeat, room))
            )
        if self.group_depth:
            levels = self.levels.setdefault(self.sheet, {})
            room = max(MAX_SPECIAL_CELLS - len(levels), 0)
            for number in range(
                self.row + 1, self.row + 1 + min(self.row_repeat, room)
            ):
                levels[number] = self.group_depth

    def _scaled(self, style: str | None) -> None:
        """Note a number shown scaled down, once for each repeat of it."""
        if style is None:
            style = next(
                (name for a, b, name in self.column_styles if a <= self.column <= b),
                None,
            )
        factor = self.styles.factor(style)
        if factor == 1:
            return
        found = self.scales.setdefault(self.sheet, {})
        for down in range(min(self.row_repeat, _MAX_SCALED_CELLS)):
            for across in range(min(self.cell_repeat, _MAX_SCALED_CELLS)):
                if len(found) >= _MAX_SCALED_CELLS:
                    return
                found[self.row + 1 + down, self.column + across] = factor

    def _merge(self, attributes: dict[str, str]) -> None:
        """Note a cell that spans rows or columns, once for each repeat."""
        down = _repeat(attributes.get("table:number-rows-spanned"))
        across = _repeat(attributes.get("table:number-columns-spanned"))
        if down == 1 and across == 1:
            return
        for repeat in range(self.cell_repeat):
            if not self._room():
                return
            left = self.column + repeat * across
            merge = ((self.row, left), (self.row + down - 1, left + across - 1))
            self.merges.setdefault(self.sheet, []).append(merge)
            self.row_merges.append(merge)

    def _room(self) -> bool:
        return len(self.merges.get(self.sheet, ())) <= MAX_MERGED_RANGES

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag == "table-row-group":
            self.group_depth = max(self.group_depth - 1, 0)
        elif tag in ("table-cell", "covered-table-cell"):
            self.column += self.cell_repeat
            if self.cell_filled:
                self.row_width = self.column
            self.cell_filled = False
        elif tag == "table-row":
            # A repeated row repeats its merges, each a row further down.
            repeats = min(self.row_repeat, MAX_MERGED_RANGES + 2)
            for repeat in range(1, repeats if self.row_merges else 1):
                for (top, left), (bottom, right) in self.row_merges:
                    if not self._room():
                        break
                    self.merges[self.sheet].append(
                        ((top + repeat, left), (bottom + repeat, right))
                    )
            self.row += self.row_repeat
            if self.row_width:
                self.rows = self.row
                self.columns = max(self.columns, self.row_width)
                if too_many(self.rows, self.columns):
                    raise _TooBig(self.rows, self.columns)


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else 1


# --- Binary Excel (.xlsb) -------------------------------------------------------

# Record types of the cells in an .xlsb sheet (MS-XLSB 2.3.2): those that
# give their column, and the short ones that follow the cell before them.
_XLSB_ROW = 0
_XLSB_DIMENSIONS = 0x94  # BrtWsDim: first and last row, first and last column
_XLSB_EXTENT = struct.Struct("<IIII")
_XLSB_CELLS = frozenset(range(2, 12))
_XLSB_SHORT_CELLS = frozenset(range(13, 19))
_XLSB_SHEET = re.compile(r"xl/worksheets/[^/]+\.bin$")


def _check_xlsb(archive: zipfile.ZipFile, members: Mapping[str, str]) -> None:
    """Refuse an .xlsb whose sheets reach too far, from their cell records."""
    for key, name in members.items():
        if not _XLSB_SHEET.match(key):
            continue
        try:
            with archive.open(name) as stream:
                _scan_xlsb_sheet(stream)
        except _TooBig as big:
            sheet = posixpath.basename(name).rsplit(".", 1)[0]
            raise WorkbookError(_too_big_message(sheet, big)) from None


def _scan_xlsb_sheet(stream: IO[bytes]) -> None:
    """Walk a sheet's records: a row header names the row, a cell its column."""
    buffer = b""
    position = 0
    row = column = rows = columns = 0
    while True:
        if len(buffer) - position < 16:
            chunk = stream.read(_CHUNK)
            buffer = buffer[position:] + chunk
            position = 0
            if not buffer:
                return
        record = _xlsb_record(buffer, position)
        if record is None:
            return  # a truncated record ends the scan; calamine will say more
        kind, start, size = record
        body = buffer[start : start + min(size, 4)]
        if kind == _XLSB_DIMENSIONS:
            dimensions = buffer[start : start + min(size, 16)]
            if len(dimensions) == 16:
                first_row, last_row, first_column, last_column = _XLSB_EXTENT.unpack(
                    dimensions
                )
                if first_row > last_row or first_column > last_column:
                    raise WorkbookError(
                        "A sheet of the workbook is damaged (it ends before it "
                        "starts). Open it in Excel and save it again as .xlsx."
                    )
                rows = max(rows, last_row + 1)
                columns = max(columns, last_column + 1)
        elif kind == _XLSB_ROW and len(body) == 4:
            row = int.from_bytes(body, "little")
        elif kind in _XLSB_CELLS and len(body) == 4:
            column = int.from_bytes(body, "little")
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind in _XLSB_SHORT_CELLS:
            column += 1
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        if too_many(rows, columns):
            raise _TooBig(rows, columns)
        end = start + size
        if end <= len(buffer):
            position = end
            continue
        remaining = end - len(buffer)  # a record longer than the buffer
        while remaining > 0:
            chunk = stream.read(min(remaining, _CHUNK))
            if not chunk:
                return
            remaining -= len(chunk)
        buffer, position = b"", 0


def _xlsb_record(buffer: bytes, position: int) -> tuple[int, int, int] | None:
    """A record's type, where its body starts and its size; None if cut short."""
    values = []
    for width in (2, 4):  # the type takes up to 2 bytes, the size up to 4
        value = shift = 0
        for _ in range(width):
            if position >= len(buffer):
                return None
            byte = buffer[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values[0], position, values[1]


# --- Legacy Excel (.xls) --------------------------------------------------------

# An .xls is an OLE compound file: a FAT of sectors, a directory, and the
# Workbook stream of BIFF records in it (MS-CFB, MS-XLS).
_OLE_END_OF_CHAIN = 0xFFFFFFFE
_BIFF_BOF, _BIFF_EOF, _BIFF_SHEET, _BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
# Records of cells with content, each starting with its row and column.
_BIFF_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
_BIFF_MULRK = 0x00BD  # several numbers in a row: row, first column, ..., last column
_BIFF_FORMAT, _BIFF_XF = 0x041E, 0x00E0
# A ROW record's options (at byte 12): the outline level in the low three
# bits, and a hidden row's height of zero; WSBOOL says where summary rows are.
_BIFF_ROW, _BIFF_WSBOOL = 0x0208, 0x0081
_BIFF_ROW_LEVEL, _BIFF_ROW_HIDDEN, _BIFF_SUMS_BELOW = 0x0007, 0x0020, 0x0040
_BIFF_COLINFO = 0x007D  # a run of columns' width and options
_BIFF_COLUMN_HIDDEN = 0x0001
_BIFF_NUMBERS = frozenset({0x0006, 0x0203, 0x027E, _BIFF_MULRK})  # FORMULA, NUMBER, RK
_BIFF8_DIMENSIONS = struct.Struct("<IIHH")  # first row, last + 1, the same by column
_BIFF5_DIMENSIONS = struct.Struct("<HHHH")
_BIFF_HEADER = struct.Struct("<HH")  # a record's type and size; a cell's row, column


def _check_xls(data: bytes) -> dict[str, _SheetScan]:
    """Refuse an .xls whose sheets reach too far, from its cell records; by
    sheet name, what calamine does not report: the numbers shown scaled down
    by their format (as for .xlsx), the hidden rows and the outline levels.

    calamine reads every sheet of an .xls when it opens it, so each sheet's
    extent is found first, from the BIFF records of the Workbook stream. The
    same walk reads the formats (FORMAT), the cell formats pointing to them
    (XF, numbered in order) and the cell format of each number.
    """
    stream = _ole_stream(data, ("workbook", "book"))
    if stream is None:
        raise WorkbookError(
            "The file starts like a legacy Excel workbook (.xls) but its contents "
            "could not be found; it is damaged. Open it in Excel and save it again "
            "as .xlsx."
        )
    names: dict[int, str] = {}
    sheet, rows, columns, total = "", 0, 0, 0
    formats: dict[int, float] = {}  # format number -> what numbers shown are times
    cell_formats: list[int] = []  # XF records in order: their format number
    scales: dict[str, dict[tuple[int, int], float]] = {}
    marks: dict[str, _SheetScan] = {}  # hidden rows, outline levels
    position = 0
    while position + 4 <= len(stream):
        kind, size = _BIFF_HEADER.unpack_from(stream, position)
        if kind == _BIFF_ROW and size >= 14:
            body = stream[position + 4 : position + 4 + size]
            row = int.from_bytes(body[:2], "little") + 1
            options = int.from_bytes(body[12:14], "little")
            scan = marks.setdefault(sheet, _SheetScan())
            if options & _BIFF_ROW_HIDDEN and len(scan.hidden_rows) < MAX_SPECIAL_CELLS:
                scan.hidden_rows.add(row)
            level = options & _BIFF_ROW_LEVEL
            if level and len(scan.outline_levels) < MAX_SPECIAL_CELLS:
                scan.outline_levels[row] = level
        elif kind == _BIFF_COLINFO and size >= 10:
            body = stream[position + 4 : position + 4 + size]
            first, last = _BIFF_HEADER.unpack_from(body)
            if int.from_bytes(body[8:10], "little") & _BIFF_COLUMN_HIDDEN:
                scan = marks.setdefault(sheet, _SheetScan())
                room = max(MAX_SPECIAL_CELLS - len(scan.hidden_columns), 0)
                scan.hidden_columns.update(range(first, min(last + 1, first + room)))
        elif kind == _BIFF_WSBOOL and size >= 2:
            below = bool(stream[position + 4] & _BIFF_SUMS_BELOW)
            marks.setdefault(sheet, _SheetScan()).summary_below = below
        elif kind in _BIFF_CELLS or kind == _BIFF_MULRK:
            body = stream[position + 4 : position + 4 + size]
            if len(body) >= 4:
                row, column = _BIFF_HEADER.unpack_from(body)
                if kind == _BIFF_MULRK and len(body) >= 6:
                    column = int.from_bytes(body[-2:], "little")
                rows, columns = max(rows, row + 1), max(columns, column + 1)
            if formats and len(body) >= 6 and kind in _BIFF_NUMBERS:
                found = scales.setdefault(sheet, {})
                for at, style in _biff_number_styles(kind, body):
                    number = cell_formats[style] if style < len(cell_formats) else 0
                    factor = formats.get(number, 1.0)
                    if factor != 1 and len(found) < MAX_SPECIAL_CELLS:
                        found[at] = factor
        elif kind == _BIFF_FORMAT and size >= 5:
            body = stream[position + 4 : position + 4 + size]
            factor = format_scale(_biff_format_code(body))
            if factor != 1:
                formats[int.from_bytes(body[:2], "little")] = factor
        elif kind == _BIFF_XF and size >= 4:
            body = stream[position + 4 : position + 4 + size]
            cell_formats.append(int.from_bytes(body[2:4], "little"))
        elif kind == _BIFF_DIMENSIONS and size >= 10:
            # calamine sizes a sheet by what it says its extent is.
            body = stream[position + 4 : position + 4 + size]
            first_row, last_row, first_column, last_column = (
                _BIFF8_DIMENSIONS if size >= 14 else _BIFF5_DIMENSIONS
            ).unpack_from(body)
            if first_row > last_row or first_column > last_column:
                raise WorkbookError(
                    f"The {sheet} sheet of the workbook is damaged (it ends before "
                    "it starts). Open it in Excel and save it again as .xlsx."
                )
            rows, columns = max(rows, last_row), max(columns, last_column)
        elif kind == _BIFF_SHEET and size >= 8:
            body = stream[position + 4 : position + 4 + size]
            names[int.from_bytes(body[:4], "little")] = _biff_sheet_name(body)
        elif kind == _BIFF_BOF:
            sheet, rows, columns = names.get(position, "first"), 0, 0
        if kind == _BIFF_EOF or position + 4 + size >= len(stream):
            if too_many(rows, columns):
                raise WorkbookError(
                    _too_big_message(sheet, _TooBig(rows, columns, exact=True))
                )
            total += rows * columns
            rows = columns = 0
        position += 4 + size
    if total > MAX_WORKBOOK_CELLS:
        raise WorkbookError(
            f"The workbook holds more than {MAX_WORKBOOK_CELLS:,} cells in all, so "
            "it was not read. Copy the sheets you need into a new workbook."
        )
    for name, found in scales.items():
        marks.setdefault(name, _SheetScan()).shown_scales = found
    return marks


def _biff_number_styles(
    kind: int, body: bytes
) -> Iterator[tuple[tuple[int, int], int]]:
    """((row number, column), XF number) of each number a cell record holds:
    one for NUMBER, RK and FORMULA, one per column for MULRK."""
    row, column = _BIFF_HEADER.unpack_from(body)
    if kind != _BIFF_MULRK:
        yield (row + 1, column), int.from_bytes(body[4:6], "little")
        return
    for at in range((len(body) - 6) // 6):
        start = 4 + at * 6
        yield (row + 1, column + at), int.from_bytes(body[start : start + 2], "little")


def _biff_format_code(body: bytes) -> str:
    """The code of a FORMAT record (BIFF8: number, length, flags, characters)."""
    length, flags = int.from_bytes(body[2:4], "little"), body[4]
    start = 5 + (2 if flags & 0x08 else 0) + (4 if flags & 0x04 else 0)
    wide = flags & 0x01
    text = body[start : start + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", errors="replace")


def _biff_sheet_name(body: bytes) -> str:
    """A sheet's name from its BOUNDSHEET record (BIFF8: length, flags, chars)."""
    length, wide = body[6], body[7] & 1
    text = body[8 : 8 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", errors="replace")


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """A named stream of an OLE compound file, or None if it cannot be found."""
    if len(data) < 512:
        return None
    shift = int.from_bytes(data[0x1E:0x20], "little")
    mini_shift = int.from_bytes(data[0x20:0x22], "little")
    if shift not in (9, 12) or mini_shift != 6:
        return None
    size = 1 << shift
    count = len(data) // size - 1  # whole sectors after the header

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start : start + size]

    def numbers(block: bytes) -> list[int]:
        return [
            int.from_bytes(block[i : i + 4], "little") for i in range(0, len(block), 4)
        ]

    # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT.
    fat_sectors = numbers(data[0x4C:0x200])
    difat = int.from_bytes(data[0x44:0x48], "little")
    for _ in range(count):
        if difat >= count:
            break
        entries = numbers(sector(difat))
        fat_sectors.extend(entries[:-1])
        difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors:
        if number < count:
            fat.extend(numbers(sector(number)))

    def chain(start: int, table: list[int], limit: int) -> list[int] | None:
        found: list[int] = []
        seen: set[int] = set()
        while start != _OLE_END_OF_CHAIN:
            if start >= len(table) or start in seen or len(found) > limit:
                return None
            seen.add(start)
            found.append(start)
            start = table[start]
        return found

    directory_chain = chain(int.from_bytes(data[0x30:0x34], "little"), fat, count)
    if not directory_chain:
        return None
    directory = b"".join(sector(number) for number in directory_chain)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    wanted = None
    for entry in entries:
        length = min(int.from_bytes(entry[64:66], "little"), 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")
        if entry[66] == 2 and name.lower() in names:
            wanted = entry
            break
    if wanted is None:
        return None
    start = int.from_bytes(wanted[116:120], "little")
    length = int.from_bytes(wanted[120:124], "little")
    if length > len(data):
        return None
    if length >= int.from_bytes(data[0x38:0x3C], "little"):
        sectors = chain(start, fat, count)
        if sectors is None:
            return None
        return b"".join(sector(number) for number in sectors)[:length]

    # A small stream lives in the mini stream, in 64-byte sectors of its own.
    root = entries[0]
    mini_stream_sectors = chain(int.from_bytes(root[116:120], "little"), fat, count)
    mini_fat_sectors = chain(int.from_bytes(data[0x3C:0x40], "little"), fat, count)
    if mini_stream_sectors is None or mini_fat_sectors is None:
        return None
    mini_stream = b"".join(sector(number) for number in mini_stream_sectors)
    mini_fat = numbers(b"".join(sector(number) for number in mini_fat_sectors))
    mini_sectors = chain(start, mini_fat, len(mini_stream) // 64)
    if mini_sectors is None:
        return None
    return b"".join(
        mini_stream[number * 64 : number * 64 + 64] for number in mini_sectors
    )[:length]
