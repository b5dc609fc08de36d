"""Time our GL import, and our cost-list import, of 100,000 rows against a bare
pandas read.

Writes a deterministic (seeded) GL export workbook to a temporary folder,
then times, in this one process, taking turns run by run so that a busy
machine slows both alike:

- a bare `pandas.read_excel(path, engine="calamine")`, the baseline;
- `read_gl_export`, our full read into a `GLExport` (safety checks, header
  finding, cell parsing, total rows);
- the upload as the app reads it: the cost-workbook reader first, which
  finds it is not one, then the GL reader, each as the app calls them.

Prints the best time of each and its ratio to the baseline; the goal is at
most 1.5.

Then the same for a seeded list of items and amounts (the plain cost list most
IT managers keep, or an expense export of vendor and amount) as a workbook:
a bare `pandas.read_excel(engine="calamine")` against the upload as the app
reads it (`read_upload`, which finds the list and its subtotals). Its goal is
at most LIST_RATIO_GOAL.

    .venv/bin/python scripts/bench_import.py [--rows 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export, read_gl_table
from cpsu.ingest.xlsx import forget_last_workbook, read_workbook

try:
    from bench_common import Goal, best_of_each
except ImportError:  # imported as scripts.bench_import, as the tests do
    from scripts.bench_common import Goal, best_of_each

RATIO_GOAL = 1.5
# A list's reader makes several passes over each row where the GL reader makes
# one (totals above their lines, subtotals below them, notes of scale), so its
# goal is wider: it measured 9x to 15x on a busy 2-core machine, the bare read
# varying most. Reading the list in the square of its rows, as it once did,
# would be near a thousand times.
LIST_RATIO_GOAL = 20

HEADER = [
    "Posting date",
    "Period",
    "Account",
    "Account name",
    "Cost centre",
    "Vendor",
    "Description",
    "Amount",
]
ACCOUNTS = {
    6110: "Software subscriptions",
    6120: "Software maintenance",
    6150: "Cloud services",
    6210: "Contractors - IT",
    6220: "Managed services",
    6310: "Hardware < capitalisation",
    6410: "Telecoms",
    7100: "Travel",
}
VENDORS = ["Microsoft", "Atlassian", "Zoom", "ServiceNow", "Dell", "Acme MSP", "AWS"]
WORDS = ["licence", "renewal", "support", "laptop", "monthly", "fee", "tickets"]


def write_gl_export(path: Path, rows: int, seed: int = 2026) -> None:
    """A GL export of `rows` postings over twelve months, the same for one seed."""
    chance = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("GL detail")
    sheet.append(["GL detail export, FY2026"])
    sheet.append([])
    sheet.append(HEADER)
    start = date(2026, 1, 1)
    for _ in range(rows):
        day = start + timedelta(days=chance.randrange(365))
        account = chance.choice(list(ACCOUNTS))
        sheet.append(
            [
                day,
                day.year * 100 + day.month,
                account,
                ACCOUNTS[account],
                f"CC{chance.randrange(100, 120)}",
                chance.choice(VENDORS),
                " ".join(chance.sample(WORDS, 3)),
                round(chance.uniform(-500, 5000), 2),
            ]
        )
    book.save(path)


def write_cost_list(path: Path, rows: int, seed: int = 2026) -> None:
    """A list of `rows` items and their monthly costs, the same for one seed."""
    chance = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Costs")
    sheet.append(["Item", "Vendor", "Monthly cost"])
    for number in range(rows):
        vendor = chance.choice(VENDORS)
        sheet.append(
            [
                f"{chance.choice(WORDS)} {number}",
                vendor,
                round(chance.uniform(5, 5000), 2),
            ]
        )
    book.save(path)


def as_the_app_reads(data: bytes, name: str) -> None:
    """The reads the app makes of an upload that is a GL export."""
    upload = read_upload(data, name)
    assert upload.has_errors  # not the cost workbook
    export = read_gl_export(data, name)
    assert export.recognised


def measure(rows: int = 100_000, runs: int = 5, seed: int = 2026) -> list[Goal]:
    """Time the import of a `rows`-row export; print the details and return the
    goals: our read and the app's, each against the bare read."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gl_export.xlsx"
        write_gl_export(path, rows, seed)
        data = path.read_bytes()
        size_mb = len(data) / (1024 * 1024)

        export = read_gl_export(data, path.name)
        assert len(export.entries) == rows, export.issues[:3]
        table = read_workbook(data).tables[export.sheet]
        best = best_of_each(
            runs,
            {
                "bare": lambda: pd.read_excel(path, engine="calamine"),
                "gl": lambda: read_gl_export(path.read_bytes(), path.name),
                "app": lambda: as_the_app_reads(path.read_bytes(), path.name),
                "workbook": lambda: read_workbook(data),
                "columns": lambda: read_gl_table(table),
            },
            # each run reads the file afresh
            before_each=forget_last_workbook,
        )

    bare = best["bare"]
    lines = [
        ("pandas.read_excel(calamine)", bare, "baseline"),
        ("read_gl_export", best["gl"], f"{best['gl'] / bare:.2f}x"),
        ("upload as the app reads it", best["app"], f"{best['app'] / bare:.2f}x"),
    ]
    parts = [
        ("xlsx.read_workbook", best["workbook"], "zip, XML scan, calamine"),
        ("read_gl_table", best["columns"], "header, cells, entries"),
    ]
    print(f"GL import: {rows:,} rows, {size_mb:.1f} MB, best of {runs} runs")
    for label, seconds, note in lines:
        print(f"  {label:<30}{seconds:7.3f} s   {note}")
    print(f"  goal: at most {RATIO_GOAL:g}x")
    print("where read_gl_export's time goes:")
    for label, seconds, note in parts:
        print(f"  {label:<30}{seconds:7.3f} s   {note}")
    baseline = f"pandas.read_excel(calamine), {rows:,} rows"
    return [
        Goal(
            f"import <= {RATIO_GOAL:g}x",
            f"read_gl_export, {rows:,} rows",
            best["gl"],
            baseline,
            bare,
            limit=RATIO_GOAL,
        ),
        Goal(
            f"import <= {RATIO_GOAL:g}x",
            f"upload as the app reads it, {rows:,} rows",
            best["app"],
            baseline,
            bare,
            limit=RATIO_GOAL,
        ),
    ]


