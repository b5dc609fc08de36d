"""The `cpsu` command: check an upload, summarise a cost base, project it,
write the pitch's images and deck, and report actuals.

It reads files with the same reader as the app and prints either a table
for people or one JSON object for scripts. Exit codes: 0 done, 1 the input
has errors (each said on stderr) or an output file could not be written
(nothing half-written is left), 2 usage (a bad option, a file that cannot
be opened, an output that would replace files without --force).
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import math
import os
import secrets
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree

from cpsu.actuals_report import actuals_report, report_lines
from cpsu.compare import (
    Compared,
    default_quarters,
    differences,
    funding_by_fiscal_year,
    funding_notes,
    funding_table,
    month_name,
    project_all,
)
from cpsu.costs import POOLS, Behaviour, Period
from cpsu.deck import chart_png, chart_svg, pitch_deck
from cpsu.formatting import count, money, percent
from cpsu.ingest import Upload, read_upload
from cpsu.ingest.actuals_sheet import read_actuals
from cpsu.ingest.cells import text_key
from cpsu.ingest.checks import checked_workspace
from cpsu.ingest.choices import (
    DATES,
    NO_CHOICES,
    PERIOD,
    SIGNS,
    ReadChoices,
    choices_asked,
)
from cpsu.ingest.gl import GLExport, read_gl_export
from cpsu.ingest.issues import Issue, Severity
from cpsu.ingest.roster_upload import RosterUpload, read_roster_upload
from cpsu.ingest.xlsx import SheetInfo
from cpsu.mapping import apply_rules, load_rules, mapped_lines, negative_run_rate
from cpsu.pitch import narrative, pitch_case, sanity_notes
from cpsu.pitch_charts import CHART_NAMES, SlideChart, slide_charts
from cpsu.projection import (
    POOL_COLUMNS,
    TIER_KEYS,
    Projection,
    ProjectionError,
    project,
)
from cpsu.saved import starting_scenarios
from cpsu.scenario import MAX_HORIZON, MIN_HORIZON, Scenario, Workspace
from cpsu.sensitivity import (
    CpsuTarget,
    Lever,
    SteadyFall,
    assumption_lever,
    default_ranges,
    price_lever,
    solve,
    tickets_per_agent_lever,
)
from cpsu.store import ScenarioStore, StoreError, workspace_key
from cpsu.workbook import scenario_workbook

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was called wrongly; exit 2."""


class OutputError(Exception):
    """A file could not be written (a full disk, a read-only folder); exit 1."""


def _staged(path: Path, data: bytes) -> Path:
    """`data` written whole to a new hidden file beside `path`; its path.

    The file is made beside its final name so that renaming it there is one
    step of the file system: nobody ever sees a half-written file under the
    final name. On any failure the partial file is removed.
    """
    while True:
        staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            # 0o666 as any new file gets, narrowed by the user's umask.
            handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as problem:
            raise OutputError(
                f"cannot write {path}: {problem.strerror or problem}"
            ) from None
        break
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException as problem:
        staged.unlink(missing_ok=True)
        if isinstance(problem, OSError):
            raise OutputError(
                f"cannot write {path}: {problem.strerror or problem}"
            ) from None
        raise
    return staged


def _build_failure(what: str, problem: OSError | etree.SerialisationError) -> str:
    """Why building a file failed: its writer's temporary files (openpyxl puts
    each sheet in one) could not be written, as on a full disk."""
    if isinstance(problem, OSError):
        reason = problem.strerror or str(problem)
    else:
        # lxml names the failed write's errno, like IO_ENOSPC.
        name = str(problem).removeprefix("IO_")
        code = getattr(errno, name, None)
        reason = os.strerror(code) if isinstance(code, int) else str(problem)
    return (
        f"cannot build {what}: its temporary files in {tempfile.gettempdir()} "
        f"could not be written ({reason})"
    )


def _built_workbook(
    workspace: Workspace,
    scenario: Scenario,
    projection: Projection,
    others: Sequence[tuple[Scenario, Projection]],
) -> bytes:
    """The scenario workbook's bytes; an OutputError when a full disk stops it."""
    failure = None
    hook = sys.unraisablehook
    # A sheet's stream that failed is closed again when collected and fails
    # once more; that second report would print a traceback after ours.
    sys.unraisablehook = _quiet_write_failures
    try:
        try:
            return scenario_workbook(workspace, scenario, projection, others=others)
        except (OSError, etree.SerialisationError) as problem:
            failure = _build_failure("the scenario workbook", problem)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise OutputError(f"{failure}; nothing was written")


def _quiet_write_failures(unraisable: Any) -> None:
    if not isinstance(unraisable.exc_value, (OSError, etree.SerialisationError)):
        sys.__unraisablehook__(unraisable)


def write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file whole, or leave every one as it was.

    Each is written to a temporary beside it first; only when all are
    written are they renamed into place (os.replace), so a full disk or a
    file-size limit leaves neither a truncated file nor half a set. A rename
    in the same folder needs no space; should one still fail (the folder
    taken away meanwhile), the files renamed before it stay new.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((_staged(path, data), path))
        while staged:
            temporary, path = staged[0]
            try:
                os.replace(temporary, path)
            except OSError as problem:
                raise OutputError(
                    f"cannot write {path}: {problem.strerror or problem}"
                ) from None
            staged.pop(0)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def _number(value: Any) -> float | None:
    """A float for JSON, None for a missing or non-finite value."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _choices(args: argparse.Namespace) -> ReadChoices:
    """What the options say the file cannot: its dates' order, its period."""
    dates = getattr(args, "dates", None)
    period = getattr(args, "period", None)
    signs = getattr(args, "signs", None)
    return ReadChoices(
        day_first=None if dates is None else dates == "day-first",
        period=None if period is None else _PERIODS[period],
        costs_negative=None if signs is None else signs == "costs-negative",
    )


_PERIODS = {"month": Period.MONTH, "quarter": Period.QUARTER, "year": Period.YEAR}
_CHOICE_HINTS = {
    DATES: "say the order of its text dates with --dates day-first or --dates "
    "month-first",
    PERIOD: "say what its amounts cover with --period month, quarter or year",
    SIGNS: "say that it writes costs as negative amounts with --signs "
    "costs-negative (or --signs as-written to read them as they are)",
}


def _read(args: argparse.Namespace, sheet: str | None = None) -> Upload:
    path = args.file
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as problem:
        raise UsageError(f"cannot open {path}: {problem.strerror or problem}") from None
    return read_upload(data, file.name, sheet=sheet, choices=_choices(args))


def _say_issues(issues: Sequence[Issue]) -> None:
    for issue in issues:
        print(str(issue), file=sys.stderr)
    asked = choices_asked(issues)
    if asked:
        hints = " and ".join(_CHOICE_HINTS[choice] for choice in sorted(asked))
        print(f"To read the file, {hints}.", file=sys.stderr)


