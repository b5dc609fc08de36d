"""Session state shared by the pages, under page-independent keys.

The workspace is the last good upload (the sample until the user uploads a
file of their own); a bad upload never replaces it. An upload is read once
per file, sheet and choice (the order of its dates, the period of its
amounts), with a progress bar; the file's bytes stay in the session while a
sheet or a choice can still be changed, so a page switch loses neither. The
scenario's sliders keep their values in session state, so switching pages,
downloading a file or rerunning never resets them; a newly accepted upload
sets them to the scenario its workbook carries. The sliders are applied over
a basis scenario (the one last set: the workbook's, or a saved one chosen on
Scenarios), which gives the scenario its name and its line changes. Values
the program writes to the sliders (a scenario chosen, changes discarded) hold
against a rerun the browser asked for before it drew them, which carries the
values the sliders showed before (see `SliderSet`).
"""

from __future__ import annotations

import re
import time
import weakref
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from cpsu.costs import CostBase, CostLine
from cpsu.formatting import percent
from cpsu.ingest import Upload, apply_upload, read_upload
from cpsu.ingest.cells import text_key
from cpsu.ingest.checks import checked_workspace, projection_issues
from cpsu.ingest.choices import NO_CHOICES, ReadChoices, choices_asked
from cpsu.ingest.gl import GLExport, read_gl_export
from cpsu.ingest.issues import Issue
from cpsu.ingest.progress import part, reporting
from cpsu.ingest.roster_upload import RosterUpload, read_roster_upload
from cpsu.ingest.xlsx import SheetInfo
from cpsu.mapping import has_mapped_per_user, reprice_per_user
from cpsu.projection import Projection, ProjectionError
from cpsu.scenario import Scenario, Workspace
from cpsu.share import ShareLinkError, share_query
from cpsu.ui import oplog
from cpsu.ui.projections import projection_of
from cpsu.ui.sheets import cost_sheet_choices
from cpsu.ui.text import plain

SAMPLE_PATH = (
    Path(__file__).resolve().parents[2] / "sample_data" / "sample_company.xlsx"
)
TEMPLATE_PATH = (
    Path(__file__).resolve().parents[2] / "sample_data" / "cpsu_template.xlsx"
)

WORKSPACE = "workspace"
GL_EXPORT = "gl_export"
RULES = "mapping_rules"
UPLOAD_REPORT = "upload_report"
LAST_UPLOAD_ID = "last_upload_id"
LAST_FILE = "last_workbook_file"  # kept while its sheet picker is offered
CHOICE_FILE = "last_choice_file"  # kept while its read choices are offered
READ_CHOICES = "read_choices"  # the user's choices for the last upload
PENDING_CHOICES = "pending_read_choices"  # just made, read on this run
SHEET_PICK = "cost_base.sheet"

# Slider keys, and how each reads from and writes to a scenario: the owner is
# the Scenario itself, its service desk or its cost levers.
GROWTH = "scenarios.growth"
HORIZON = "scenarios.horizon"
CONTINGENT_SHARE = "scenarios.contingent_share"
TICKETS_PER_USER = "scenarios.tickets_per_user"
TICKETS_TREND = "scenarios.tickets_trend"
RESOLUTION_RATE = "scenarios.resolution_rate"
DESKSIDE_SHARE = "scenarios.deskside_share"
DEFLECTION = "scenarios.deflection"
DEFLECTION_STEP = "scenarios.deflection_step"
DEFLECTION_CAP = "scenarios.deflection_cap"
CONTINGENT_WEIGHT = "scenarios.contingent_weight"
PRODUCTIVITY = "scenarios.productivity"
LABOUR_ESCALATION = "scenarios.labour_escalation"
LICENCE_ESCALATION = "scenarios.licence_escalation"

