"""The scenario library in the Scenarios sidebar: a company's named scenarios.

The company's name (the sample's, or an upload's file name, and editable)
keys the scenarios in the store. On a company's first use the starting
three are added; choosing one moves the sliders to it.

Moving a slider changes this session's scenario in progress, never the
store: another session on the same company goes on seeing the saved values.
The panel says when the sliders differ from the chosen saved scenario, and
in which assumptions, and offers Save changes and Discard changes. A save
carries the version it was based on: one based on a version that another
session has saved over (or locked) since is refused and said, and the
user's values stay on the sliders, to be saved as a new scenario or dropped
for the saved one. Nothing is ever written over another session's save.
The unsaved changes of a scenario the user leaves for another (or for
another company's upload) are kept in the session and come back when it is
chosen again; the panel says so.

Renaming the company opens the library of the new name, or starts one from
the data's own assumptions, never from the sliders: a rename saves nothing.
Unsaved changes on the sliders stay there, as unsaved changes to the new
library's scenario of the same name (or its Base).

A locked scenario shows disabled sliders and offers a copy to explore.
Delete asks first, and Undo brings the deleted scenario back.

Each session keeps its own copy of the library; the store, one per process
and data folder, is what sessions share. Each run asks the store for its
scenarios' names and versions (one small query), so that the Scenario box
and the pickers offer what other sessions have saved since and drop what
they deleted; the scenario on screen, and those with unsaved changes here,
stay as this session opened them until chosen again. The rest is read only
when the company or the choice changes, or at a button. When the store
cannot be opened, the library lives in the session alone and the panel says
saving is off, and why.

An upload that opens a company's existing library (one of the same name)
whose Base differs from the file's own assumptions says which values differ
and offers to use the file's, as unsaved changes: the user decides.

A share link is read once, on the session's first look at the library: its
assumptions open as unsaved changes to the scenario it names (to Base when
the library lacks that one or it is locked), and a damaged link is named in
a warning and changes nothing. Opening a link saves nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import streamlit as st

from cpsu.compare import Compared
from cpsu.formatting import percent
from cpsu.projection import Projection, ProjectionError
from cpsu.saved import BASE, SavedScenario, ScenarioLocked, starting_scenarios
from cpsu.scenario import Scenario, Workspace
from cpsu.share import (
    STREAMLIT_KEYS,
    ShareLinkError,
    scenario_from_query,
    share_query,
    share_query_string,
)
from cpsu.store import (
    ScenarioNotFound,
    ScenarioStore,
    StaleScenario,
    StoreBusy,
    StoreError,
    UnreadableStore,
    data_dir,
    workspace_key,
)
from cpsu.ui import state
from cpsu.ui.projections import kept_projection
from cpsu.ui.sliders import bound_widget
from cpsu.ui.text import plain

SAMPLE_COMPANY = "Quillfern Analytics"
GL_SOURCE = "GL export "  # how a cost base mapped from a GL export is named

COMPANY = "scenarios.company"
COMPANY_DEFAULT = "scenarios.library.company_default"
LIBRARIES = "scenarios.library.by_company"
CURRENT = "scenarios.library.current"
CHOICE = "scenarios.library.choice"
SHOWN = "scenarios.library.shown"  # (company key, name) the sliders show
DRAFTS = "scenarios.library.drafts"  # unsaved changes of scenarios left
CONFLICT = "scenarios.library.conflict"  # (company key, name) of a refused save
FILE_OFFER = "scenarios.library.file_offer"  # (company key, the file's scenario)
NEW_NAME = "scenarios.library.new_name"
LOCK_NOTE = "scenarios.library.lock_note"
SAVE_NEW_OPEN = "scenarios.library.save_new.open"  # the popovers, open or not
LOCK_OPEN = "scenarios.library.lock.open"
MESSAGES = "scenarios.library.messages"
DELETE_ASKED = "scenarios.library.delete.asked"  # the name Delete asks about
DELETED = "scenarios.library.deleted"  # the last deleted scenario, for Undo
LINK_READ = "scenarios.library.link_read"
FILE_SEEN = "scenarios.library.file_seen"  # the upload last set against a library
# (upload, its assumptions as the sliders took them), for a library started
# from the file after a rename.
FILE_ASSUMPTIONS = "scenarios.library.file_assumptions"

SAVE_CHANGES = "scenarios.library.save_changes"
DISCARD_CHANGES = "scenarios.library.discard_changes"
SAVE_MINE = "scenarios.library.conflict.save_mine"
SHOW_SAVED = "scenarios.library.conflict.show_saved"
USE_FILE = "scenarios.library.use_file"
KEEP_SAVED = "scenarios.library.keep_saved"

_FILE_NAME = re.compile(
    r"([^,+]+?\.(?:xlsx|xlsm|xls|csv|tsv|txt|html?))", re.IGNORECASE
)

# How each slider's assumption is named and shown when two scenarios differ.
_ASSUMPTIONS: dict[str, tuple[str, str]] = {
    state.GROWTH: ("growth per quarter", "percent"),
    state.HORIZON: ("horizon", "quarters"),
    state.CONTINGENT_SHARE: ("contingent share", "percent"),
    state.TICKETS_PER_USER: ("tickets per user a month", "number"),
    state.TICKETS_TREND: ("yearly ticket trend", "percent"),
    state.RESOLUTION_RATE: ("resolution rate", "percent"),
    state.DESKSIDE_SHARE: ("desk-side share", "percent"),
    state.DEFLECTION: ("deflection", "percent"),
    state.DEFLECTION_STEP: ("deflection gain a quarter", "percent"),
    state.DEFLECTION_CAP: ("deflection cap", "percent"),
    state.CONTINGENT_WEIGHT: ("contingent weight", "number"),
    state.PRODUCTIVITY: ("agent productivity", "percent"),
    state.LABOUR_ESCALATION: ("labour escalation a year", "percent"),
    state.LICENCE_ESCALATION: ("licence escalation a year", "percent"),
}


@dataclass
class Library:
    """One company's scenarios as this session has them, by name in the
    store's order; `saving_off` says why they are not being saved, if not."""

    key: str
    scenarios: dict[str, SavedScenario] = field(default_factory=dict)
    saving_off: str | None = None


