"""Time our GL import of a 100,000-row export against a bare pandas read.

Writes a deterministic (seeded) GL export workbook to a temporary folder,
then times, in this one process and several runs each, (a) a bare
`pandas.read_excel(path, engine="calamine")` and (b) our full read of the
same file into a `GLExport` (safety checks, header finding, cell parsing,
total rows). Prints the best time of each and the ratio ours / bare; the
goal is at most 1.5.

    .venv/bin/python scripts/bench_import.py [--rows 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from cpsu.ingest.gl import read_gl_export, read_gl_table
from cpsu.ingest.xlsx import read_workbook

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


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gl_export.xlsx"
        write_gl_export(path, args.rows, args.seed)
        data = path.read_bytes()
        size_mb = len(data) / (1024 * 1024)

        export = read_gl_export(data, path.name)
        assert len(export.entries) == args.rows, export.issues[:3]
        bare = best_of(args.runs, lambda: pd.read_excel(path, engine="calamine"))
        ours = best_of(args.runs, lambda: read_gl_export(path.read_bytes(), path.name))
        # Where our time goes: the safe workbook reader, then the GL columns.
        workbook = best_of(args.runs, lambda: read_workbook(data))
        table = read_workbook(data).tables[export.sheet]
        columns = best_of(args.runs, lambda: read_gl_table(table))

    print(f"{args.rows:,} rows, {size_mb:.1f} MB, best of {args.runs} runs")
    print(f"  pandas.read_excel(calamine)  {bare:7.3f} s")
    print(f"  read_gl_export               {ours:7.3f} s")
    print(f"  ratio ours / bare            {ours / bare:7.2f} (goal <= 1.5)")
    print("where our time goes:")
    print(
        f"  xlsx.read_workbook           {workbook:7.3f} s  (zip, XML scan, calamine)"
    )
    print(f"  read_gl_table                {columns:7.3f} s  (header, cells, entries)")


if __name__ == "__main__":
    main()