SCENARIO_FIELDS: dict[str, tuple[str, str]] = {
    GROWTH: ("scenario", "growth_per_quarter"),
    HORIZON: ("scenario", "horizon_quarters"),
    CONTINGENT_SHARE: ("scenario", "contingent_share"),
    TICKETS_PER_USER: ("desk", "tickets_per_user_month"),
    TICKETS_TREND: ("desk", "tickets_trend"),
    RESOLUTION_RATE: ("desk", "resolution_rate"),
    DESKSIDE_SHARE: ("desk", "deskside_share"),
    DEFLECTION: ("desk", "deflection"),
    DEFLECTION_STEP: ("desk", "deflection_step"),
    DEFLECTION_CAP: ("desk", "deflection_cap"),
    CONTINGENT_WEIGHT: ("desk", "contingent_weight"),
    PRODUCTIVITY: ("levers", "productivity"),
    LABOUR_ESCALATION: ("levers", "labour_escalation"),
    LICENCE_ESCALATION: ("levers", "licence_escalation"),
}

# Levers that may be left to the data (None in the scenario): each has a
# toggle that says whether the slider's value is used at all.
OVERRIDE_TOGGLES: dict[str, str] = {
    CONTINGENT_SHARE: "scenarios.contingent_share.on",
    LABOUR_ESCALATION: "scenarios.labour_escalation.on",
    LICENCE_ESCALATION: "scenarios.licence_escalation.on",
}
# Where an override is off, its slider starts from these (the middle of the
# usual pay rises and list-price rises); the contingent share starts from the
# baseline headcount's own.
OVERRIDE_STARTS: dict[str, float] = {
    LABOUR_ESCALATION: 0.035,
    LICENCE_ESCALATION: 0.05,
}

# Every key a scenario sets: its sliders and the override toggles.
SLIDER_KEYS: tuple[str, ...] = (*SCENARIO_FIELDS, *OVERRIDE_TOGGLES.values())

# The values the program last wrote to the sliders (a scenario chosen, changes
# discarded, a reset, an upload), until the browser shows that it drew them.
SLIDERS_SET = "scenarios.sliders_set"
# How long after the sliders were drawn with written values a rerun that
# carries the values they showed before is still taken as sent before the
# browser drew them, when nothing else in it says so (see `SliderSet`).
STALE_SECONDS = 1.0

# The scenario the sliders are applied over: its name and its line changes,
# which no slider shows.
SCENARIO_BASIS = "scenarios.basis"
# The sliders' scenario just before new data replaced it (an upload's
# workbook, or the sample again), until the scenario library has kept it as
# the unsaved changes of the company left.
SLIDERS_BEFORE = "scenarios.before_new_data"


@dataclass(frozen=True)
class UploadReport:
    """What happened to the last upload, for the Cost base page to show."""

    file_name: str
    accepted: bool
    issues: tuple[Issue, ...]
    kind: str
    sheets: tuple[SheetInfo, ...] = ()
    sheet: str | None = None  # the sheet picked to read as Costs, if any
    reader_sheet: str | None = None  # the sheet the reader takes unpicked
    file_id: str | None = None
    choices: ReadChoices = NO_CHOICES  # what the user said the file cannot
    asked: frozenset[str] = frozenset()  # the choices that settle every error
    read_label: str = ""  # what the progress bar said when the read was done

    @property
    def offers_choices(self) -> bool:
        """True while the page should offer the choices for this file."""
        return bool(self.asked) or self.choices.any


@dataclass(frozen=True, eq=False)
class StoredFile:
    """An uploaded workbook kept in the session, so that another of its sheets
    can be read after the uploader has forgotten it (on a page switch)."""

    file_id: str
    file_name: str
    data: bytes


@dataclass(frozen=True)
class SliderSet:
    """Values the program wrote to the sliders, not yet seen drawn by the browser.

    A browser sends the values its widgets show with every rerun it asks for,
    and Streamlit takes them over the values in session state. A rerun asked
    for before the browser drew the written values (a slider moved at once
    after a scenario was chosen) carries the values the sliders showed before,
    and would put them back in the middle of a scenario switch. `stale` holds,
    by key, the values the browser may still show; `written` what each key was
    set to. A rerun in which some written key comes back as written shows the
    browser has drawn them; one in which written keys come back with stale
    values (or moved), none as written, was sent before. A slider moved by the
    user to exactly a stale value, with nothing else written, looks the same:
    such a move is taken only once the browser has drawn the written values
    for `STALE_SECONDS`.
    """

    written: dict[str, object]
    stale: dict[str, frozenset[object]]
    drawn_at: float | None = None  # when a run first drew the sliders after it


def _slider_set() -> SliderSet | None:
    return st.session_state.get(SLIDERS_SET)


