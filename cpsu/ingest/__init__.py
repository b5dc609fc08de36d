"""Reading uploads: the canonical workbook (.xlsx, .xlsb, .ods, .xls), CSVs and
HTML tables of its Costs sheet, and workbooks whose sheets are named otherwise.

An upload arrives as bytes and leaves as an `Upload`: the cost base,
headcount and scenario it holds, and every problem found, each naming its
sheet, row and column and saying what to do. Reading never raises for bad
input; `apply_upload` turns a clean upload into a new workspace.
"""

from cpsu.ingest.issues import Issue, Severity
from cpsu.ingest.upload import MAX_UPLOAD_BYTES, Upload, apply_upload, read_upload
from cpsu.ingest.xlsx import SheetInfo

__all__ = [
    "MAX_UPLOAD_BYTES",
    "Issue",
    "Severity",
    "SheetInfo",
    "Upload",
    "apply_upload",
    "read_upload",
]