@dataclass(frozen=True)
class Draft:
    """Unsaved changes to a saved scenario, kept while another is chosen: the
    scenario the sliders showed, and the saved one it was based on (whose
    version its save carries)."""

    based_on: SavedScenario
    scenario: Scenario


@st.cache_resource(show_spinner=False)
def _store_in(folder: str) -> ScenarioStore:
    return ScenarioStore.in_data_dir(Path(folder))


def open_store() -> ScenarioStore:
    """The process's store for the data folder in use (CPSU_DATA_DIR or the
    user's data folder); UnreadableStore or StoreBusy when it cannot be opened."""
    return _store_in(str(data_dir()))


def company_default(workspace: Workspace) -> str:
    """The company's name as the data says: the sample's, or the file's stem."""
    if SAMPLE_COMPANY in workspace.source:
        return SAMPLE_COMPANY
    found = _FILE_NAME.search(workspace.source)
    if found:
        stem = Path(found[1].strip()).stem.removeprefix(GL_SOURCE)
        return stem.strip() or "My company"
    return workspace.source.strip() or "My company"


def _shown_value(value: object, style: str) -> str:
    if value is None:
        return "the data's own"
    if style == "percent":
        return percent(float(value), 1)  # type: ignore[arg-type]
    if style == "quarters":
        return f"{value} quarters"
    return f"{value:g}"


def differences(scenario: Scenario, other: Scenario, other_is: str) -> list[str]:
    """Each assumption in which `scenario` differs from `other`, with both
    values: 'growth per quarter 10.0% (saved 8.0%)' when `other_is` is 'saved'."""
    now, was = state.slider_values(scenario), state.slider_values(other)
    phrases = [
        f"{label} {_shown_value(now[key], style)} "
        f"({other_is} {_shown_value(was[key], style)})"
        for key, (label, style) in _ASSUMPTIONS.items()
        if now[key] != was[key]
    ]
    if scenario.changes != other.changes:
        phrases.append(
            f"line changes {len(scenario.changes)} ({other_is} {len(other.changes)})"
        )
    if not phrases and replace(scenario, name=other.name) != other:
        phrases.append("assumptions no slider shows")
    return phrases


def _say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


def library() -> Library | None:
    """The library of the company in use, once the panel has opened it."""
    return st.session_state.get(CURRENT)


def chosen() -> SavedScenario | None:
    """The saved scenario the sliders show, as this session last had it."""
    current = library()
    if current is None:
        return None
    return current.scenarios.get(st.session_state.get(CHOICE, ""))


def _screen(name: str) -> Scenario:
    """The scenario in progress: the sliders, named `name`."""
    return replace(state.current_scenario(), name=name)


def unsaved_changes() -> list[str]:
    """What the sliders change of the chosen saved scenario, one phrase an
    assumption; empty when they show it as saved, or it is locked."""
    saved = chosen()
    if saved is None or saved.locked:
        return []
    screen = _screen(saved.name)
    if screen == saved.scenario:
        return []
    return differences(screen, saved.scenario, "saved")


def _drafts() -> dict[tuple[str, str], Draft]:
    return st.session_state.setdefault(DRAFTS, {})


def _conflict(current: Library, name: str) -> bool:
    """Whether the last save of `name` was refused, its values still unsaved."""
    return st.session_state.get(CONFLICT) == (current.key, name)


def _choose(saved: SavedScenario, scenario: Scenario | None = None) -> None:
    """Choose a saved scenario: the sliders show it, or `scenario`, as
    unsaved changes to it."""
    current = library()
    st.session_state[CHOICE] = saved.name
    if current is not None:
        st.session_state[SHOWN] = (current.key, saved.name)
    shown = saved.scenario if scenario is None else replace(scenario, name=saved.name)
    state.set_sliders(shown)


def _choose_first(current: Library) -> None:
    """Choose Base, or the first scenario when Base is gone."""
    if not current.scenarios:
        return
    first = BASE if BASE in current.scenarios else next(iter(current.scenarios))
    _enter(current, first)