def _same(one: object, other: object) -> bool:
    """Equal values: a toggle's True is not a slider's 1.0."""
    return isinstance(one, bool) == isinstance(other, bool) and one == other


def _in(value: object, values: frozenset[object]) -> bool:
    return any(_same(value, known) for known in values)


def _browser_values() -> dict[str, object]:
    return {key: st.session_state.get(key) for key in SLIDER_KEYS}


def _settled(
    values: dict[str, object], written: SliderSet | None
) -> tuple[dict[str, object], bool]:
    """The sliders' values this run should use, and whether the browser has
    drawn the last written values (the record can then go).

    A rerun sent before the browser drew the written values gets them back,
    a slider moved in it too: that move was made on values about to change.
    """
    if written is None:
        return values, False
    seen = any(_same(values[key], value) for key, value in written.written.items())
    if written.drawn_at is not None and (
        seen or time.monotonic() - written.drawn_at > STALE_SECONDS
    ):
        return values, True
    if seen or not any(_in(values[key], written.stale[key]) for key in written.written):
        return values, False
    return {**values, **written.written}, False


def slider_state() -> dict[str, object]:
    """The sliders' values as this run takes them: a value sent by the browser
    before it drew the values last written is not taken."""
    return _settled(_browser_values(), _slider_set())[0]


def settle_sliders() -> frozenset[str]:
    """Put the sliders' values this run takes in session state, so that the
    browser is sent them; the keys so written (every key last written, while
    the browser has not shown that it drew them)."""
    written = _slider_set()
    if written is None:
        return frozenset()
    values, drawn = _settled(_browser_values(), written)
    if drawn:
        # The browser shows what it sent: sending it back would reset a
        # slider the user is still moving (key presses in flight are lost).
        st.session_state.pop(SLIDERS_SET, None)
        return frozenset()
    for key in written.written:
        st.session_state[key] = values[key]
    return frozenset(written.written)


def sliders_drawn() -> None:
    """Note that a run drew the sliders with the values last written."""
    written = _slider_set()
    if written is not None and written.drawn_at is None:
        st.session_state[SLIDERS_SET] = replace(written, drawn_at=time.monotonic())


def _note_written(before: dict[str, object]) -> None:
    """Remember the values just written over `before` (the browser's), with
    every value the browser may still show for each key."""
    earlier = _slider_set()
    if earlier is not None and any(
        _same(before.get(key), value) for key, value in earlier.written.items()
    ):
        earlier = None  # the browser drew those: it shows `before`
    written: dict[str, object] = {}
    stale: dict[str, frozenset[object]] = {}
    for key in SLIDER_KEYS:
        value = st.session_state.get(key)
        shown = {before.get(key)}
        if earlier is not None and key in earlier.written:
            shown |= {earlier.written[key], *earlier.stale[key]}
        shown = {known for known in shown if known is not None}
        shown = {known for known in shown if not _same(known, value)}
        if shown and value is not None:
            written[key] = value
            stale[key] = frozenset(shown)
    if written:
        st.session_state[SLIDERS_SET] = SliderSet(written, stale)
    else:
        st.session_state.pop(SLIDERS_SET, None)


@st.cache_resource(show_spinner=False)
def sample_workspace() -> Workspace:
    """The bundled sample company, read through the same reader as any upload."""
    upload = read_upload(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name)
    if upload.has_errors:
        problems = "; ".join(str(issue) for issue in upload.issues)
        raise RuntimeError(f"The bundled sample cannot be read: {problems}")
    return apply_upload(None, upload, "Sample company (Quillfern Analytics)")


def _owner(scenario: Scenario, owner: str) -> object:
    if owner == "scenario":
        return scenario
    if owner == "desk":
        return scenario.service_desk
    return scenario.levers


def slider_values(scenario: Scenario) -> dict[str, float | int | bool | None]:
    """The slider values that show a scenario; an override left to the data
    is its toggle off and its value None."""
    values: dict[str, float | int | bool | None] = {}
    for key, (owner, name) in SCENARIO_FIELDS.items():
        value = getattr(_owner(scenario, owner), name)
        values[key] = value
        if key in OVERRIDE_TOGGLES:
            values[OVERRIDE_TOGGLES[key]] = value is not None
    return values


