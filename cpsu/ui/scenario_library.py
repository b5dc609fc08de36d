"""The scenario library in the Scenarios sidebar: a company's named scenarios.

The company's name (the sample's, or an upload's file name, and editable)
keys the scenarios in the store. On a company's first use the starting
three are added; choosing one moves the sliders to it; every change of the
sliders is saved as it happens, carrying the version it was based on, so a
change made meanwhile by another session is reloaded and said, never
overwritten; a move a browser sends before it has drawn that reload still
carries the old values of the sliders the other session moved, and those are
refused too. A locked scenario shows disabled sliders and offers a copy to
explore. Delete asks first, and Undo brings the deleted scenario back.

Each session keeps its own copy of the library; the store, one per process
and data folder, is what sessions share. The store is called only when
something changes: the company, the choice, the sliders, or a button. When
the store cannot be opened, the library lives in the session alone and the
panel says saving is off, and why.

A share link is read once, on the session's first look at the library: a
link naming a saved scenario chooses it, one naming another is saved as a
new one (once: the same link opened again chooses the scenario it made), and
a damaged link is named in a warning and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import streamlit as st

from cpsu.compare import Compared
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
NEW_NAME = "scenarios.library.new_name"
LOCK_NOTE = "scenarios.library.lock_note"
SAVE_NEW_OPEN = "scenarios.library.save_new.open"  # the popovers, open or not
LOCK_OPEN = "scenarios.library.lock.open"
MESSAGES = "scenarios.library.messages"
DELETE_ASKED = "scenarios.library.delete.asked"  # the name Delete asks about
DELETED = "scenarios.library.deleted"  # the last deleted scenario, for Undo
REFUSED = "scenarios.library.refused"  # what the browser showed at a refusal
LINK_READ = "scenarios.library.link_read"

_FILE_NAME = re.compile(
    r"([^,+]+?\.(?:xlsx|xlsm|xls|csv|tsv|txt|html?))", re.IGNORECASE
)


@dataclass
class Library:
    """One company's scenarios as this session has them, by name in the
    store's order; `saving_off` says why they are not being saved, if not."""

    key: str
    scenarios: dict[str, SavedScenario] = field(default_factory=dict)
    saving_off: str | None = None


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


def _say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


def library() -> Library | None:
    """The library of the company in use, once the panel has opened it."""
    return st.session_state.get(CURRENT)


def chosen() -> SavedScenario | None:
    """The saved scenario the sliders show."""
    current = library()
    if current is None:
        return None
    return current.scenarios.get(st.session_state.get(CHOICE, ""))


def _choose(saved: SavedScenario) -> None:
    st.session_state[CHOICE] = saved.name
    state.set_sliders(saved.scenario)


def _choose_first(current: Library) -> None:
    """Choose Base, or the first scenario when Base is gone."""
    _choose(current.scenarios.get(BASE) or next(iter(current.scenarios.values())))


def _store_failed(current: Library, problem: StoreError) -> None:
    current.saving_off = str(problem)


def _load(key: str, base: Scenario) -> Library:
    """A company's library from the store, with the starting three on its first
    use; the session's own when the store cannot be opened."""
    kept = st.session_state.setdefault(LIBRARIES, {})
    try:
        store = open_store()
        stored = store.scenarios(key)
        if not stored:
            store.add_missing(key, starting_scenarios(base))
            stored = store.scenarios(key)
    except (UnreadableStore, StoreBusy) as problem:
        if key in kept and kept[key].saving_off:
            return kept[key]
        loaded = Library(
            key,
            {saved.name: saved for saved in starting_scenarios(base)},
            saving_off=str(problem),
        )
    else:
        loaded = Library(key, {saved.name: saved for saved in stored})
    kept[key] = loaded
    return loaded


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


def _open_company(key: str, workspace: Workspace) -> Library:
    base = replace(state.current_scenario(), changes=workspace.scenario.changes)
    current = _load(key, base)
    st.session_state[CURRENT] = current
    _choose_first(current)
    return current


def _read_link(current: Library, workspace: Workspace) -> None:
    """Open the scenario of the link the session started with, if any."""
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
    saved = current.scenarios.get(linked.name)
    if saved is None:
        _save_new(current, linked)
        return
    linked = replace(linked, changes=saved.scenario.changes)
    _choose(saved)
    if linked == saved.scenario:
        return
    if current.saving_off and not saved.locked:
        # Nothing was kept: the link is the only copy of the scenario's state.
        state.set_sliders(linked)
        return
    # A link never overwrites a saved scenario: its own values open as a new
    # one, once; the same link opened again chooses the one it made.
    made = _made_by_link(current, linked)
    if made is not None:
        _choose(made)
        return
    name = _unused_name(current, saved.name, "from link")
    if _save_new(current, replace(linked, name=name)):
        _say(
            "info",
            f"The link's assumptions differ from the saved {saved.name!r}; they "
            f"were opened as {name!r}.",
        )


