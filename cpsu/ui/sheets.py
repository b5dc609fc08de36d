"""Which sheet of a workbook holds the cost lines: the Cost base page's picker.

A budget workbook can hold several cost tables (this year's and last year's
budget, a hidden draft) beside the sheets that are not cost lines at all
(Headcount, Service desk, Assumptions, the Projection of a scenario
workbook). The picker offers the cost tables first, the one the reader took
at the top, hidden sheets marked, then any other table the reader could not
place; it never offers a sheet that is not cost lines. Which sheet the reader
took is the reader's to say (`Upload.cost_sheet`), never worked out again
here. The picker itself is in `cpsu.ui.sheet_picker`.
"""

from __future__ import annotations

from collections.abc import Sequence

from cpsu.ingest.cells import text_key
from cpsu.ingest.xlsx import COSTS_KIND, UNKNOWN_KIND, SheetInfo

# Sheets that are never cost lines: the canonical workbook's other inputs and
# what the scenario workbook adds, by name key.
_NOT_COSTS = {
    "headcount",
    "servicedesk",
    "assumptions",
    "projection",
    "summary",
    "scenarios",
    "checks",
    "linechanges",
    "linecosts",
    "sources",
}


def cost_sheet_choices(
    sheets: Sequence[SheetInfo], default: str | None = None
) -> tuple[SheetInfo, ...]:
    """The sheets a user may read cost lines from, in the order to offer them:
    `default` (the sheet the reader took, `Upload.cost_sheet`), the other
    visible cost tables, the hidden ones, then other tables the reader could
    not tell the kind of."""
    usable = [
        info
        for info in sheets
        if info.name == default
        or (
            info.has_table
            and info.kind in (COSTS_KIND, UNKNOWN_KIND)
            and text_key(info.name) not in _NOT_COSTS
        )
    ]
    return tuple(
        sorted(
            usable,
            key=lambda info: (
                info.name != default,
                info.kind != COSTS_KIND,
                info.hidden,
            ),
        )
    )


def sheet_label(info: SheetInfo) -> str:
    """A sheet as the picker shows it: its name, and what sets it apart."""
    notes = []
    if info.hidden:
        notes.append("hidden")
    if info.kind != COSTS_KIND:
        notes.append("no cost lines recognised")
    return f"{info.name} ({', '.join(notes)})" if notes else info.name