def override_start(key: str) -> float:
    """Where an override's slider starts when the data's own value is in use."""
    if key == CONTINGENT_SHARE:
        baseline = workspace().headcount.baseline
        people = baseline.employees + baseline.contingent
        return baseline.contingent / people if people else 0.0
    return OVERRIDE_STARTS[key]


def set_sliders(scenario: Scenario) -> None:
    """Move every slider to a scenario's values; the scenario becomes their basis.

    An override left to the data turns its toggle off and keeps the slider
    where it was, ready for the next time it is turned on.
    """
    before = _browser_values()
    for key, value in slider_values(scenario).items():
        if value is None:
            if st.session_state.get(key) is None:
                st.session_state[key] = override_start(key)
            continue
        st.session_state[key] = value
    st.session_state[SCENARIO_BASIS] = scenario
    _note_written(before)


def set_line_changes(scenario: Scenario) -> None:
    """Keep the line changes of `scenario` (the editor's result) in the basis
    the sliders apply over; the library saves them with the scenario."""
    st.session_state[SCENARIO_BASIS] = replace(
        scenario_basis(), changes=scenario.changes
    )


def reset_sliders(scenario: Scenario) -> None:
    """Move the sliders to a scenario's values, keeping the basis's name and
    line changes (the scenario on screen stays the one chosen)."""
    basis = scenario_basis()
    set_sliders(replace(scenario, name=basis.name, changes=basis.changes))


def init_session() -> None:
    """Set the session's defaults once: the sample, and sliders to its scenario."""
    st.session_state.setdefault(GL_EXPORT, None)
    st.session_state.setdefault(RULES, ())
    if WORKSPACE not in st.session_state:
        st.session_state[WORKSPACE] = sample_workspace()
    st.session_state.setdefault(UPLOAD_REPORT, None)
    st.session_state.setdefault(LAST_UPLOAD_ID, None)
    st.session_state.setdefault(LAST_FILE, None)
    st.session_state.setdefault(CHOICE_FILE, None)
    st.session_state.setdefault(READ_CHOICES, NO_CHOICES)
    if SCENARIO_BASIS not in st.session_state:
        set_sliders(st.session_state[WORKSPACE].scenario)


def workspace() -> Workspace:
    return st.session_state[WORKSPACE]


def scenario_basis() -> Scenario:
    """The scenario the sliders are applied over (its name and line changes)."""
    return st.session_state.get(SCENARIO_BASIS) or workspace().scenario


def current_scenario() -> Scenario:
    """The basis scenario with the sliders' values applied."""
    base = scenario_basis()
    values = slider_state()
    changes: dict[str, dict[str, object]] = {"scenario": {}, "desk": {}, "levers": {}}
    for key, (owner, name) in SCENARIO_FIELDS.items():
        if key not in st.session_state:
            continue
        value = values[key]
        toggle = OVERRIDE_TOGGLES.get(key)
        if toggle is not None and not values.get(toggle, False):
            value = None
        changes[owner][name] = value
    desk = replace(base.service_desk, **changes["desk"])
    levers = replace(base.levers, **changes["levers"])
    return replace(base, service_desk=desk, levers=levers, **changes["scenario"])


def keep_share_address(scenario: Scenario) -> None:
    """Keep the page's address carrying the scenario's share link, so that a
    reload opens the scenario in progress again; a scenario no link can carry
    leaves the address as it is."""
    try:
        query = share_query(scenario, workspace().scenario)
    except ShareLinkError:
        return
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in query.items()}:
        st.query_params.from_dict(query)


def upload_file(file_id: str, file_name: str, data: bytes) -> None:
    """Read a newly uploaded file, with the sheets the reader chooses.

    The same file on a rerun is not read again: the sheet picker reads it
    again when another sheet is picked.
    """
    last = st.session_state.get(LAST_UPLOAD_ID)
    if last is not None and last[0] == file_id:
        return
    st.session_state.pop(SHEET_PICK, None)
    st.session_state[LAST_FILE] = None
    st.session_state[CHOICE_FILE] = None
    st.session_state[READ_CHOICES] = NO_CHOICES
    accept_upload(file_id, file_name, data)
    report = upload_report()
    if report is None:
        return
    if len(cost_sheet_choices(report.sheets, report.reader_sheet)) > 1:
        st.session_state[LAST_FILE] = StoredFile(file_id, file_name, data)
    if report.offers_choices:
        st.session_state[CHOICE_FILE] = StoredFile(file_id, file_name, data)