def _made_by_link(current: Library, linked: Scenario) -> SavedScenario | None:
    """The scenario an earlier opening of the same link made: one named
    "<name> (from link…)" that holds the link's assumptions."""
    prefix = f"{linked.name} (from link"
    for name, saved in current.scenarios.items():
        if name.startswith(prefix) and saved.scenario == replace(linked, name=name):
            return saved
    return None


def _unused_name(current: Library, name: str, why: str) -> str:
    """A name the library lacks: 'Base (copy)', then 'Base (copy 2)' and on."""
    wanted, number = f"{name} ({why})", 1
    while _taken(current, wanted):
        number += 1
        wanted = f"{name} ({why} {number})"
    return wanted


@dataclass(frozen=True)
class _Refused:
    """A save refused because another session had changed the scenario: the
    sliders the other session moved, each with the value this session's
    browser showed for it. Until the browser shows the reloaded values, a
    move it sends still carries these old ones (it was made before the reload
    was drawn), and saving it would write them over the other's change."""

    name: str
    old_values: dict[str, object]

    def is_stale(self, scenario: Scenario) -> bool:
        """Whether a screen still shows a value from before the reload."""
        shown = state.slider_values(scenario)
        return any(shown[key] == value for key, value in self.old_values.items())


def _remember_refused(
    before: SavedScenario, screen: SavedScenario, fresh: SavedScenario
) -> None:
    """Keep what the browser showed of the sliders another session moved."""
    was = state.slider_values(before.scenario)
    now = state.slider_values(fresh.scenario)
    shown = state.slider_values(screen.scenario)
    # A browser value equal to the reloaded one tells nothing: left out.
    moved = {key: shown[key] for key in now if was[key] != now[key] != shown[key]}
    old = st.session_state.get(REFUSED)
    if isinstance(old, _Refused) and old.name == screen.name:
        # A refusal of a move sent before an earlier reload was drawn: the
        # browser may still show the values of before that one too.
        moved = {**old.old_values, **moved}
    st.session_state[REFUSED] = _Refused(screen.name, moved)


def _save(current: Library, updated: SavedScenario) -> None:
    """Save a changed scenario, or say why it was not; the session keeps the
    store's copy."""
    if current.saving_off:
        current.scenarios[updated.name] = updated
        return
    before = current.scenarios.get(updated.name, updated)
    try:
        current.scenarios[updated.name] = open_store().save(current.key, updated)
        return
    except (StaleScenario, ScenarioLocked) as problem:
        refused: StoreError | ScenarioLocked = problem
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        current.scenarios[updated.name] = updated
        return
    _reload_refused(current, updated, refused, before)


def _reload_refused(
    current: Library,
    updated: SavedScenario,
    refused: StoreError | ScenarioLocked,
    before: SavedScenario,
) -> None:
    """Show the stored scenario that another session changed, locked or deleted
    since this one opened it, and say so."""
    name = updated.name
    try:
        fresh = open_store().load(current.key, name)
    except ScenarioNotFound:
        # Deleted meanwhile: the change is kept under its name.
        try:
            current.scenarios[name] = open_store().save(
                current.key, replace(updated, version=0)
            )
        except StoreError as problem:
            _say("error", f"Your change to {name!r} was not saved: {problem}")
            return
        _say("warning", f"Another session deleted {name!r}; it was saved again.")
        return
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        return
    current.scenarios[name] = fresh
    _choose(fresh)
    _remember_refused(before, updated, fresh)
    if isinstance(refused, ScenarioLocked):
        _say(
            "warning",
            f"Another session locked {name!r} ({fresh.lock_note}); it is shown as "
            "locked, and your last change was not saved.",
        )
        return
    _say(
        "warning",
        f"Another session changed {name!r} since you opened it; it is shown as "
        "saved there, and your last change was not saved.",
    )