def _leave(in_progress: Scenario | None = None) -> None:
    """Keep the unsaved changes of the scenario the sliders show (or showed
    before an upload replaced them: `in_progress`), before they show another
    one, of this company or another, and say so."""
    st.session_state.pop(CONFLICT, None)
    shown, current = st.session_state.get(SHOWN), library()
    if shown is None or current is None or shown[0] != current.key:
        return
    saved = current.scenarios.get(shown[1])
    if saved is None or saved.locked:
        return
    screen = replace(in_progress or state.current_scenario(), name=saved.name)
    if screen == saved.scenario:
        _drafts().pop(shown, None)
        return
    _drafts()[shown] = Draft(saved, screen)
    _say(
        "info",
        f"Your unsaved changes to {saved.name!r} are kept in this session: choose "
        "it again to go on with them and save them.",
    )


def _enter(current: Library, name: str) -> None:
    """Choose a scenario as the store has it now, or with this session's
    unsaved changes to it; changes based on a version saved over since are
    shown as a refused save."""
    saved = current.scenarios.get(name)
    if saved is None:
        return
    fresh = saved
    if not current.saving_off:
        try:
            fresh = open_store().load(current.key, name)
        except ScenarioNotFound:
            _say("warning", f"Another session deleted {name!r}.")
            current.scenarios.pop(name, None)
            _drafts().pop((current.key, name), None)
            _choose_first(current)
            return
        except (UnreadableStore, StoreBusy) as problem:
            _store_failed(current, problem)
    draft = _drafts().pop((current.key, name), None)
    if draft is None:
        current.scenarios[name] = fresh
        _choose(fresh)
        return
    if draft.based_on.version == fresh.version and not fresh.locked:
        current.scenarios[name] = fresh
        _choose(fresh, draft.scenario)
        return
    # Saved over (or locked) by another session meanwhile: the changes stay
    # on the sliders, based on the version they were made from, and a save
    # of them is refused until the user says what to do.
    current.scenarios[name] = draft.based_on
    _choose(draft.based_on, draft.scenario)
    st.session_state[CONFLICT] = (current.key, name)


def _store_failed(current: Library, problem: StoreError) -> None:
    current.saving_off = str(problem)


def _load(key: str, base: Scenario) -> tuple[Library, bool]:
    """A company's library from the store, with the starting three on its first
    use (then True); the session's own when the store cannot be opened."""
    kept = st.session_state.setdefault(LIBRARIES, {})
    try:
        store = open_store()
        stored = store.scenarios(key)
        first_use = not stored
        if first_use:
            store.add_missing(key, starting_scenarios(base))
            stored = store.scenarios(key)
    except (UnreadableStore, StoreBusy) as problem:
        if key in kept and kept[key].saving_off:
            return kept[key], False
        loaded = Library(
            key,
            {saved.name: saved for saved in starting_scenarios(base)},
            saving_off=str(problem),
        )
        first_use = True
    else:
        loaded = Library(key, {saved.name: saved for saved in stored})
    kept[key] = loaded
    return loaded, first_use


def _company_key(workspace: Workspace) -> str | None:
    """The company's key after following the data's default name; None when
    the name is blank (the library then stays the one in use)."""
    default = company_default(workspace)
    previous = st.session_state.get(COMPANY_DEFAULT)
    if previous != default:
        # A new upload names a new company, unless the user named it themselves.
        if st.session_state.get(COMPANY) in (None, previous):
            st.session_state[COMPANY] = default
        st.session_state[COMPANY_DEFAULT] = default
    try:
        return workspace_key(st.session_state.get(COMPANY) or "")
    except ValueError:
        return None


def _unseen_upload() -> object | None:
    """The last accepted workbook upload, while no library has been opened
    since it (the sliders then hold its assumptions); None for a CSV or a GL
    export, which carry no assumptions of their own."""
    report = state.upload_report()
    if report is None or not report.accepted or report.kind != "workbook":
        return None
    upload = st.session_state.get(state.LAST_UPLOAD_ID)
    return None if upload == st.session_state.get(FILE_SEEN) else upload


def _file_scenario(workspace: Workspace) -> Scenario | None:
    """The assumptions of the workbook just uploaded, as the sliders took
    them, the first time a library is opened after it; None otherwise."""
    upload = _unseen_upload()
    if upload is None:
        return None
    st.session_state[FILE_SEEN] = upload
    taken = replace(state.current_scenario(), changes=workspace.scenario.changes)
    st.session_state[FILE_ASSUMPTIONS] = (upload, taken)
    return taken


def _file_assumptions(workspace: Workspace) -> Scenario:
    """The assumptions of the data in use, as they first reached the sliders:
    an uploaded workbook's (growth and horizon included, when it has no
    Assumptions sheet and the sliders lent it theirs), or else the
    workspace's own. Never the sliders as they are now."""
    kept = st.session_state.get(FILE_ASSUMPTIONS)
    report = state.upload_report()
    if (
        kept is not None
        and report is not None
        and report.accepted
        and report.kind == "workbook"
        and kept[0] == st.session_state.get(state.LAST_UPLOAD_ID)
    ):
        return replace(kept[1], changes=workspace.scenario.changes)
    return workspace.scenario