def read_choices() -> ReadChoices:
    """The user's choices for the last upload."""
    return st.session_state.get(READ_CHOICES, NO_CHOICES)


def choice_file() -> StoredFile | None:
    """The last upload, while the page offers choices for it (or a sheet)."""
    return st.session_state.get(CHOICE_FILE) or st.session_state.get(LAST_FILE)


def choose(choices: ReadChoices) -> None:
    """Read the last upload again with the user's choices; a read that still
    fails keeps the data the user had."""
    stored, report = choice_file(), upload_report()
    if stored is None or report is None or choices == read_choices():
        return
    st.session_state[READ_CHOICES] = choices
    accept_upload(
        stored.file_id, stored.file_name, stored.data, report.sheet, choices=choices
    )


def last_file() -> StoredFile | None:
    """The last uploaded workbook, while its sheet picker is offered."""
    return st.session_state.get(LAST_FILE)


class _Bar:
    """A progress bar that only moves forward, whichever reader reports: the
    cost reader, then the GL or roster reader, fill one bar as one read."""

    def __init__(self, bar: st.delta_generator.DeltaGenerator) -> None:
        self.bar = bar
        self.done = 0.0
        self.label = ""

    def __call__(self, done: float, label: str) -> None:
        self.done = max(self.done, done)
        self.label = label
        self.bar.progress(self.done, text=plain(label))

    def finish(self, label: str) -> None:
        self.label = label
        self.done = 1.0
        self.bar.progress(1.0, text=plain(label))


def _source(file_name: str, upload: Upload, reader_sheet: str | None) -> str:
    """A workspace's source: the file, and the sheet of its cost lines when the
    workbook has several to choose from."""
    offered = cost_sheet_choices(upload.sheets, reader_sheet)
    if upload.cost_sheet is None or len(offered) < 2:
        return file_name
    return f"{file_name}, sheet {upload.cost_sheet}"


def accept_upload(
    file_id: str,
    file_name: str,
    data: bytes,
    sheet: str | None = None,
    choices: ReadChoices = NO_CHOICES,
) -> None:
    """Read an upload once; keep the last good workspace when it has errors.

    A file that is not the canonical workbook but is a GL export goes to the
    mapping step instead; the cost base changes only when its mapped lines
    are used. The cost reader, then the GL reader and the roster reader,
    fill one progress bar.
    """
    if st.session_state.get(LAST_UPLOAD_ID) == (file_id, sheet, choices):
        return
    st.session_state[LAST_UPLOAD_ID] = (file_id, sheet, choices)
    previous = upload_report()
    with st.status(f"Reading {plain(file_name)}…", expanded=True) as status:
        bar = _Bar(st.progress(0.0, text=plain(f"Reading {file_name}")))
        with reporting(bar):
            with part(0.0, 0.4):
                upload = read_upload(data, file_name, sheet, choices)
            export = roster = None
            if upload.has_errors and not sheet:
                with part(0.4, 0.8):
                    export = read_gl_export(data, file_name, choices=choices)
            if export is not None and not export.recognised:
                with part(0.8, 1.0):
                    roster = read_roster_upload(
                        data,
                        file_name,
                        workspace().headcount.baseline_quarter,
                        choices,
                    )
        if export is not None and export.recognised:
            failed = export.has_errors
            if not failed:
                st.session_state[GL_EXPORT] = export
            bar.finish(
                bar.label
                if not failed and bar.label.startswith("Read ")
                else f"Read {file_name}"
            )
            st.session_state[UPLOAD_REPORT] = UploadReport(
                file_name=file_name,
                accepted=not failed,
                issues=export.issues,
                kind="gl",
                file_id=file_id,
                choices=choices,
                asked=choices_asked(export.issues),
                read_label=bar.label,
            )
            _log_upload(len(data), len(export.entries), "postings")
            status.update(
                label=plain(bar.label),
                state="error" if failed else "complete",
                expanded=False,
            )
            return
        if roster is not None and roster.recognised:
            bar.finish(
                f"Read {roster.people:,} people from {roster.sheet or file_name}"
                if not roster.has_errors
                else f"Read {file_name}"
            )
            _accept_roster(roster, file_name, file_id, choices, bar.label)
            _log_upload(len(data), roster.people, "people")
            status.update(
                label=plain(bar.label),
                state="error" if roster.has_errors else "complete",
                expanded=False,
            )
            return
        # The picker's default: the sheet the reader takes when none is picked.
        reader_sheet = upload.cost_sheet
        if sheet is not None:
            same_file = previous is not None and previous.file_id == file_id
            reader_sheet = previous.reader_sheet if same_file else None
        updated, issues = checked_workspace(
            workspace(), upload, _source(file_name, upload, reader_sheet)
        )
        lines = 0 if upload.cost_base is None else len(upload.cost_base)
        bar.finish(
            f"Read {lines:,} cost {'line' if lines == 1 else 'lines'} from "
            f"{upload.cost_sheet or file_name}"
            if updated is not None
            else f"Read {file_name}"
        )
        status.update(
            label=plain(bar.label),
            state="complete" if updated is not None else "error",
            expanded=False,
        )
    if updated is not None:
        st.session_state[WORKSPACE] = updated
        st.session_state[GL_EXPORT] = None
        # A CSV holds cost lines only: the sliders keep the scenario in play.
        if upload.kind == "workbook":
            st.session_state.setdefault(SLIDERS_BEFORE, current_scenario())
            set_sliders(_carried_scenario(upload, updated.scenario))
        issues = (*issues, *reprice_mapped_lines())
    st.session_state[UPLOAD_REPORT] = UploadReport(
        file_name=file_name,
        accepted=updated is not None,
        issues=issues,
        kind=upload.kind,
        sheets=upload.sheets,
        sheet=sheet,
        reader_sheet=reader_sheet,
        file_id=file_id,
        choices=choices,
        asked=choices_asked(issues),
        read_label=bar.label,
    )
    _log_upload(len(data), lines, "lines")