def _workspace(upload: Upload, path: str) -> tuple[Workspace | None, tuple[Issue, ...]]:
    """The workspace of a workbook upload, or None, with every issue found.

    A CSV has no headcount to project, an HR roster no costs and a GL export
    no pools, so each is a usage error here, saying what to do instead.
    """
    if upload.kind != "workbook" or upload.has_errors:
        _not_a_workbook(upload, path)
    if upload.kind != "workbook":
        if upload.cost_base is None:
            # Nothing could be read: the file's own problems say why.
            return None, tuple(upload.issues)
        raise UsageError(
            f"{path} holds only cost lines; this command needs a workbook with "
            "Costs and Headcount sheets (cpsu check reads a list of cost lines)"
        )
    return checked_workspace(None, upload, Path(path).name)


def _not_a_workbook(upload: Upload, path: str) -> None:
    """Raise a usage error when the file is an HR roster or a GL export."""
    data, name = _read_bytes(path), Path(path).name
    roster = read_roster_upload(data, name, None, NO_CHOICES)
    if roster.recognised:
        raise UsageError(
            f"{path} is an HR roster: it gives the headcount, not the costs. Check "
            f"it with: cpsu check {path}. To project with it, put its headcount "
            "on the Headcount sheet of a workbook with your Costs, or upload it on "
            "the Cost base page beside your cost base"
        )
    if upload.has_errors and read_gl_export(data, name).recognised:
        raise UsageError(
            f"{path} is a GL export: its postings need mapping to cost pools "
            f"first. Map it with: cpsu check {path} --mapping RULES.json, then "
            "use the mapped lines on the Cost base page"
        )


def _sheet_listing(sheets: Sequence[SheetInfo], read: str | None = None) -> str:
    """A workbook's sheets as the CLI shows them, hidden and read ones marked."""
    return ", ".join(
        f"'{sheet.name}'"
        + (" (hidden)" if sheet.hidden else "")
        + (" (read)" if read is not None and sheet.name == read else "")
        for sheet in sheets
    )


def _check_sheet(upload: Upload, args: argparse.Namespace) -> None:
    """A usage error when --sheet names a sheet the workbook does not have."""
    if args.sheet is None or not upload.sheets:
        return
    if any(text_key(sheet.name) == text_key(args.sheet) for sheet in upload.sheets):
        return
    raise UsageError(
        f"{args.file} has no sheet '{args.sheet}'; its sheets are "
        f"{_sheet_listing(upload.sheets)}. Give one of those to --sheet"
    )


def _kind(upload: Upload, path: str) -> str:
    """What a cost file is: a workbook, a CSV, or a list of cost lines only (a
    workbook sheet or page table without the template's other sheets)."""
    if upload.kind == "workbook":
        return "workbook"
    sheets = upload.sheets
    if len(sheets) == 1 and sheets[0].name == Path(path).name:
        return "csv"
    return "list"


# --- check ---------------------------------------------------------------------


def _check_lines(
    upload: Upload, workspace: Workspace | None
) -> tuple[list[dict[str, Any]], float | None]:
    """Each line with its baseline monthly cost, and the monthly run-rate."""
    if upload.cost_base is None:
        return [], None
    if workspace is not None:
        lines = project(
            workspace.cost_base, workspace.headcount, workspace.scenario
        ).baseline_lines()
        rows = [
            {
                "item": row.item,
                "pool": row.cost_pool,
                "behaviour": row.behaviour,
                "monthly": _number(row.monthly),
            }
            for row in lines.itertuples()
        ]
        return rows, _number(lines["monthly"].sum())
    if upload.kind == "workbook":
        return [], None
    # A CSV has no headcount: only fixed costs can be costed without one, and
    # the run-rate only when every line is fixed.
    rows = [
        {
            "item": line.item,
            "pool": line.pool,
            "behaviour": line.behaviour.value,
            "monthly": line.monthly_rate if line.behaviour is Behaviour.FIXED else None,
        }
        for line in upload.cost_base.lines
    ]
    costed = [row["monthly"] for row in rows]
    if rows and None not in costed:
        return rows, _number(sum(costed))
    return rows, None


# --- check of a GL export --------------------------------------------------------


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as problem:
        raise UsageError(f"cannot open {path}: {problem.strerror or problem}") from None


def _gl_report(
    args: argparse.Namespace, export: GLExport
) -> tuple[dict[str, Any], list[Issue]]:
    """The mapped lines, unmapped queue and reconciliation of a GL export."""
    rules, issues = load_rules(_read_bytes(args.mapping), Path(args.mapping).name)
    issues = [*issues, *export.issues]
    report: dict[str, Any] = {
        "file": args.file,
        "kind": "gl",
        "lines": [],
        "monthly_run_rate": None,
        "unmapped": [],
        "reconciliation": None,
    }
    if any(issue.severity is Severity.ERROR for issue in issues):
        return report, issues
    mapping = apply_rules(export, rules)
    report["lines"] = [
        {
            "item": row.item,
            "pool": row.pool,
            "behaviour": row.behaviour,
            "monthly": float(row.monthly),
        }
        for row in mapped_lines(mapping).itertuples()
    ]
    report["monthly_run_rate"] = sum(line["monthly"] for line in report["lines"])
    below_zero = negative_run_rate(mapped_lines(mapping))
    if below_zero is not None:
        issues.append(below_zero)
        report["monthly_run_rate"] = None
    report["unmapped"] = [
        {
            "account": row.account,
            "vendor": row.vendor,
            "description": row.description,
            "entries": int(row.entries),
            "total": float(row.total),
        }
        for row in mapping.unmapped().itertuples()
    ]
    report["reconciliation"] = {
        "months": len(export.months),
        "total": export.total,
        "mapped": mapping.mapped_total,
        "unmapped": mapping.unmapped_total,
        "reconciles": mapping.reconciles,
    }
    left_out = export.left_out
    if not left_out.empty:
        # Postings read but outside the months costed: the file's own total
        # is the costed total and these.
        report["reconciliation"]["left_out"] = {
            "postings": len(left_out),
            "total": export.left_out_cents / 100,
            "months": sorted({str(month) for month in left_out["month"]}),
            "file_total": (export.total_cents + export.left_out_cents) / 100,
        }
    if report["unmapped"]:
        postings = sum(group["entries"] for group in report["unmapped"])
        counted = (
            "1 posting matches" if postings == 1 else f"{postings:,} postings match"
        )
        issues.append(
            Issue(
                Severity.WARNING,
                f"{counted} no rule ({money(mapping.unmapped_total)}), so they are "
                "not in the run-rate; add rules for them, or check they are not "
                "support costs.",
                sheet=export.sheet,
            )
        )
    return report, issues