def _in_progress() -> tuple[str, Scenario] | None:
    """The saved scenario the sliders show, by name, and the sliders' scenario,
    when they differ from it as saved (its unsaved changes); None otherwise."""
    shown, current = st.session_state.get(SHOWN), library()
    if shown is None or current is None or shown[0] != current.key:
        return None
    saved = current.scenarios.get(shown[1])
    if saved is None or saved.locked:
        return None
    screen = _screen(saved.name)
    return None if screen == saved.scenario else (saved.name, screen)


def _carry(current: Library, left: str, scenario: Scenario) -> None:
    """Show the unsaved changes made before a rename as unsaved changes to the
    new library's scenario of the same name (or Base, or the first not
    locked): a rename saves nothing, and loses nothing on the sliders."""
    candidates = [current.scenarios.get(left), current.scenarios.get(BASE)]
    candidates += list(current.scenarios.values())
    onto = next((s for s in candidates if s is not None and not s.locked), None)
    if onto is None:
        _choose_first(current)
        _say(
            "warning",
            f"Your unsaved changes to {left!r} could not come with the new name: "
            "every scenario of this company is locked.",
        )
        return
    replaced = _drafts().pop((current.key, onto.name), None)
    _choose(onto, scenario)
    if _screen(onto.name) == onto.scenario:
        return
    company = st.session_state.get(COMPANY) or current.key
    _say(
        "info",
        f"Your unsaved changes to {left!r} stay on the sliders, as unsaved changes "
        f"to {company}'s {onto.name!r}: nothing is saved until you save."
        + (
            " They take the place of the unsaved changes you had made to it."
            if replaced is not None
            else ""
        ),
    )


def _open_company(key: str, workspace: Workspace) -> Library:
    file_scenario = _file_scenario(workspace)
    offer = st.session_state.pop(FILE_OFFER, None)
    previous = library()
    renamed = previous is not None and offer is not None and offer[0] == previous.key
    before = st.session_state.pop(state.SLIDERS_BEFORE, None)
    carried = None
    if file_scenario is None and before is None:
        # Renamed (or a cost list named a new company): the sliders still hold
        # the user's work, whose unsaved changes go on with the new name.
        carried = _in_progress()
        st.session_state.pop(CONFLICT, None)
    else:
        # An upload (or going back to the sample) replaced the sliders: what
        # they held before is what the company left had in progress.
        _leave(before)
    if file_scenario is None and renamed:
        # Renamed before the file's assumptions were used: the new company's
        # library starts from the file's, not from the old library's Base.
        file_scenario = offer[1]
    # A new library starts from the data's assumptions, never the sliders'
    # unsaved values: nothing reaches the store until the user saves.
    base = file_scenario or _file_assumptions(workspace)
    current, first_use = _load(key, base)
    st.session_state[CURRENT] = current
    if carried is None:
        _choose_first(current)
    else:
        _carry(current, *carried)
    stored_base = current.scenarios.get(BASE)
    if (
        file_scenario is not None
        and not first_use
        and stored_base is not None
        and differences(file_scenario, stored_base.scenario, "saved")
    ):
        st.session_state[FILE_OFFER] = (key, replace(file_scenario, name=BASE))
    return current


def _read_link(current: Library, workspace: Workspace) -> None:
    """Open the scenario of the link the session started with, if any, as
    unsaved changes: a link never saves anything."""
    st.session_state[LINK_READ] = True
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    if not set(query) - STREAMLIT_KEYS:
        return
    try:
        linked = scenario_from_query(query, workspace.scenario)
    except ShareLinkError as problem:
        _say(
            "warning",
            f"The link could not be opened: {problem} The sliders show the saved "
            "scenario instead.",
        )
        return
    named = current.scenarios.get(linked.name)
    if named is not None and not named.locked:
        linked = replace(linked, changes=named.scenario.changes)
        if linked == named.scenario:
            _choose(named)
            return
        _choose(named, linked)
        _say(
            "info",
            f"The link's assumptions differ from the saved {named.name!r}: they are "
            "shown as unsaved changes to it, saved only if you save them.",
        )
        return
    if named is not None and replace(linked, changes=named.scenario.changes) == (
        named.scenario
    ):
        _choose(named)
        return
    onto = next((s for s in current.scenarios.values() if not s.locked), None)
    if onto is None:
        _say(
            "warning",
            f"The link's assumptions for {linked.name!r} are not shown: every "
            "scenario of this company is locked.",
        )
        return
    st.session_state[NEW_NAME] = (
        _unused_name(current, linked.name, "from link")
        if _taken(current, linked.name)
        else linked.name
    )
    why = "is locked here" if named is not None else "is not saved for this company"
    _choose(onto, replace(linked, changes=onto.scenario.changes))
    _say(
        "info",
        f"The link's scenario {linked.name!r} {why}: its assumptions are shown as "
        f"unsaved changes to {onto.name!r}. Use Save as new… to keep them.",
    )


def _unused_name(current: Library, name: str, why: str) -> str:
    """A name the library lacks: 'Base (copy)', then 'Base (copy 2)' and on."""
    wanted, number = f"{name} ({why})", 1
    while _taken(current, wanted):
        number += 1
        wanted = f"{name} ({why} {number})"
    return wanted