def _log_upload(size_bytes: int, read: int, unit: str) -> None:
    """One line in the operator's log for the upload just reported."""
    report = upload_report()
    if report is None:
        return
    # The reader's "csv" is any cost list without the workbook's sheets: a
    # CSV, but also a list or an HTML table named .xlsx.
    kind = "workbook" if report.kind == "workbook" else "cost-list"
    if report.accepted:
        oplog.upload_accepted(
            "Cost base", kind, report.file_name, size_bytes, read, unit
        )
    else:
        oplog.upload_refused(
            "Cost base", kind, report.file_name, size_bytes, report.issues
        )


ROSTER_MARK = " + roster "


def _carried_scenario(upload: Upload, scenario: Scenario) -> Scenario:
    """The scenario a workbook carries, with growth and horizon kept from the
    sliders when the workbook has no Assumptions sheet to say otherwise."""
    if any(text_key(sheet.name) == "assumptions" for sheet in upload.sheets):
        return scenario
    return replace(
        scenario,
        growth_per_quarter=st.session_state.get(GROWTH, scenario.growth_per_quarter),
        horizon_quarters=st.session_state.get(HORIZON, scenario.horizon_quarters),
    )


def _accept_roster(
    roster: RosterUpload,
    file_name: str,
    file_id: str | None = None,
    choices: ReadChoices = NO_CHOICES,
    read_label: str = "",
) -> None:
    """Use a roster's baseline headcount, keeping the cost base and scenario."""
    issues = roster.issues
    updated = None
    if not roster.has_errors and roster.headcount is not None:
        candidate = replace(
            workspace(),
            headcount=roster.headcount,
            source=f"{workspace().source.split(ROSTER_MARK)[0]}{ROSTER_MARK}{file_name}",
        )
        problems = projection_issues(candidate)
        issues = (*issues, *problems)
        updated = None if problems else candidate
    if updated is not None:
        st.session_state[WORKSPACE] = updated
        issues = (*issues, *reprice_mapped_lines())
    st.session_state[UPLOAD_REPORT] = UploadReport(
        file_name=file_name,
        accepted=updated is not None,
        issues=issues,
        kind="roster",
        file_id=file_id,
        choices=choices,
        asked=choices_asked(roster.issues),
        read_label=read_label,
    )


