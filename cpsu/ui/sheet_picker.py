"""The Cost base page's sheet picker, kept across page switches.

The uploader forgets its file when the user goes to another page, so the
workbook's bytes, the upload's report and the pick are kept in the session:
back on the Cost base page the picker shows the sheet in use and can still
read another one.
"""

from __future__ import annotations

import streamlit as st

from cpsu.ui import state
from cpsu.ui.sheets import cost_sheet_choices, sheet_label
from cpsu.ui.text import plain

PICK_ONE = "Pick a sheet"


def sheet_picker() -> None:
    """Pick the sheet of the last workbook to read the cost lines from.

    Shown while the last upload is a workbook with more than one sheet to
    offer; reads the picked sheet (once per pick) and says which sheet the
    cost lines in use come from.
    """
    stored, report = state.last_file(), state.upload_report()
    if stored is None or report is None or not report.sheets:
        return
    default = report.reader_sheet
    offered = cost_sheet_choices(report.sheets, default)
    if len(offered) < 2:
        return
    labels: dict[str | None, str] = {info.name: sheet_label(info) for info in offered}
    if default is None:
        labels = {None: PICK_ONE, **labels}
    if st.session_state.get(state.SHEET_PICK, "") not in labels:
        st.session_state[state.SHEET_PICK] = report.sheet or default
    picked = st.session_state[state.SHEET_PICK]
    state.accept_upload(
        stored.file_id,
        stored.file_name,
        stored.data,
        sheet=None if picked == default else picked,
        choices=state.read_choices(),
    )

    st.selectbox(
        "Sheet to read the cost lines from",
        list(labels),
        format_func=lambda name: labels[name],
        key=state.SHEET_PICK,
        help=(
            "This workbook has several sheets that could hold the cost lines; "
            "the reader took the one at the top. Hidden sheets are marked."
        ),
    )
    report = state.upload_report()
    if report is None or picked is None:
        return
    if report.accepted:
        st.caption(f"The cost lines in use come from the sheet {plain(picked)}.")
    else:
        st.caption(
            f"The sheet {plain(picked)} could not be used (see below); the cost "
            f"lines in use are still those of {plain(state.workspace().source)}."
        )