def _save_new(current: Library, scenario: Scenario) -> bool:
    """Save a scenario under its (new) name and choose it; False when refused."""
    new = SavedScenario(scenario)
    if current.saving_off:
        current.scenarios[new.name] = new
        _choose(new)
        return True
    try:
        stored = open_store().save(current.key, new)
    except StaleScenario:
        # Saved under that name by another session since this one's last run;
        # the next run lists it.
        _say(
            "error",
            f"A scenario named {new.name!r} was saved by another session: choose "
            "it in the Scenario box to open it, or save yours under another name.",
        )
        return False
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        stored = new
    current.scenarios[stored.name] = stored
    st.session_state.pop(CONFLICT, None)
    _choose(stored)
    return True


def _taken(current: Library, name: str) -> bool:
    folded = name.casefold()
    return any(known.casefold() == folded for known in current.scenarios)


def _on_choose() -> None:
    current, name = library(), st.session_state.get(CHOICE)
    if current is None or name is None:
        return
    _leave()
    _enter(current, name)


def _on_save_changes() -> None:
    """Save the sliders into the chosen scenario, based on the version this
    session opened; refused, and said, when another session saved it since."""
    current, saved = library(), chosen()
    if current is None or saved is None or saved.locked:
        return
    if _conflict(current, saved.name):
        return
    screen = _screen(saved.name)
    if screen == saved.scenario:
        return
    updated = saved.with_scenario(screen)
    if current.saving_off:
        current.scenarios[saved.name] = updated
        _say("success", f"Saved your changes to {saved.name!r} in this session.")
        return
    try:
        stored = open_store().save(current.key, updated)
    except (StaleScenario, ScenarioLocked):
        _save_refused(current, updated)
        return
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        current.scenarios[saved.name] = updated
        return
    current.scenarios[saved.name] = stored
    _choose(stored)
    _say("success", f"Saved your changes to {saved.name!r}.")


def _save_refused(current: Library, updated: SavedScenario) -> None:
    """A save refused by the store: put a deleted scenario back under its
    name, since its user asked to save it; otherwise keep the user's values on
    the sliders and mark the refusal, for the panel to say and offer choices."""
    name = updated.name
    try:
        open_store().load(current.key, name)
    except ScenarioNotFound:
        try:
            stored = open_store().save(current.key, replace(updated, version=0))
        except StoreError as problem:
            _say("error", f"Your changes to {name!r} were not saved: {problem}")
            return
        current.scenarios[name] = stored
        _choose(stored)
        _say(
            "warning",
            f"Another session had deleted {name!r}; your values were saved under "
            "its name again.",
        )
        return
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        current.scenarios[name] = updated
        return
    st.session_state[CONFLICT] = (current.key, name)


def _on_discard_changes() -> None:
    """Set the sliders back to the chosen scenario as it is saved now."""
    current, saved = library(), chosen()
    if current is None or saved is None:
        return
    st.session_state.pop(CONFLICT, None)
    _drafts().pop((current.key, saved.name), None)
    _enter(current, saved.name)
    now = chosen()
    if now is None or now.name != saved.name:
        return
    if now.version != saved.version:
        _say(
            "info",
            f"Discarded your changes: the sliders show {saved.name!r} as another "
            "session saved it since you opened it.",
        )
    else:
        _say("info", f"Discarded your changes to {saved.name!r}.")


def _on_save_mine_as_new() -> None:
    """After a refused save, keep the user's values as a scenario of their own."""
    current, saved = library(), chosen()
    if current is None or saved is None:
        return
    name = _unused_name(current, saved.name, "copy")
    if _save_new(current, _screen(name)):
        _say(
            "success",
            f"Saved your values as {name!r}; {saved.name!r} keeps the values "
            "another session saved.",
        )


def _on_use_file() -> None:
    """Put the uploaded file's assumptions on the sliders, as unsaved changes
    to Base."""
    current, offer = library(), st.session_state.pop(FILE_OFFER, None)
    if current is None or offer is None or offer[0] != current.key:
        return
    _leave()
    st.session_state.pop(MESSAGES, None)
    _enter(current, BASE)
    base = chosen()
    if base is None or base.name != BASE or base.locked:
        _say(
            "error",
            "Base is locked or gone: the file's assumptions cannot be shown as "
            "changes to it. Rename the company to start a library from the file.",
        )
        return
    _choose(base, offer[1])
    _say(
        "info",
        "The sliders show this file's assumptions as unsaved changes to Base: "
        "save them to keep them.",
    )


def _on_keep_saved() -> None:
    st.session_state.pop(FILE_OFFER, None)


def _on_save_as_new() -> None:
    current = library()
    if current is None:
        return
    name = (st.session_state.get(NEW_NAME) or "").strip()
    if not name:
        _say("error", "Give the new scenario a name.")
        return
    if _taken(current, name):
        _say("error", f"A scenario named {name!r} already exists; choose another name.")
        return
    if _save_new(current, _screen(name)):
        st.session_state[NEW_NAME] = ""
        _say("success", f"Saved as {name!r}.")