def _check_gl(args: argparse.Namespace, export: GLExport) -> int:
    """check FILE --mapping RULES.json: a GL export mapped to cost lines by rules."""
    report, issues = _gl_report(args, export)
    failed = any(issue.severity is Severity.ERROR for issue in issues)
    if args.json:
        report["issues"] = [issue.as_dict() for issue in issues]
        print(json.dumps(report, indent=2))
        if failed:
            _say_issues([i for i in issues if i.severity is Severity.ERROR])
        return EXIT_INPUT if failed else EXIT_OK

    _say_issues(issues)
    reconciliation = report["reconciliation"]
    if failed or reconciliation is None or report["monthly_run_rate"] is None:
        print(f"{args.file}: the GL export was not mapped.", file=sys.stderr)
        return EXIT_INPUT
    lines, unmapped = report["lines"], report["unmapped"]
    print(
        f"{args.file}: {len(lines)} mapped lines, each an average of "
        f"{reconciliation['months']} months"
    )
    for line in lines:
        print(
            f"  {line['item'][:40]:<40} {line['pool']:<22} {line['behaviour']:<13} "
            f"{money(line['monthly']):>14}"
        )
    print(f"Monthly run-rate: {money(report['monthly_run_rate'])}")
    if unmapped:
        print(f"Unmapped: {len(unmapped):,} account, vendor and description groups")
        for group in unmapped[:10]:
            text = f"{group['account']} | {group['vendor']} | {group['description']}"
            print(
                f"  {text[:60]:<60} {group['entries']:>6,} {money(group['total']):>14}"
            )
        if len(unmapped) > 10:
            print(f"  and {len(unmapped) - 10:,} more groups")
    agrees = "agrees" if reconciliation["reconciles"] else "DOES NOT agree"
    print(
        f"Reconciliation: mapped {money(reconciliation['mapped'])} + unmapped "
        f"{money(reconciliation['unmapped'])} = export total "
        f"{money(reconciliation['total'])} ({agrees})"
    )
    left_out = reconciliation.get("left_out")
    if left_out:
        months = left_out["months"]
        shown = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        count = left_out["postings"]
        postings = "1 posting" if count == 1 else f"{count:,} postings"
        print(
            f"  not costed: {postings} outside the months costed ({shown}), "
            f"{money(left_out['total'])}; the file's postings add up to "
            f"{money(left_out['file_total'])}"
        )
    return EXIT_OK


def _gl_without_mapping(args: argparse.Namespace) -> bool:
    """True, saying so, when a file the cost reader refused is a GL export."""
    path = args.file
    export = read_gl_export(
        _read_bytes(path), Path(path).name, sheet=args.sheet, choices=_choices(args)
    )
    if not export.recognised:
        return False
    where = "" if export.sheet == Path(path).name else f" (sheet {export.sheet})"
    message = (
        f"{path} is a GL export{where}, not a cost list: map its postings to cost "
        "pools with a rules file: "
        f"cpsu check {path} --mapping RULES.json"
    )
    if args.json:
        # Scripts read stdout: the same answer, in the shape of every check.
        report = {
            "file": path,
            "kind": "gl",
            "sheet": export.sheet,
            "lines": [],
            "monthly_run_rate": None,
            "issues": [{"severity": "error", "message": message}],
        }
        print(json.dumps(report, indent=2))
    print(message, file=sys.stderr)
    return True


# --- check of an HR roster -------------------------------------------------------