# Whether a cost base has Per user lines mapped from GL spend, by the cost
# base's identity: a page asks at every slider change, and the answer of a
# cost base of thousands of lines does not change. A weak reference, so that
# only the same object, alive, is ever given its answer.
_MAPPED_PER_USER: dict[int, tuple[weakref.ref, bool]] = {}
_MAPPED_PER_USER_KEPT = 64


def _has_mapped_per_user(cost_base: CostBase) -> bool:
    kept = _MAPPED_PER_USER.get(id(cost_base))
    if kept is not None and kept[0]() is cost_base:
        return kept[1]
    answer = has_mapped_per_user(cost_base)
    if len(_MAPPED_PER_USER) >= _MAPPED_PER_USER_KEPT:
        _MAPPED_PER_USER.clear()
    _MAPPED_PER_USER[id(cost_base)] = (weakref.ref(cost_base), answer)
    return answer


def reprice_mapped_lines() -> tuple[Issue, ...]:
    """Price the Per user lines made from GL spend for the baseline users now
    in play, and say which were priced again.

    Called after each upload and by each page before it projects, so a new
    roster or a contingent weight moved on Scenarios is caught too.
    """
    current = workspace()
    if not _has_mapped_per_user(current.cost_base):
        return ()
    try:
        users = float(baseline_projection().baseline["supported_users"])
    except ProjectionError:
        return ()
    cost_base, notes = reprice_per_user(current.cost_base, users)
    if notes:
        st.session_state[WORKSPACE] = replace(current, cost_base=cost_base)
    return notes


def replace_cost_lines(lines: tuple[CostLine, ...], source: str) -> None:
    """Use new cost lines, keeping the headcount and the scenario in play."""
    current = workspace()
    st.session_state[WORKSPACE] = replace(
        current, cost_base=CostBase(tuple(lines)), source=source
    )
    st.session_state[UPLOAD_REPORT] = None
    st.session_state[LAST_FILE] = None


def restore_sample() -> None:
    """Go back to the sample company and its scenario."""
    st.session_state[WORKSPACE] = sample_workspace()
    st.session_state[UPLOAD_REPORT] = None
    st.session_state[LAST_FILE] = None
    st.session_state.setdefault(SLIDERS_BEFORE, current_scenario())
    set_sliders(sample_workspace().scenario)


def baseline_projection() -> Projection:
    """The baseline quarter as the Scenarios page has it, sliders included.

    Growth and horizon do not change the baseline, so one quarter ahead at
    no growth is projected: the page stays usable while a slider asks for a
    future that cannot be projected.
    """
    scenario = replace(current_scenario(), horizon_quarters=1, growth_per_quarter=0.0)
    return projection_of(workspace(), scenario)


_DESK_LABELS = {
    "tickets_per_user_month": ("tickets per user", "{:.2f}"),
    "resolution_rate": ("resolution rate", "pct"),
    "deskside_share": ("desk-side share", "pct"),
    "deflection": ("deflection", "pct"),
    "deflection_step": ("deflection gain", "pct"),
    "deflection_cap": ("deflection cap", "pct"),
    "contingent_weight": ("contingent weight", "{:.2f}"),
}


def service_desk_note() -> str | None:
    """Say so when the sliders' service desk differs from the workbook's."""
    current = current_scenario().service_desk
    workbook = workspace().scenario.service_desk
    changes = []
    for name, (label, style) in _DESK_LABELS.items():
        now, was = getattr(current, name), getattr(workbook, name)
        if now != was:
            shown = [
                percent(v, 1) if style == "pct" else style.format(v) for v in (now, was)
            ]
            changes.append(f"{label} {shown[0]} (workbook {shown[1]})")
    if not changes:
        return None
    return (
        "Baseline costs use the assumptions set on Scenarios: "
        + "; ".join(changes)
        + "."
    )


def download_name(scenario: Scenario, baseline_quarter: str) -> str:
    """A safe, short file name for a scenario workbook."""
    slug = (
        re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-")[:40] or "scenario"
    )
    return f"cpsu-{slug}-{baseline_quarter}.xlsx"


def gl_export() -> GLExport | None:
    """The GL export waiting in the mapping step, if any."""
    return st.session_state.get(GL_EXPORT)


def upload_report() -> UploadReport | None:
    return st.session_state.get(UPLOAD_REPORT)