def _on_save_copy() -> None:
    current, saved = library(), chosen()
    if current is None or saved is None:
        return
    name = _unused_name(current, saved.name, "copy")
    if _save_new(current, replace(saved.scenario, name=name)):
        _say("success", f"Saved a copy of {saved.name!r} as {name!r} to explore.")


def _on_lock() -> None:
    current, saved = library(), chosen()
    if current is None or saved is None or unsaved_changes():
        return
    note = (st.session_state.get(LOCK_NOTE) or "").strip()
    if not note:
        _say("error", "Say why the scenario is locked: the note is required.")
        return
    today = date.today()
    if current.saving_off:
        current.scenarios[saved.name] = saved.locked_with(note, today)
    else:
        try:
            current.scenarios[saved.name] = open_store().lock(
                current.key, saved.name, note, today, based_on=saved.version
            )
        except (StaleScenario, ScenarioLocked, ScenarioNotFound) as problem:
            _say("error", f"{problem}")
            return
        except (UnreadableStore, StoreBusy) as problem:
            _store_failed(current, problem)
            current.scenarios[saved.name] = saved.locked_with(note, today)
    st.session_state[LOCK_NOTE] = ""
    # Set again so that the browser shows the choice with its new mark.
    st.session_state[CHOICE] = saved.name


def _on_ask_delete() -> None:
    saved = chosen()
    if saved is not None:
        st.session_state[DELETE_ASKED] = saved.name


def _on_cancel_delete() -> None:
    st.session_state.pop(DELETE_ASKED, None)


def _on_delete() -> None:
    current, saved = library(), chosen()
    asked = st.session_state.pop(DELETE_ASKED, None)
    if current is None or saved is None or saved.name == BASE or saved.locked:
        return
    if asked != saved.name:
        # The question was about another scenario: ask again about this one.
        return
    if not current.saving_off:
        try:
            open_store().delete(current.key, saved.name, based_on=saved.version)
        except (StaleScenario, ScenarioLocked) as problem:
            _say("error", f"{saved.name!r} was not deleted: {problem}")
            return
        except ScenarioNotFound:
            pass
        except (UnreadableStore, StoreBusy) as problem:
            _store_failed(current, problem)
    current.scenarios.pop(saved.name, None)
    _drafts().pop((current.key, saved.name), None)
    st.session_state.pop(CONFLICT, None)
    st.session_state[DELETED] = (current.key, saved)
    _say("info", f"Deleted {saved.name!r}.")
    _choose_first(current)


def _on_undo_delete() -> None:
    current, deleted = library(), st.session_state.pop(DELETED, None)
    if current is None or deleted is None or deleted[0] != current.key:
        return
    saved = deleted[1]
    if _taken(current, saved.name):
        _say(
            "error",
            f"{saved.name!r} was not brought back: a scenario of that name exists.",
        )
        return
    if _save_new(current, saved.scenario):
        _say("success", f"Brought {saved.name!r} back.")


def _labels(current: Library) -> dict[str, str]:
    """Each scenario's name as the box shows it: marked when locked, or when
    this session keeps unsaved changes to it."""
    drafts = st.session_state.get(DRAFTS, {})
    labels = {}
    for name, saved in current.scenarios.items():
        if saved.locked:
            labels[name] = f"{name} (locked)"
        elif (current.key, name) in drafts:
            labels[name] = f"{name} (unsaved changes)"
        else:
            labels[name] = name
    return labels


def open_library(workspace: Workspace) -> Library | None:
    """The company's library, opened (and the sliders set to its chosen
    scenario) if this session has not opened it yet, and the link the session
    started with read; None while the company has no name. A page that shows
    a scenario without the panel (the Pitch page) calls this, so that a
    session started there shows the saved scenario, not the workbook's."""
    key = _company_key(workspace)
    current = library()
    if key is not None and (current is None or current.key != key):
        current = _open_company(key, workspace)
    else:
        if current is not None:
            _take_store_changes(current)
        if _unseen_upload() is not None:
            st.session_state[FILE_SEEN] = st.session_state.get(state.LAST_UPLOAD_ID)
            _say_file_on_sliders(st.session_state.get(state.SLIDERS_BEFORE))
    st.session_state.pop(state.SLIDERS_BEFORE, None)
    if current is not None and not st.session_state.get(LINK_READ):
        _read_link(current, workspace)
    return current


def _take_store_changes(current: Library) -> None:
    """List the scenarios as the store has them now: those other sessions have
    added, saved, locked or deleted since this session last looked. One
    query of names and versions a run; the scenarios that changed are read
    only when one did. The scenario on screen and those this session keeps
    unsaved changes to stay as it opened them, since their saves carry the
    version they were based on; choosing one reads it afresh."""
    if current.saving_off:
        return
    held = {st.session_state.get(CHOICE)} | {
        name for (key, name) in _drafts() if key == current.key
    }
    try:
        listed = open_store().versions(current.key)
        known = {name: saved.version for name, saved in current.scenarios.items()}
        if all(
            name in held or known.get(name) == version
            for name, version in listed.items()
        ) and all(name in held or name in listed for name in known):
            return
        stored = open_store().scenarios(current.key)
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        return
    kept = current.scenarios
    scenarios = {
        saved.name: kept[saved.name]
        if saved.name in held and saved.name in kept
        else saved
        for saved in stored
    }
    for name in held:
        # Deleted by another session while on screen or in progress here:
        # the user finds that out on choosing or saving it.
        if name in kept and name not in scenarios:
            scenarios[name] = kept[name]
    current.scenarios = scenarios