def measure_list(rows: int = 100_000, runs: int = 3, seed: int = 2026) -> list[Goal]:
    """Time the upload of a `rows`-line cost list as the app reads it; print the
    details and return its goal against the bare read."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cost_list.xlsx"
        write_cost_list(path, rows, seed)
        data = path.read_bytes()
        size_mb = len(data) / (1024 * 1024)

        upload = read_upload(data, path.name)
        assert upload.cost_base is not None, upload.issues[:3]
        assert len(upload.cost_base.lines) == rows
        best = best_of_each(
            runs,
            {
                "bare": lambda: pd.read_excel(path, engine="calamine"),
                "app": lambda: read_upload(path.read_bytes(), path.name),
            },
            before_each=forget_last_workbook,
        )

    bare, app = best["bare"], best["app"]
    print(f"Cost-list import: {rows:,} lines, {size_mb:.1f} MB, best of {runs} runs")
    print(f"  {'pandas.read_excel(calamine)':<30}{bare:7.3f} s   baseline")
    print(f"  {'upload as the app reads it':<30}{app:7.3f} s   {app / bare:.2f}x")
    print(f"  goal: at most {LIST_RATIO_GOAL:g}x")
    return [
        Goal(
            f"list import <= {LIST_RATIO_GOAL:g}x",
            f"cost list as the app reads it, {rows:,} lines",
            app,
            f"pandas.read_excel(calamine), {rows:,} rows",
            bare,
            limit=LIST_RATIO_GOAL,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    measure(args.rows, args.runs, args.seed)
    measure_list(args.rows, args.runs, args.seed)


if __name__ == "__main__":
    main()