def _save_screen(current: Library) -> None:
    """Save the sliders into the chosen scenario when they differ from it."""
    saved = chosen()
    if saved is None:
        return
    screen = replace(state.current_scenario(), name=saved.name)
    refused = st.session_state.get(REFUSED)
    if isinstance(refused, _Refused) and refused.name == saved.name:
        if not refused.is_stale(screen):
            # The browser shows the reloaded values: its moves are its user's.
            del st.session_state[REFUSED]
        elif screen != saved.scenario and not saved.locked:
            _refuse_stale_screen(current, saved, screen)
            return
    if screen == saved.scenario:
        return
    if saved.locked:
        state.set_sliders(saved.scenario)
        return
    _save(current, saved.with_scenario(screen))


def _refuse_stale_screen(
    current: Library, saved: SavedScenario, screen: Scenario
) -> None:
    """Refuse the old values a browser sends before it has drawn the reload of
    a refused save: the sliders the other session moved show its values again,
    the user's own moves of the others are saved, and the refusal is said."""
    fresh = saved
    if not current.saving_off:
        try:
            fresh = open_store().load(current.key, saved.name)
        except StoreError:
            fresh = saved
    current.scenarios[saved.name] = fresh
    _remember_refused(saved, saved.with_scenario(screen), fresh)
    theirs = st.session_state[REFUSED].old_values
    shown = state.slider_values(screen)
    stored = state.slider_values(fresh.scenario)
    _choose(fresh)
    for key, value in shown.items():
        # None is an override left to the data: its toggle says so.
        if key not in theirs and value != stored[key] and value is not None:
            st.session_state[key] = value
    _say(
        "warning",
        f"Another session changed {saved.name!r} since you opened it; the "
        "sliders it moved show its values, and your last change to them was not "
        "saved.",
    )
    merged = replace(state.current_scenario(), name=saved.name)
    if merged != fresh.scenario:
        _save(current, fresh.with_scenario(merged))


def _save_new(current: Library, scenario: Scenario) -> bool:
    """Save a scenario under its (new) name and choose it; False when refused."""
    new = SavedScenario(scenario)
    if current.saving_off:
        current.scenarios[new.name] = new
        _choose(new)
        return True
    try:
        stored = open_store().save(current.key, new)
    except StaleScenario as problem:
        _say("error", str(problem))
        return False
    except (UnreadableStore, StoreBusy) as problem:
        _store_failed(current, problem)
        stored = new
    current.scenarios[stored.name] = stored
    _choose(stored)
    return True


def _taken(current: Library, name: str) -> bool:
    folded = name.casefold()
    return any(known.casefold() == folded for known in current.scenarios)


def _on_choose() -> None:
    st.session_state.pop(REFUSED, None)
    current, saved = library(), chosen()
    if current is None or saved is None:
        return
    if not current.saving_off:
        try:
            saved = open_store().load(current.key, saved.name)
        except ScenarioNotFound:
            _say("warning", f"Another session deleted {saved.name!r}.")
            current.scenarios.pop(saved.name, None)
            _choose_first(current)
            return
        except (UnreadableStore, StoreBusy) as problem:
            _store_failed(current, problem)
        current.scenarios[saved.name] = saved
    state.set_sliders(saved.scenario)


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
    if _save_new(current, replace(state.current_scenario(), name=name)):
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
    if current is None or saved is None:
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


def _label(current: Library, name: str) -> str:
    return f"{name} (locked)" if current.scenarios[name].locked else name


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
    if current is not None and not st.session_state.get(LINK_READ):
        _read_link(current, workspace)
    return current


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
    _save_screen(current)

    if current.saving_off:
        st.warning(
            f"Saving is off: {plain(current.saving_off)} Your scenarios are kept "
            "in this session only.",
            icon=":material/cloud_off:",
        )
    for kind, text in st.session_state.pop(MESSAGES, []):
        getattr(st, kind)(plain(text))

    names = list(current.scenarios)
    if st.session_state.get(CHOICE) not in names:
        _choose_first(current)
    st.selectbox(
        "Scenario",
        names,
        key=CHOICE,
        format_func=lambda name: _label(current, name),
        on_change=_on_choose,
        persist_state="session",
    )
    saved = current.scenarios[st.session_state[CHOICE]]
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
        disabled=saved.locked,
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
    _ask_delete(saved)
    _offer_undo(current)
    return saved.locked


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


def _ask_delete(saved: SavedScenario) -> None:
    """The question Delete asks before anything is deleted, while it is open."""
    asked = st.session_state.get(DELETE_ASKED)
    if asked is None:
        return
    if asked != saved.name or saved.locked or saved.name == BASE:
        # Another scenario was chosen meanwhile: the question no longer holds.
        st.session_state.pop(DELETE_ASKED, None)
        return
    st.warning(
        f"Delete {plain(repr(saved.name))}? It cannot be brought back.",
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