def _say_file_on_sliders(before: Scenario | None) -> None:
    """Say that a workbook of the company in use put its assumptions on the
    sliders, as unsaved changes to the chosen scenario, and whether they took
    the place of unsaved changes of the user's."""
    saved = chosen()
    if saved is None or not unsaved_changes():
        return
    replaced = before is not None and replace(before, name=saved.name) not in (
        saved.scenario,
        _screen(saved.name),
    )
    _say(
        "info",
        f"The sliders show the uploaded workbook's assumptions, as unsaved "
        f"changes to {saved.name!r}"
        + ("; they replaced the changes you had not saved." if replaced else "."),
    )


def _keep_locked(saved: SavedScenario) -> None:
    """A locked scenario's sliders never move: a value forced in goes back."""
    if saved.locked and _screen(saved.name) != saved.scenario:
        state.set_sliders(saved.scenario)


def library_panel(workspace: Workspace, page: str = "") -> bool:
    """The company and its scenarios, above the sliders; True when the chosen
    scenario is locked (its sliders are then shown disabled). `page` names a
    page other than Scenarios that draws the panel: its Company field is a
    widget of its own, given the name kept in the session, since a widget key
    shared by two pages starts blank on the second."""
    st.header("Scenario library")
    key = _company_key(workspace)
    current = open_library(workspace)
    st.text_input(
        "Company",
        help="The name the company's scenarios are saved under",
        **bound_widget(COMPANY, page),
    )
    if key is None:
        st.warning("Name the company the scenarios belong to.")
    if current is None:
        return False

    if current.saving_off:
        st.warning(
            f"Saving is off: {plain(current.saving_off)} Your scenarios are kept "
            "in this session only.",
            icon=":material/cloud_off:",
        )
    for kind, text in st.session_state.pop(MESSAGES, []):
        getattr(st, kind)(plain(text))
    _offer_file(current)

    names = list(current.scenarios)
    if st.session_state.get(CHOICE) not in names:
        _choose_first(current)
    labels = _labels(current)
    st.selectbox(
        "Scenario",
        names,
        key=CHOICE,
        format_func=lambda name: labels.get(name, name),
        on_change=_on_choose,
        persist_state="session",
    )
    saved = current.scenarios[st.session_state[CHOICE]]
    _keep_locked(saved)
    if saved.locked:
        when = saved.locked_on.isoformat() if saved.locked_on else "an unknown date"
        st.info(
            f"{plain(saved.name)} is locked: {plain(saved.lock_note)} (locked on "
            f"{when}). Its assumptions cannot change.",
            icon=":material/lock:",
        )
        st.button(
            "Save a copy to explore",
            key="scenarios.library.copy",
            on_click=_on_save_copy,
        )
    unsaved = unsaved_changes()
    if _conflict(current, saved.name):
        _refused_save(saved, unsaved)
    elif unsaved:
        _unsaved(saved, unsaved)
    elif not saved.locked:
        st.caption(f"The sliders show {plain(saved.name)} as saved.")
    # The popovers' fields are drawn only while open: a slider never pays
    # for them.
    with st.popover(
        "Save as new…", use_container_width=True, key=SAVE_NEW_OPEN, on_change="rerun"
    ) as box:
        if box.open:
            st.text_input("Name", key=NEW_NAME)
            st.button(
                "Save", key="scenarios.library.save_new", on_click=_on_save_as_new
            )
    lock, delete = st.columns(2)
    with lock.popover(
        "Lock…",
        disabled=saved.locked or bool(unsaved),
        help="Save or discard the changes first" if unsaved else None,
        use_container_width=True,
        key=LOCK_OPEN,
        on_change="rerun",
    ) as box:
        if box.open:
            st.text_input("Why it is locked", key=LOCK_NOTE)
            st.button("Lock", key="scenarios.library.lock", on_click=_on_lock)
    delete.button(
        "Delete",
        key="scenarios.library.delete",
        on_click=_on_ask_delete,
        disabled=saved.locked or saved.name == BASE,
        help="Base stays: it is the scenario the library opens on",
        use_container_width=True,
    )
    _ask_delete(saved, bool(unsaved))
    _offer_undo(current)
    return saved.locked


def _unsaved(saved: SavedScenario, unsaved: list[str]) -> None:
    """Say what the sliders change of the saved scenario; offer to save or
    discard it."""
    count = len(unsaved)
    st.warning(
        f"Unsaved changes to {plain(saved.name)}: {count} "
        f"{'assumption differs' if count == 1 else 'assumptions differ'} from the "
        f"saved one ({plain('; '.join(unsaved))}). Only you see them until you save.",
        icon=":material/edit_note:",
    )
    # One above the other: side by side, the sidebar cut "Discard changes".
    st.button(
        "Save changes",
        key=SAVE_CHANGES,
        on_click=_on_save_changes,
        type="primary",
        use_container_width=True,
    )
    st.button(
        "Discard changes",
        key=DISCARD_CHANGES,
        on_click=_on_discard_changes,
        use_container_width=True,
    )


