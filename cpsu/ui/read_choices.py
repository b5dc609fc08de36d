"""The Cost base page's choices for what a file cannot say itself.

When an upload is refused only because its text dates never show whether
the day or the month comes first, because a cost list's amount header
does not say the period, or because a GL export's postings add up below
zero (costs written as negative amounts), the page asks, beside the
report, and reads the same bytes again with the answer. The answer is
kept in the session with the upload, so a rerun or a visit to another page
keeps it; the widgets' own keys are set from it each time they are drawn.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cpsu.costs import Period
from cpsu.ingest.choices import DATES, PERIOD, SIGNS
from cpsu.ui import state

DATES_KEY = "cost_base.dates"
PERIOD_KEY = "cost_base.period"
SIGNS_KEY = "cost_base.signs"

DATE_LABELS = {True: "day first (31/01)", False: "month first (01/31)"}
PERIOD_LABELS = {
    Period.MONTH: "Monthly",
    Period.QUARTER: "Quarterly",
    Period.YEAR: "Annual",
}
SIGN_LABELS = {
    True: "written negative (read every sign the other way)",
    False: "as written",
}


def read_choices() -> None:
    """Offer the choices the last upload needs, and read it again by them."""
    report = state.upload_report()
    if report is None or state.choice_file() is None or not report.offers_choices:
        return
    chosen = state.read_choices()
    wants_dates = DATES in report.asked or chosen.day_first is not None
    wants_period = PERIOD in report.asked or chosen.period is not None
    wants_signs = SIGNS in report.asked or chosen.costs_negative is not None
    offered = (
        (
            wants_dates,
            DATES_KEY,
            chosen.day_first,
            "Dates in this file are",
            DATE_LABELS,
            "No date in the file has a day above 12, so it cannot show whether "
            "03/04/2026 is 3 April or 4 March. The file is read again by your "
            "choice.",
        ),
        (
            wants_period,
            PERIOD_KEY,
            chosen.period,
            "The amounts in this list are",
            PERIOD_LABELS,
            "The amount column's header does not say whether the amounts are a "
            "month's, a quarter's or a year's cost. The file is read again by "
            "your choice.",
        ),
        (
            wants_signs,
            SIGNS_KEY,
            chosen.costs_negative,
            "Costs in this GL export are",
            SIGN_LABELS,
            "The postings add up to less than zero. Some finance systems write "
            "expenses as negative amounts; read so, every sign is turned the "
            "other way. Read as written, a run-rate below zero is refused.",
        ),
    )
    for wanted, key, value, label, labels, help_text in offered:
        if not wanted:
            continue
        st.session_state[key] = value
        st.radio(
            label,
            list(labels),
            format_func=labels.__getitem__,
            horizontal=True,
            key=key,
            on_change=_chosen,
            help=help_text,
        )


def _chosen() -> None:
    """Keep what the user chose; the page reads the file again by it."""
    chosen = state.read_choices()
    if DATES_KEY in st.session_state:
        chosen = replace(chosen, day_first=st.session_state[DATES_KEY])
    if PERIOD_KEY in st.session_state:
        chosen = replace(chosen, period=st.session_state[PERIOD_KEY])
    if SIGNS_KEY in st.session_state:
        chosen = replace(chosen, costs_negative=st.session_state[SIGNS_KEY])
    st.session_state[state.PENDING_CHOICES] = chosen


def apply_pending_choices() -> None:
    """Read the last upload again by the choices just made, once."""
    pending = st.session_state.pop(state.PENDING_CHOICES, None)
    if pending is not None:
        state.choose(pending)