def _check_roster(args: argparse.Namespace, roster: RosterUpload) -> int:
    """check ROSTER: the people counted and the baseline headcount they make."""
    issues = list(roster.issues)
    failed = roster.has_errors or roster.headcount is None
    quarters = [] if failed else roster.headcount.rows
    if args.json:
        report = {
            "file": args.file,
            "kind": "roster",
            "sheet": roster.sheet,
            "people": roster.people,
            "baseline_quarter": quarters[0].quarter if quarters else None,
            "quarters": [
                {
                    "quarter": row.quarter,
                    "employees": row.employees,
                    "contingent": row.contingent,
                }
                for row in quarters
            ],
            "lines": [],
            "monthly_run_rate": None,
            "issues": [issue.as_dict() for issue in issues],
        }
        print(json.dumps(report, indent=2))
        if failed:
            _say_issues([i for i in issues if i.severity is Severity.ERROR])
        return EXIT_INPUT if failed else EXIT_OK

    _say_issues(issues)
    if failed:
        errors = sum(issue.severity is Severity.ERROR for issue in issues)
        counted = "1 error" if errors == 1 else f"{errors:,} errors"
        print(
            f"{args.file}: an HR roster with {counted}; nothing was counted.",
            file=sys.stderr,
        )
        return EXIT_INPUT
    where = "" if roster.sheet == Path(args.file).name else f" (sheet {roster.sheet})"
    print(
        f"{args.file}: an HR roster{where} of {count(roster.people)} people, "
        "counted on the last day of the baseline quarter"
    )
    print(f"  {'Quarter':<10} {'Employees':>10} {'Contingent':>11}")
    for row in quarters:
        print(
            f"  {row.quarter:<10} {count(row.employees):>10} "
            f"{count(row.contingent):>11}"
        )
    print(
        "A roster gives the headcount only; upload it on the Cost base page to use "
        "it with the cost base in play."
    )
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    upload = _read(args, args.sheet) if args.sheet is not None else None
    if upload is not None:
        _check_sheet(upload, args)
    if args.mapping is not None:
        export = read_gl_export(
            _read_bytes(args.file),
            Path(args.file).name,
            sheet=args.sheet,
            choices=_choices(args),
        )
        if export.recognised:
            return _check_gl(args, export)
        print(
            f"{args.file} is not a GL export (no header row with an Account, a "
            "Posting date or Period, and an Amount or Debit and Credit column), so "
            f"{args.mapping} was not used; the file was read as what it is.",
            file=sys.stderr,
        )
    # A GL export has an amount and a description, so the cost reader could take
    # it for a list of items; it needs mapping rules instead.
    elif _gl_without_mapping(args):
        return EXIT_INPUT
    if upload is None:
        upload = _read(args, args.sheet)
    if upload.has_errors and args.sheet is None:
        # Not a cost file: an HR roster uploaded alone is checked as one.
        roster = read_roster_upload(
            _read_bytes(args.file), Path(args.file).name, None, _choices(args)
        )
        if roster.recognised:
            return _check_roster(args, roster)
    workspace = None
    issues = list(upload.issues)
    if upload.kind == "workbook":
        workspace, found = checked_workspace(None, upload, Path(args.file).name)
        issues = list(found)
    lines, run_rate = _check_lines(upload, workspace)
    if upload.kind == "csv" and upload.cost_base is not None:
        issues.append(
            Issue(
                Severity.WARNING,
                "This file holds only cost lines, so costs driven by users, tickets or "
                "the baseline quarter are not costed here; check the workbook to "
                "see them.",
            )
        )
    failed = any(issue.severity is Severity.ERROR for issue in issues)

    if args.json:
        print(
            json.dumps(
                {
                    "file": args.file,
                    "kind": _kind(upload, args.file),
                    "lines": lines,
                    "monthly_run_rate": run_rate,
                    "sheets": [
                        {
                            "name": sheet.name,
                            "hidden": sheet.hidden,
                            "read": sheet.name == upload.cost_sheet,
                        }
                        for sheet in upload.sheets
                    ],
                    "issues": [issue.as_dict() for issue in issues],
                },
                indent=2,
            )
        )
        if failed:
            _say_issues([i for i in issues if i.severity is Severity.ERROR])
        return EXIT_INPUT if failed else EXIT_OK

    _say_issues(issues)
    if not failed:
        if len(upload.sheets) > 1:
            print(f"Sheets: {_sheet_listing(upload.sheets, upload.cost_sheet)}")
        print(f"{args.file}: {len(lines)} cost lines understood")
        for line in lines:
            print(
                f"  {line['item'][:40]:<40} {line['pool']:<22} {line['behaviour']:<13} "
                f"{money(line['monthly']):>14}"
            )
        print(f"Monthly run-rate: {money(run_rate)}")
    else:
        errors = sum(issue.severity is Severity.ERROR for issue in issues)
        noun = "error" if errors == 1 else "errors"
        print(f"{args.file}: {errors} {noun}; nothing was read.", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


# --- summary -------------------------------------------------------------------


def run_summary(args: argparse.Namespace) -> int:
    upload = _read(args)
    workspace, issues = _workspace(upload, args.file)
    if workspace is None:
        _say_issues(issues)
        return EXIT_INPUT
    projection = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    base = projection.baseline
    by_pool = {pool: float(base[column]) for pool, column in POOL_COLUMNS.items()}
    summary = {
        "baseline_quarter": str(base["quarter"]),
        "employees": float(base["employees"]),
        "contingent": float(base["contingent"]),
        "supported_users": float(base["supported_users"]),
        "by_pool": by_pool,
        "monthly_run_rate": float(base["monthly_opex"]),
        "cpsu": float(base["cpsu"]),
        "issues": [issue.as_dict() for issue in issues],
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return EXIT_OK
    _say_issues(issues)
    print(f"Baseline {summary['baseline_quarter']}")
    print(
        f"  Supported users   {count(summary['supported_users']):>14} "
        f"({count(summary['employees'])} employees, "
        f"{count(summary['contingent'])} contingent)"
    )
    for pool in POOLS:
        print(f"  {pool:<22}{money(by_pool[pool]):>14}")
    print(f"  {'Monthly run-rate':<22}{money(summary['monthly_run_rate']):>14}")
    print(f"  {'CPSU':<22}{money(summary['cpsu']):>14}")
    return EXIT_OK


# --- project -------------------------------------------------------------------


# The service-desk options of `project`: option, ServiceDesk field, metavar, help.
DESK_OPTIONS = (
    ("--tickets-per-user", "tickets_per_user_month", "X", "tickets per user a month"),
    ("--resolution-rate", "resolution_rate", "R", "Tier 1 resolution rate"),
    ("--deflection", "deflection", "D", "self-service deflection"),
    ("--deflection-step", "deflection_step", "S", "deflection gain a quarter"),
    ("--deflection-cap", "deflection_cap", "C", "most deflection reaches"),
)


def _scenario_from_options(base: Scenario, args: argparse.Namespace) -> Scenario:
    """The workbook's scenario with the command line's options applied."""
    scenario_changes: dict[str, Any] = {}
    desk_changes: dict[str, Any] = {}
    if args.quarters is not None:
        scenario_changes["horizon_quarters"] = args.quarters
    if args.growth is not None:
        if not -1 < args.growth <= 1:
            raise UsageError(
                f"--growth {args.growth:g} is {args.growth:.0%} a quarter; rates are "
                "fractions (0.08 is 8%) above -1 and at most 1"
            )
        scenario_changes["growth_per_quarter"] = args.growth
    for _, name, _, _ in DESK_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            desk_changes[name] = value
    try:
        desk = replace(base.service_desk, **desk_changes)
        return replace(base, service_desk=desk, **scenario_changes)
    except ValueError as problem:
        raise UsageError(str(problem)) from None


def _quarter_json(row: Any) -> dict[str, Any]:
    return {
        "quarter": str(row["quarter"]),
        "employees": float(row["employees"]),
        "contingent": float(row["contingent"]),
        "supported_users": float(row["supported_users"]),
        "tickets": float(row["tickets"]),
        "agents": {
            tier.value: float(row[f"agents_{key}"]) for tier, key in TIER_KEYS.items()
        },
        "by_pool": {pool: float(row[column]) for pool, column in POOL_COLUMNS.items()},
        "monthly_opex": float(row["monthly_opex"]),
        "cpsu": float(row["cpsu"]),
        "cpsu_change": _number(row["cpsu_change"]),
        "marginal_cost_per_user": _number(row["marginal_cost_per_user"]),
    }


def _out_path(out: str, source: str, force: bool = False) -> Path:
    """Where to write the scenario workbook: a .xlsx, never the input, and an
    existing file only with --force."""
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the scenario workbook is a .xlsx file")
    if path.exists() and path.resolve() == Path(source).resolve():
        raise UsageError(f"--out {out} is the input workbook; choose another name")
    if not path.parent.is_dir():
        raise UsageError(f"--out {out}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise UsageError(f"--out {out} is a folder; give the workbook's file name")
    if path.exists() and not force:
        raise UsageError(
            f"--out {out} already exists; give --force to replace it, or choose "
            "another name"
        )
    return path


def _projected_case(
    args: argparse.Namespace,
) -> tuple[Workspace, Scenario, Projection, tuple[Issue, ...]] | None:
    """The workbook read, the scenario its options name, its projection and
    the workbook's issues; None when the input cannot give them (each reason
    said on stderr)."""
    upload = _read(args)
    workspace, issues = _workspace(upload, args.file)
    if workspace is None:
        _say_issues(issues)
        return None
    scenario = _scenario_from_options(_named_scenario(workspace, args), args)
    try:
        projection = project(workspace.cost_base, workspace.headcount, scenario)
    except ProjectionError as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return None
    return workspace, scenario, projection, issues


def run_project(args: argparse.Namespace) -> int:
    if args.force and not args.out:
        raise UsageError("--force replaces the workbook --out names; give --out too")
    out = _out_path(args.out, args.file, args.force) if args.out else None
    projected = _projected_case(args)
    if projected is None:
        return EXIT_INPUT
    workspace, scenario, projection, issues = projected
    notes = sanity_notes(projection, scenario)

    if out is not None:
        others = _projected_others(workspace, scenario, args.company)
        workbook = _built_workbook(workspace, scenario, projection, others)
        try:
            write_files([(out, workbook)])
        except OutputError as problem:
            raise OutputError(f"{problem}; nothing was written") from None

    if args.json:
        print(
            json.dumps(
                {
                    "baseline_quarter": str(projection.baseline["quarter"]),
                    "scenario": scenario.name,
                    "horizon_quarters": scenario.horizon_quarters,
                    "growth_per_quarter": scenario.growth_per_quarter,
                    "quarters": [
                        _quarter_json(row) for _, row in projection.table.iterrows()
                    ],
                    "funding_ask": projection.funding_ask,
                    "notes": notes,
                    "issues": [issue.as_dict() for issue in issues],
                },
                indent=2,
            )
        )
        return EXIT_OK

    _say_issues(issues)
    for note in notes:
        print(f"Check: {note}", file=sys.stderr)
    print(
        f"{scenario.name}: {scenario.horizon_quarters} quarters, growth "
        f"{percent(scenario.growth_per_quarter)} a quarter"
    )
    print(
        f"{'Quarter':<8} {'Users':>10} {'Tickets':>10} {'Run-rate':>15} "
        f"{'CPSU':>10} {'Change':>8}"
    )
    for _, row in projection.table.iterrows():
        print(
            f"{row['quarter']:<8} {count(row['supported_users']):>10} "
            f"{count(round(row['tickets'])):>10} {money(row['monthly_opex']):>15} "
            f"{money(row['cpsu']):>10} {percent(row['cpsu_change'], signed=True):>8}"
        )
    print(f"Funding ask over the horizon: {money(projection.funding_ask)}")
    if out is not None:
        print(f"Scenario workbook written to {out}")
    return EXIT_OK


# --- named scenarios, compare, solve ---------------------------------------------


def _saved_scenarios(workspace: Workspace, company: str | None) -> list[Scenario]:
    """The scenarios to choose from: the company's saved ones (with --company),
    then the starting three not saved under their names."""
    saved: list[Scenario] = []
    if company is not None:
        try:
            key = workspace_key(company)
        except ValueError as problem:
            raise UsageError(f"--company: {problem}") from None
        try:
            store = ScenarioStore.in_data_dir()
            saved = [one.scenario for one in store.scenarios(key)]
            known = [] if saved else store.workspaces()
        except StoreError as problem:
            raise UsageError(str(problem)) from None
        if not saved:
            raise UsageError(_unknown_company(company, known))
    names = {scenario.name.casefold() for scenario in saved}
    starting = [
        one.scenario
        for one in starting_scenarios(workspace.scenario)
        if one.name.casefold() not in names
    ]
    return saved + starting


def _unknown_company(company: str, known: Sequence[str]) -> str:
    """Why --company names no saved scenarios, with the companies that have some."""
    said = f"--company {company!r}: no scenarios are saved for that company"
    if not known:
        return (
            f"{said}, and none for any company yet; save a scenario on the "
            "Scenarios page under the company's name, or leave out --company"
        )
    listed = ", ".join(repr(name) for name in known[:20])
    more = f" and {len(known) - 20} more" if len(known) > 20 else ""
    return (
        f"{said}; the companies with saved scenarios are {listed}{more} (names "
        "match in any case)"
    )


def _projected_others(
    workspace: Workspace, scenario: Scenario, company: str | None
) -> list[tuple[Scenario, Projection]]:
    """The scenarios to choose from other than `scenario`, with their
    projections (one that cannot be projected is left out): the scenario
    workbook shows them beside it, as the app's download does."""
    others = []
    for other in _saved_scenarios(workspace, company):
        if other.name.casefold() == scenario.name.casefold():
            continue
        try:
            others.append(
                (other, project(workspace.cost_base, workspace.headcount, other))
            )
        except ProjectionError:
            continue
    return others


def _pick(scenarios: Sequence[Scenario], name: str) -> Scenario:
    """The scenario of that name, in any case; a usage error listing the names."""
    for scenario in scenarios:
        if scenario.name.casefold() == name.strip().casefold():
            return scenario
    raise UsageError(
        f"--scenario {name!r}: there is no scenario of that name; the scenarios "
        f"are {', '.join(repr(one.name) for one in scenarios)}. Saved "
        "scenarios are found with --company NAME."
    )


def _named_scenario(workspace: Workspace, args: argparse.Namespace) -> Scenario:
    """The workbook's own scenario, or the one --scenario names."""
    if args.scenario is None:
        if args.company is not None:
            raise UsageError(
                "--company chooses where --scenario is looked up; give both"
            )
        return workspace.scenario
    return _pick(_saved_scenarios(workspace, args.company), args.scenario)


def _quarter_indexes(texts: Sequence[str] | None, horizon: int) -> list[int]:
    if not texts:
        return default_quarters(horizon)
    chosen = set()
    for text in texts:
        for part in text.split(","):
            try:
                t = int(part)
            except ValueError:
                raise UsageError(
                    f"--at {part!r}: give quarters after the baseline as whole "
                    "numbers, like --at 4,8"
                ) from None
            if not 0 <= t <= horizon:
                raise UsageError(
                    f"--at {t}: quarters run from 0 (the baseline) to {horizon}"
                )
            chosen.add(t)
    return sorted(chosen)


def run_compare(args: argparse.Namespace) -> int:
    upload = _read(args)
    workspace, issues = _workspace(upload, args.file)
    if workspace is None:
        _say_issues(issues)
        return EXIT_INPUT
    available = _saved_scenarios(workspace, args.company)
    chosen = (
        [_pick(available, name) for name in args.scenario]
        if args.scenario
        else available
    )
    if args.quarters is not None:
        chosen = [replace(one, horizon_quarters=args.quarters) for one in chosen]
    results = project_all(workspace.cost_base, workspace.headcount, chosen)
    horizon = max(one.horizon_quarters for one in chosen)
    at = _quarter_indexes(args.at, horizon)
    table = differences(results, at)
    funding = funding_table(results, args.fiscal_start)
    failed = [result for result in results if result.projection is None]

    if args.json:
        print(
            json.dumps(
                {
                    "baseline_quarter": next(
                        (
                            str(result.projection.baseline["quarter"])
                            for result in results
                            if result.projection is not None
                        ),
                        None,
                    ),
                    "fiscal_year_starts": args.fiscal_start,
                    "scenarios": [_compared_json(result, args) for result in results],
                    "differences": [
                        {
                            "quarter": row["quarter"],
                            "t": int(row["t"]),
                            "scenario": row["scenario"],
                            "cpsu": float(row["cpsu"]),
                            "cpsu_vs_first": float(row["cpsu_vs_first"]),
                            "cpsu_vs_first_share": _number(row["cpsu_vs_first_share"]),
                        }
                        for _, row in table.iterrows()
                    ],
                    "issues": [issue.as_dict() for issue in issues],
                },
                indent=2,
            )
        )
        return EXIT_INPUT if failed else EXIT_OK

    _say_issues(issues)
    for result in failed:
        print(f"Error: {result.name}: {result.problem}", file=sys.stderr)
    first = next((r.name for r in results if r.projection is not None), "")
    print(f"CPSU at chosen quarters (difference from {first})")
    print(
        f"{'Quarter':<9} {'Scenario':<22} {'Users':>10} {'Run-rate':>14} "
        f"{'CPSU':>10} {'vs ' + first[:10]:>14}"
    )
    for _, row in table.iterrows():
        print(
            f"{row['quarter']:<9} {row['scenario'][:22]:<22} "
            f"{count(row['supported_users']):>10} {money(row['monthly_opex']):>14} "
            f"{money(row['cpsu']):>10} {_signed_money(row['cpsu_vs_first']):>14}"
        )
    if not funding.empty:
        print()
        print(
            f"Funding ask by fiscal year (starting in {month_name(args.fiscal_start)})"
        )
        names = list(funding.columns)
        print(f"{'':<9}" + "".join(f" {name[:14]:>14}" for name in names))
        for year, row in funding.iterrows():
            print(
                f"{year:<9}" + "".join(f" {_money_or_blank(row[n]):>14}" for n in names)
            )
        # Part years and blank years, as the app's caption says them.
        notes = funding_notes(funding)
        if notes:
            print(textwrap.fill(notes, width=80))
    return EXIT_INPUT if failed else EXIT_OK


def _money_or_blank(value: float) -> str:
    """An amount; blank for a year past the scenario's horizon (no figure)."""
    return "" if math.isnan(value) else money(value)


def _signed_money(value: float) -> str:
    if abs(value) < 0.005:
        return money(0.0)
    return ("+" if value > 0 else "-") + money(abs(value))


def _compared_json(result: Compared, args: argparse.Namespace) -> dict[str, Any]:
    scenario = result.scenario
    if result.projection is None:
        return {"name": scenario.name, "error": result.problem}
    projection = result.projection
    return {
        "name": scenario.name,
        "horizon_quarters": scenario.horizon_quarters,
        "growth_per_quarter": scenario.growth_per_quarter,
        "quarters": [
            {
                "quarter": str(row["quarter"]),
                "supported_users": float(row["supported_users"]),
                "monthly_opex": float(row["monthly_opex"]),
                "cpsu": float(row["cpsu"]),
            }
            for _, row in projection.table.iterrows()
        ],
        "funding_ask": projection.funding_ask,
        "funding_by_fiscal_year": [
            {
                "fiscal_year": row["fiscal_year"],
                "months": int(row["months"]),
                "spend": float(row["spend"]),
                "funding_ask": float(row["funding_ask"]),
            }
            for _, row in funding_by_fiscal_year(
                projection, args.fiscal_start
            ).iterrows()
        ],
    }


# The levers `solve` can move: option value -> Assumptions field.
SOLVE_LEVERS = {
    "growth": "growth_per_quarter",
    "tickets-per-user": "tickets_per_user_month",
    "tickets-trend": "tickets_trend",
    "resolution-rate": "resolution_rate",
    "deskside-share": "deskside_share",
    "deflection": "deflection",
    "deflection-step": "deflection_step",
    "deflection-cap": "deflection_cap",
    "productivity": "productivity",
    "labour-escalation": "labour_escalation",
    "licence-escalation": "licence_escalation",
}
TICKETS_PER_AGENT = "tickets-per-agent"
PRICE_PREFIX = "price:"


def _lever(args: argparse.Namespace, workspace: Workspace) -> Lever:
    """The lever --lever names, over --low..--high or its default range."""
    name = args.lever.strip()
    low, high = args.low, args.high
    ranges = {one.assumption: one for one in default_ranges(workspace.cost_base)}
    try:
        if name in SOLVE_LEVERS:
            field = SOLVE_LEVERS[name]
            known = ranges[field]
            return assumption_lever(
                field,
                known.low if low is None else low,
                known.high if high is None else high,
            )
        if name == TICKETS_PER_AGENT:
            return tickets_per_agent_lever(
                workspace.cost_base,
                500.0 if low is None else low,
                800.0 if high is None else high,
            )
        if name.casefold().startswith(PRICE_PREFIX):
            item = name[len(PRICE_PREFIX) :].strip()
            lines = workspace.cost_base.lines
            line = next((one for one in lines if one.item == item), None) or next(
                (one for one in lines if one.item.casefold() == item.casefold()),
                None,
            )
            if line is None:
                listed = ", ".join(repr(one.item) for one in lines[:20])
                raise UsageError(
                    f"--lever {name!r}: no cost line is named {item!r}; the lines "
                    f"are {listed}" + (", ..." if len(lines) > 20 else "")
                )
            item = line.item
            now = (
                line.amount
                if line.behaviour in (Behaviour.FIXED, Behaviour.DEPRECIATION)
                else line.unit_cost
            ) or 0.0
            return price_lever(
                item,
                0.0 if low is None else low,
                2 * now if high is None else high,
            )
    except ValueError as problem:
        raise UsageError(f"--lever {name!r}: {problem}") from None
    raise UsageError(
        f"--lever {name!r} is not a lever; choose one of "
        f"{', '.join([*SOLVE_LEVERS, TICKETS_PER_AGENT])}, or price:ITEM"
    )


def _goal(args: argparse.Namespace, scenario: Scenario) -> CpsuTarget | SteadyFall:
    if args.fall is not None:
        if args.target is not None or args.quarter is not None:
            raise UsageError(
                "--fall is a goal of its own; leave out --target and --quarter"
            )
        if not 0 < args.fall < 1:
            raise UsageError(
                f"--fall {args.fall:g}: give the fall each quarter as a fraction "
                "above 0 and below 1 (0.03 is 3%)"
            )
        return SteadyFall(args.fall)
    if args.target is None:
        raise UsageError(
            "give a goal: --target CPSU (with --quarter Q) or --fall SHARE"
        )
    if not args.target > 0:
        raise UsageError(f"--target {args.target:g}: a CPSU target is above $0")
    quarter = scenario.horizon_quarters if args.quarter is None else args.quarter
    if not 0 <= quarter <= scenario.horizon_quarters:
        raise UsageError(
            f"--quarter {quarter}: quarters run from 0 (the baseline) to the "
            f"horizon, {scenario.horizon_quarters}"
        )
    return CpsuTarget(quarter, args.target)


def run_solve(args: argparse.Namespace) -> int:
    upload = _read(args)
    workspace, issues = _workspace(upload, args.file)
    if workspace is None:
        _say_issues(issues)
        return EXIT_INPUT
    scenario = _named_scenario(workspace, args)
    if args.quarters is not None:
        scenario = replace(scenario, horizon_quarters=args.quarters)
    goal = _goal(args, scenario)
    lever = _lever(args, workspace)
    try:
        solution = solve(
            workspace.cost_base, workspace.headcount, scenario, lever, goal
        )
    except ProjectionError as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return EXIT_INPUT
    except ValueError as problem:
        raise UsageError(str(problem)) from None
    reached = solution.value is not None
    if args.json:
        print(
            json.dumps(
                {
                    "scenario": scenario.name,
                    "lever": args.lever,
                    "label": lever.label,
                    "low": lever.low,
                    "high": lever.high,
                    "goal": solution.goal,
                    "current": solution.current,
                    "reached": reached,
                    "value": solution.value,
                    "bound": solution.bound or None,
                    "exact": solution.exact,
                    "margin": solution.margin,
                    "margin_unit": solution.unit,
                    "closest": None if reached else solution.best,
                    "message": solution.message,
                    "issues": [issue.as_dict() for issue in issues],
                },
                indent=2,
            )
        )
        return EXIT_OK
    _say_issues(issues)
    print(f"{scenario.name}: {solution.message}")
    return EXIT_OK


# --- the parser ----------------------------------------------------------------


# --- pitch ------------------------------------------------------------------------


def pitch_file_names() -> list[str]:
    """Every file `cpsu pitch` may write: each chart's PNG and SVG, and the deck."""
    names = [f"{chart}.{kind}" for chart in CHART_NAMES for kind in ("png", "svg")]
    return [*names, "deck.pptx"]


def _pitch_folder(out: str, force: bool = False) -> Path:
    """The folder for the pitch's files: made if missing, in a folder that
    exists; one holding files of the pitch's names only with --force."""
    if not out.strip():
        raise UsageError("--out needs a folder's name; the pitch is written to it")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {out} is a file; the pitch is written to a folder")
    held = [name for name in pitch_file_names() if (folder / name).exists()]
    # Checked before any file is replaced, so that --force never stops halfway.
    folders = [name for name in held if (folder / name).is_dir()]
    if folders:
        raise UsageError(
            f"--out {out} holds a folder named {folders[0]}, where the pitch "
            "writes a file; move it away or choose another folder"
        )
    if held and not force:
        shown = ", ".join(held[:4]) + (
            f" and {len(held) - 4} more" if len(held) > 4 else ""
        )
        raise UsageError(
            f"--out {out} already holds {shown}, which the pitch would replace; "
            "give --force to replace them, or choose a new or empty folder"
        )
    if not folder.exists():
        if not folder.parent.is_dir():
            raise UsageError(f"--out {out}: the folder {folder.parent} does not exist")
        try:
            folder.mkdir()
        except OSError as problem:
            raise UsageError(
                f"cannot make {out}: {problem.strerror or problem}"
            ) from None
    return folder


def run_pitch(args: argparse.Namespace) -> int:
    folder = _pitch_folder(args.out, args.force)
    projected = _projected_case(args)
    if projected is None:
        return EXIT_INPUT
    workspace, scenario, projection, issues = projected

    case = pitch_case(workspace, scenario, projection, fiscal_start=args.fiscal_start)
    others = [
        other
        for other in _saved_scenarios(workspace, args.company)
        if other.name.casefold() != scenario.name.casefold()
    ]
    charts = slide_charts(
        case,
        others=project_all(workspace.cost_base, workspace.headcount, others),
    )
    files: list[dict[str, Any]] = []
    contents: list[tuple[Path, bytes]] = []

    def write(name: str, data: bytes, kind: str, chart: SlideChart | None) -> None:
        path = folder / name
        contents.append((path, data))
        files.append(
            {
                "path": str(path),
                "kind": kind,
                "chart": chart.name if chart else None,
                "title": chart.title if chart else None,
                "bytes": len(data),
            }
        )

    for chart in charts:
        write(f"{chart.name}.png", chart_png(chart.spec), "png", chart)
        write(f"{chart.name}.svg", chart_svg(chart.spec), "svg", chart)
    # The deck draws its own images: a slide's heading states each finding.
    write("deck.pptx", pitch_deck(case, charts), "pptx", None)
    try:
        write_files(contents)
    except OutputError as problem:
        raise OutputError(
            f"{problem}; none of the pitch's files was written or replaced"
        ) from None

    if args.json:
        print(
            json.dumps(
                {
                    "scenario": scenario.name,
                    "out": str(folder),
                    "files": files,
                    "narrative": narrative(case),
                    "issues": [issue.as_dict() for issue in issues],
                },
                indent=2,
            )
        )
        return EXIT_OK
    _say_issues(issues)
    print(narrative(case))
    print()
    for file in files:
        print(f"  {file['path']}")
    print(f"{len(files)} files written to {folder}")
    return EXIT_OK


def _quarters(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not MIN_HORIZON <= value <= MAX_HORIZON:
        raise argparse.ArgumentTypeError(
            f"the horizon must be {MIN_HORIZON} to {MAX_HORIZON} quarters"
        )
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; write rates as fractions (0.1 is 10%)"
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _month(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a month; give 1 (January) to 12 (December)"
        ) from None
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(
            f"{value} is not a month; give 1 (January) to 12 (December)"
        )
    return value


def _money_option(text: str) -> float:
    cleaned = text.strip().lstrip("$").replace(",", "")
    value = _fraction(cleaned)
    return value


def _add_scenario_choice(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--scenario",
        metavar="NAME",
        help="start from a named scenario: Base, Conservative, Aggressive, or "
        "one saved in the app (with --company)",
    )
    command.add_argument(
        "--company",
        metavar="NAME",
        help="the company whose saved scenarios --scenario is looked up in",
    )


def _add_choices(command: argparse.ArgumentParser) -> None:
    """The options that say what a file cannot say itself."""
    command.add_argument(
        "--dates",
        choices=("day-first", "month-first"),
        help="the order of the file's text dates such as 03/04/2026, when its "
        "own dates do not show it (overrides what they show)",
    )
    command.add_argument(
        "--period",
        choices=tuple(_PERIODS),
        help="what a cost list's amounts cover, when its header does not say",
    )
    command.add_argument(
        "--signs",
        choices=("costs-negative", "as-written"),
        help="a GL export whose postings add up below zero: costs-negative reads "
        "every sign the other way, as-written reads the amounts as they are",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cpsu",
        description="Cost Per Supported User: check, summarise and project costs.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="what was understood, every issue")
    check.add_argument("file", metavar="FILE", help="a workbook (.xlsx) or CSV")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument(
        "--sheet", metavar="NAME", help="the sheet to read as Costs, by its name"
    )
    check.add_argument(
        "--mapping",
        metavar="RULES.json",
        help="map a GL export to cost lines with these rules",
    )
    _add_choices(check)
    check.set_defaults(run=run_check)

    summary = commands.add_parser("summary", help="baseline users, run-rate, CPSU")
    summary.add_argument("file", metavar="WORKBOOK")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    _add_choices(summary)
    summary.set_defaults(run=run_summary)

    projection = commands.add_parser("project", help="project CPSU quarter by quarter")
    projection.add_argument("file", metavar="WORKBOOK")
    _add_choices(projection)
    projection.add_argument(
        "--quarters",
        type=_quarters,
        metavar="N",
        help="horizon: quarters after the baseline",
    )
    projection.add_argument(
        "--growth", type=_fraction, metavar="G", help="growth a quarter"
    )
    for option, name, metavar, text in DESK_OPTIONS:
        projection.add_argument(
            option, dest=name, type=_fraction, metavar=metavar, help=text
        )
    projection.add_argument(
        "--out", metavar="FILE.xlsx", help="write the scenario workbook"
    )
    projection.add_argument(
        "--force",
        action="store_true",
        help="replace FILE.xlsx if it exists (without it, an existing file is refused)",
    )
    _add_scenario_choice(projection)
    projection.add_argument("--json", action="store_true", help="print one JSON object")
    projection.set_defaults(run=run_project)

    comparison = commands.add_parser(
        "compare", help="scenarios side by side, funding ask by fiscal year"
    )
    comparison.add_argument("file", metavar="WORKBOOK")
    _add_choices(comparison)
    comparison.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="a scenario to compare (repeat for more; the first is the one the "
        "others are measured against); by default every scenario",
    )
    comparison.add_argument(
        "--company",
        metavar="NAME",
        help="also the scenarios saved in the app for this company",
    )
    comparison.add_argument(
        "--quarters", type=_quarters, metavar="N", help="horizon of every scenario"
    )
    comparison.add_argument(
        "--at",
        action="append",
        metavar="Q[,Q...]",
        help="quarters after the baseline to compare at (default: 4 and the horizon)",
    )
    comparison.add_argument(
        "--fiscal-start",
        type=_month,
        default=1,
        metavar="MONTH",
        help="the first month of the fiscal year, 1 to 12 (default 1, January)",
    )
    comparison.add_argument("--json", action="store_true", help="print one JSON object")
    comparison.set_defaults(run=run_compare)

    solving = commands.add_parser(
        "solve", help="the value of one lever that reaches a CPSU goal"
    )
    solving.add_argument("file", metavar="WORKBOOK")
    _add_choices(solving)
    solving.add_argument(
        "--lever",
        required=True,
        metavar="LEVER",
        help=f"what may move: {', '.join([*SOLVE_LEVERS, TICKETS_PER_AGENT])}, "
        "or price:ITEM (a cost line's unit cost, or amount for a Fixed or "
        "Depreciation line)",
    )
    solving.add_argument(
        "--target", type=_money_option, metavar="CPSU", help="CPSU to reach, in dollars"
    )
    solving.add_argument(
        "--quarter",
        type=int,
        metavar="Q",
        help="the quarter after the baseline to reach --target in (default: horizon)",
    )
    solving.add_argument(
        "--fall",
        type=_fraction,
        metavar="SHARE",
        help="instead of --target: CPSU falls by at least SHARE every quarter",
    )
    solving.add_argument("--low", type=_fraction, metavar="X", help="lowest value")
    solving.add_argument("--high", type=_fraction, metavar="X", help="highest value")
    solving.add_argument(
        "--quarters", type=_quarters, metavar="N", help="horizon: quarters"
    )
    _add_scenario_choice(solving)
    solving.add_argument("--json", action="store_true", help="print one JSON object")
    solving.set_defaults(run=run_solve)

    pitching = commands.add_parser(
        "pitch", help="the pitch's chart images (PNG, SVG) and its deck"
    )
    pitching.add_argument("file", metavar="WORKBOOK")
    _add_choices(pitching)
    pitching.add_argument(
        "--out", required=True, metavar="DIR", help="the folder to write the files to"
    )
    pitching.add_argument(
        "--force",
        action="store_true",
        help="replace the pitch's files already in DIR (without it, a folder "
        "holding any of them is refused; a new or empty folder is fine)",
    )
    pitching.add_argument(
        "--quarters", type=_quarters, metavar="N", help="horizon: quarters"
    )
    pitching.add_argument(
        "--growth", type=_fraction, metavar="G", help="growth a quarter"
    )
    for option, name, metavar, text in DESK_OPTIONS:
        pitching.add_argument(
            option, dest=name, type=_fraction, metavar=metavar, help=text
        )
    pitching.add_argument(
        "--fiscal-start",
        type=_month,
        default=1,
        metavar="MONTH",
        help="the first month of the fiscal year, 1 to 12 (default 1, January)",
    )
    _add_scenario_choice(pitching)
    pitching.add_argument("--json", action="store_true", help="list the files as JSON")
    pitching.set_defaults(run=run_pitch)

    history_command = commands.add_parser(
        "actuals",
        help="CPSU by quarter from actuals, its streaks and the experience curve",
    )
    history_command.add_argument(
        "file", metavar="FILE", help="actuals: a workbook or CSV, a row per quarter"
    )
    history_command.add_argument(
        "--contingent-weight",
        type=_weight,
        default=1.0,
        metavar="W",
        help="count each contingent worker as W users (default 1)",
    )
    history_command.add_argument(
        "--json", action="store_true", help="print one JSON object"
    )
    history_command.set_defaults(run=run_actuals)
    return parser


# --- actuals -------------------------------------------------------------------


# A contingent worker is counted as a share of a user; beyond 10 users each
# the weight is a typing slip, not a policy.
MAX_CONTINGENT_WEIGHT = 10.0


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= MAX_CONTINGENT_WEIGHT:
        raise argparse.ArgumentTypeError(
            f"{text} must be from 0 to {MAX_CONTINGENT_WEIGHT:g} (a contingent "
            "worker counted as at most that many users)"
        )
    return value


def run_actuals(args: argparse.Namespace) -> int:
    """actuals FILE: CPSU by quarter, streaks, averages and the experience curve."""
    upload = read_actuals(
        _read_bytes(args.file),
        Path(args.file).name,
        contingent_weight=args.contingent_weight,
    )
    issues = list(upload.issues)
    if upload.actuals is None or upload.has_errors:
        if args.json:
            print(
                json.dumps(
                    {"file": args.file, "issues": [i.as_dict() for i in issues]},
                    indent=2,
                )
            )
        _say_issues([i for i in issues if i.severity is Severity.ERROR])
        found = sum(i.severity is Severity.ERROR for i in issues)
        noun = "error" if found == 1 else "errors"
        print(f"{args.file}: {found} {noun}; nothing was read.", file=sys.stderr)
        return EXIT_INPUT
    report = actuals_report(upload.actuals)
    report["sheet"] = upload.sheet
    report["issues"] = [issue.as_dict() for issue in issues]
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    _say_issues(issues)
    if upload.sheet and upload.sheet != Path(args.file).name:
        print(f"Read from the sheet {upload.sheet}.")
    for line in report_lines(report):
        print(line)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as problem:
        parser.exit(EXIT_USAGE, f"cpsu {args.command}: error: {problem}\n")
    except OutputError as problem:
        print(f"cpsu {args.command}: error: {problem}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader of our output (head, less) went away: stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE  # pragma: no cover - parser.exit does not return


if __name__ == "__main__":
    sys.exit(main())