def _refused_save(saved: SavedScenario, unsaved: list[str]) -> None:
    """Say that a save was refused, the user's values kept; offer what to do."""
    kept = f" ({plain('; '.join(unsaved))})" if unsaved else ""
    st.error(
        f"Your changes to {plain(saved.name)} were not saved: another session saved "
        f"or locked it since you opened it. Your values are still on the "
        f"sliders{kept}. Save them as a new scenario, or discard them to see "
        f"{plain(saved.name)} as it is saved now.",
        icon=":material/sync_problem:",
    )
    mine, theirs = st.columns(2)
    mine.button(
        "Save mine as new",
        key=SAVE_MINE,
        on_click=_on_save_mine_as_new,
        type="primary",
        use_container_width=True,
    )
    theirs.button(
        "Discard mine",
        key=SHOW_SAVED,
        on_click=_on_discard_changes,
        use_container_width=True,
    )


def _offer_file(current: Library) -> None:
    """Say which of an uploaded file's assumptions differ from the Base of the
    company's existing library, and offer to use them."""
    offer = st.session_state.get(FILE_OFFER)
    base = current.scenarios.get(BASE)
    if offer is None or offer[0] != current.key or base is None:
        return
    differ = differences(offer[1], base.scenario, "saved Base")
    if not differ:
        return
    st.warning(
        f"A library named {plain(st.session_state.get(COMPANY) or current.key)} "
        "already exists, and this file's own assumptions differ from its saved "
        f"Base: {plain('; '.join(differ))}. The sliders show the saved Base. "
        "Rename the company to start a library of its own from the file.",
        icon=":material/difference:",
    )
    use, keep = st.columns(2)
    use.button(
        "Use this file's assumptions",
        key=USE_FILE,
        on_click=_on_use_file,
        use_container_width=True,
    )
    keep.button(
        "Keep the saved Base",
        key=KEEP_SAVED,
        on_click=_on_keep_saved,
        use_container_width=True,
    )


def _offer_undo(current: Library) -> None:
    """Undo for the last scenario this session deleted of the company in use."""
    deleted = st.session_state.get(DELETED)
    if deleted is None or deleted[0] != current.key:
        return
    st.button(
        f"Undo: bring {deleted[1].name} back",
        key="scenarios.library.undo_delete",
        on_click=_on_undo_delete,
        icon=":material/undo:",
        use_container_width=True,
    )


def _ask_delete(saved: SavedScenario, unsaved: bool) -> None:
    """The question Delete asks before anything is deleted, while it is open."""
    asked = st.session_state.get(DELETE_ASKED)
    if asked is None:
        return
    if asked != saved.name or saved.locked or saved.name == BASE:
        # Another scenario was chosen meanwhile: the question no longer holds.
        st.session_state.pop(DELETE_ASKED, None)
        return
    also = (
        " Your unsaved changes to it go for good: Undo brings back the saved one."
        if unsaved
        else ""
    )
    st.warning(
        f"Delete {plain(repr(saved.name))}? It goes from the library of every "
        f"session of this company; Undo, offered next, brings it back.{also}",
        icon=":material/delete:",
    )
    yes, cancel = st.columns(2)
    yes.button(
        "Yes, delete",
        key="scenarios.library.delete.yes",
        on_click=_on_delete,
        type="primary",
        use_container_width=True,
    )
    cancel.button(
        "Cancel",
        key="scenarios.library.delete.cancel",
        on_click=_on_cancel_delete,
        use_container_width=True,
    )


def share_link(scenario: Scenario, workspace: Workspace) -> None:
    """Keep the page's address in step with the scenario, and show the link."""
    try:
        query = share_query(scenario, workspace.scenario)
    except ShareLinkError as problem:
        st.caption(f"No share link for this scenario: {plain(problem)}")
        return
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in query.items()}:
        st.query_params.from_dict(query)
    st.caption(
        "Share link: this page's address followed by the text below opens this "
        "scenario (it carries the assumptions, not the cost base)."
    )
    st.code(share_query_string(scenario, workspace.scenario), language=None)


def other_scenarios(workspace: Workspace, scenario: Scenario) -> list[Compared]:
    """The company's other scenarios in the library, projected (each kept
    while it is unchanged); none before the library has been opened."""
    current = library()
    if current is None:
        return []
    others = []
    for name, saved in current.scenarios.items():
        if name == scenario.name:
            continue
        try:
            projection = kept_projection(workspace, saved.scenario)
        except ProjectionError as problem:
            others.append(Compared(saved.scenario, None, str(problem)))
        else:
            others.append(Compared(saved.scenario, projection))
    return others


def projected_others(
    workspace: Workspace, scenario: Scenario
) -> list[tuple[Scenario, Projection]]:
    """`other_scenarios` that could be projected, with their projections: the
    scenario workbook shows them beside `scenario`. Called in the page's run
    (it reads the session), not when a download is built."""
    return [
        (other.scenario, other.projection)
        for other in other_scenarios(workspace, scenario)
        if other.projection is not None
    ]
