"""The Scenarios page's levers, named scenarios, saving and share links, as a
user meets them (AppTest). A slider changes the session's scenario in
progress; Save changes writes it to the store. Every test saves to its own
CPSU_DATA_DIR (see conftest.py)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from cpsu.saved import SavedScenario, ScenarioLocked
from cpsu.store import STORE_FILE, ScenarioStore, StoreBusy, workspace_key
from cpsu.ui import scenario_library
from cpsu.ui.state import sample_workspace
from tests.test_cli import SAMPLE, call
from tests.test_pages import (
    cost_base_page,
    metric,
    new_app,
    scenarios_page,
    small_company,
    upload,
)

ROOT = Path(__file__).resolve().parents[1]
CHOICE = "scenarios.library.choice"
COMPANY = workspace_key("Quillfern Analytics")
HORIZON_CPSU = "CPSU 2028-Q4"
BASELINE_CPSU = "CPSU 2026-Q4"


def dollars(text: str) -> float:
    return float(text.strip("$").replace(",", ""))


def warnings(at: AppTest) -> str:
    """The warnings as the user reads them (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))


def restarted_app(query: dict[str, str] | None = None) -> AppTest:
    """A new app process as far as the store is concerned: no cached store."""
    scenario_library._store_in.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    return at.run()


def store() -> ScenarioStore:
    return ScenarioStore.in_data_dir()


def choose(at: AppTest, name: str) -> AppTest:
    return at.selectbox(key=CHOICE).set_value(name).run()


SAVE_CHANGES = "scenarios.library.save_changes"
DISCARD_CHANGES = "scenarios.library.discard_changes"
SAVE_MINE = "scenarios.library.conflict.save_mine"
SHOW_SAVED = "scenarios.library.conflict.show_saved"


def save_changes(at: AppTest) -> AppTest:
    """Click Save changes, offered while the sliders differ from the saved."""
    return at.button(key=SAVE_CHANGES).click().run()


def errors(at: AppTest) -> str:
    """The errors as the user reads them (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def turn_on(at: AppTest, key: str, value: float) -> AppTest:
    at.toggle(key=f"{key}.on").set_value(True).run()
    return at.slider(key=key).set_value(value).run()


# Each lever moved far from the sample's value, and which way CPSU at the
# horizon (2028-Q4) must go.
LEVER_MOVES = [
    # 15% more tickets a year: more agents and per-ticket work per user
    ("scenarios.tickets_trend", 0.15, "up"),
    # agents handle 50% more tickets: fewer agents
    ("scenarios.productivity", 0.50, "down"),
    # deflection grows 10 points a quarter (to the 35% cap): fewer tickets
    ("scenarios.deflection_step", 0.10, "down"),
    # the cap at the start's 12% stops the sample's 2-point gain each quarter
    ("scenarios.deflection_cap", 0.12, "up"),
    # a desk-side ticket costs more than a Tier 2 one in the sample:
    # 79,950 / 12 / 90 + 33.15 = 107.18 against 123,500 / 12 / 120 = 85.76
    ("scenarios.deskside_share", 0.90, "up"),
    # contingent workers count half: fewer supported users share fixed costs
    ("scenarios.contingent_weight", 0.5, "up"),
]


@pytest.mark.parametrize(("key", "value", "direction"), LEVER_MOVES)
def test_every_service_desk_lever_moves_cpsu_the_right_way(key, value, direction):
    at = new_app()
    before = dollars(metric(at, HORIZON_CPSU))
    at.slider(key=key).set_value(value).run()
    assert not at.exception
    after = dollars(metric(at, HORIZON_CPSU))
    assert (after > before) if direction == "up" else (after < before)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        # the sample's staffed lines rise 4% a year; 15% is more
        ("scenarios.labour_escalation", 0.15),
        # its licences rise 0% to 5% a year; 20% is more
        ("scenarios.licence_escalation", 0.20),
    ],
)
def test_an_escalation_override_raises_cpsu_and_off_means_each_lines_own(key, value):
    at = new_app()
    before = metric(at, HORIZON_CPSU)
    assert at.toggle(key=f"{key}.on").value is False
    turn_on(at, key, value)
    assert dollars(metric(at, HORIZON_CPSU)) > dollars(before)
    # escalation starts after a year: the baseline does not move
    assert metric(at, BASELINE_CPSU) == metric(new_app(), BASELINE_CPSU)
    at.toggle(key=f"{key}.on").set_value(False).run()
    assert metric(at, HORIZON_CPSU) == before


def test_the_contingent_share_changes_users_only_when_switched_on():
    at = new_app()
    at.slider(key="scenarios.contingent_weight").set_value(0.5).run()
    grown_alike = dollars(metric(at, HORIZON_CPSU))
    # off, the slider starts at the baseline's own share: 150 / 1,350 = 11%
    at.toggle(key="scenarios.contingent_share.on").set_value(True).run()
    share = at.slider(key="scenarios.contingent_share").value
    assert share == pytest.approx(150 / 1350)
    at.slider(key="scenarios.contingent_share").set_value(0.5).run()
    # half the grown headcount is contingent and counts half: fewer users
    assert dollars(metric(at, HORIZON_CPSU)) > grown_alike


def test_the_horizon_runs_from_4_to_40_quarters():
    at = new_app()
    horizon = at.slider(key="scenarios.horizon")
    assert (horizon.min, horizon.max) == (4, 40)
    horizon.set_value(40).run()
    assert [m.label for m in at.metric][1] == "CPSU 2036-Q4"  # 2026-Q4 + 10 years


@pytest.mark.parametrize(
    ("key", "value", "note"),
    [
        ("scenarios.tickets_trend", 0.10, "yearly trend of tickets per user of +10.0%"),
        ("scenarios.deflection_step", 0.09, "Deflection gaining 9.0% a quarter"),
        # 650 tickets an agent x 1.5 = 975, above the 500 to 800 benchmark
        ("scenarios.productivity", 0.50, "handle 975 tickets a month"),
        ("scenarios.deflection_cap", 0.60, "A deflection cap of 60%"),
        ("scenarios.tickets_per_user", 3.0, None),
    ],
)
def test_a_value_outside_the_usual_range_gets_a_note_not_a_refusal(key, value, note):
    at = new_app()
    before = warnings(at)
    at.slider(key=key).set_value(value).run()
    assert not at.exception and not at.error
    if note is not None:
        assert note not in before
        assert note in warnings(at)
    assert at.slider(key=key).value == pytest.approx(value)


def test_an_escalation_outside_the_usual_range_gets_a_note():
    at = new_app()
    turn_on(at, "scenarios.labour_escalation", 0.10)
    assert "Labour escalation of 10.0% a year is outside the usual 2% to 5%" in (
        warnings(at)
    )
    turn_on(at, "scenarios.licence_escalation", 0.15)
    assert "Licence escalation of 15.0% a year is outside the usual 0% to 10%" in (
        warnings(at)
    )


EVERY_LEVER = {
    "scenarios.growth": 0.12,
    "scenarios.horizon": 12,
    "scenarios.tickets_per_user": 1.4,
    "scenarios.tickets_trend": -0.03,
    "scenarios.resolution_rate": 0.75,
    "scenarios.deskside_share": 0.25,
    "scenarios.deflection": 0.15,
    "scenarios.deflection_step": 0.03,
    "scenarios.deflection_cap": 0.40,
    "scenarios.productivity": 0.08,
    "scenarios.contingent_weight": 0.75,
}
OVERRIDES = {
    "scenarios.contingent_share": 0.2,
    "scenarios.labour_escalation": 0.03,
    "scenarios.licence_escalation": 0.06,
}


def set_every_lever(at: AppTest) -> AppTest:
    for key, value in EVERY_LEVER.items():
        at.slider(key=key).set_value(value).run()
    for key, value in OVERRIDES.items():
        turn_on(at, key, value)
    assert not at.exception
    return at


def assert_every_lever_holds(at: AppTest) -> None:
    for key, value in {**EVERY_LEVER, **OVERRIDES}.items():
        assert at.slider(key=key).value == pytest.approx(value), key
    for key in OVERRIDES:
        assert at.toggle(key=f"{key}.on").value is True


def test_every_value_holds_through_a_page_switch_a_download_and_a_rerun():
    at = set_every_lever(new_app())
    shown = metric(at, "CPSU 2029-Q4")
    at = scenarios_page(cost_base_page(at))
    assert_every_lever_holds(at)
    data = at.session_state["scenarios.download.live_file"]()
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(0.12)
    at.run()
    assert_every_lever_holds(at)
    assert metric(at, "CPSU 2029-Q4") == shown
    assert at.selectbox(key=CHOICE).value == "Base"


def test_every_lever_is_saved_and_a_restarted_app_finds_it():
    at = set_every_lever(new_app())
    # moved, not saved: the store still has the sample's
    assert store().load(COMPANY, "Base").version == 1
    save_changes(at)
    assert not at.exception
    at = restarted_app()
    assert_every_lever_holds(at)
    saved = store().load(COMPANY, "Base").scenario
    assert saved.levers.productivity == pytest.approx(0.08)
    assert saved.levers.labour_escalation == pytest.approx(0.03)
    assert saved.contingent_share == pytest.approx(0.2)
    assert saved.service_desk.tickets_trend == pytest.approx(-0.03)


def test_the_library_starts_with_three_and_choosing_moves_the_sliders():
    at = new_app()
    assert at.text_input(key="scenarios.company").value == "Quillfern Analytics"
    assert at.selectbox(key=CHOICE).options == ["Base", "Conservative", "Aggressive"]
    choose(at, "Conservative")
    # half the sample's 8% growth; the less favourable ends of the benchmarks
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.04)
    assert at.slider(key="scenarios.tickets_per_user").value == pytest.approx(1.3)
    assert at.slider(key="scenarios.resolution_rate").value == pytest.approx(0.66)
    assert at.slider(key="scenarios.deflection_step").value == 0.0
    conservative = dollars(metric(at, HORIZON_CPSU))
    choose(at, "Aggressive")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.12)
    assert at.slider(key="scenarios.productivity").value == pytest.approx(0.10)
    assert dollars(metric(at, HORIZON_CPSU)) < conservative


def test_a_change_to_a_chosen_scenario_is_saved_for_a_restarted_app():
    at = choose(new_app(), "Conservative")
    at.slider(key="scenarios.growth").set_value(0.05).run()
    # half the sample's 8%, as saved, until Save changes
    assert store().load(COMPANY, "Conservative").scenario.growth_per_quarter == 0.04
    save_changes(at)
    assert store().load(COMPANY, "Conservative").scenario.growth_per_quarter == 0.05
    # Base is untouched
    assert store().load(COMPANY, "Base").scenario.growth_per_quarter == 0.08

    at = restarted_app()
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.08)  # Base
    choose(at, "Conservative")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.05)


def test_a_rerun_that_changes_nothing_only_lists_the_store(monkeypatch):
    at = new_app()
    calls = []
    real = ScenarioStore._session

    def counted(self, write):
        calls.append(write)
        return real(self, write)

    monkeypatch.setattr(ScenarioStore, "_session", counted)
    at.run()
    at.run()
    # one read a run: the names and versions, to offer other sessions' saves
    assert calls == [False, False]
    at.slider(key="scenarios.growth").set_value(0.10).run()
    assert calls == [False] * 3  # a move stays in the session
    calls.clear()
    save_changes(at)
    assert calls == [True, False]  # one write, then the run's list


def test_a_save_based_on_a_version_another_session_saved_over_is_refused():
    mine, theirs = new_app(), new_app()
    save_changes(theirs.slider(key="scenarios.growth").set_value(0.15).run())
    mine.slider(key="scenarios.tickets_per_user").set_value(2.0).run()
    # mine opened Base before their save: its sliders still show 8%
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.08)
    save_changes(mine)
    assert "Your changes to Base were not saved: another session saved" in (
        errors(mine)
    )
    # nothing written over theirs, and mine's values are still on its sliders
    saved = store().load(COMPANY, "Base")
    assert saved.scenario.growth_per_quarter == 0.15
    assert saved.scenario.service_desk.tickets_per_user_month == 1.1
    assert mine.slider(key="scenarios.tickets_per_user").value == pytest.approx(2.0)
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.08)
    # Save changes is not offered again; saving mine as new keeps both
    assert SAVE_CHANGES not in {button.key for button in mine.button}
    mine.button(key=SAVE_MINE).click().run()
    assert mine.selectbox(key=CHOICE).value == "Base (copy)"
    copy = store().load(COMPANY, "Base (copy)").scenario
    assert copy.service_desk.tickets_per_user_month == 2.0
    assert copy.growth_per_quarter == 0.08
    assert store().load(COMPANY, "Base").version == saved.version
    # Base, chosen again, is theirs
    choose(mine, "Base")
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.15)


def test_after_a_refused_save_discard_shows_the_saved_values():
    mine, theirs = new_app(), new_app()
    save_changes(theirs.slider(key="scenarios.growth").set_value(0.15).run())
    save_changes(mine.slider(key="scenarios.growth").set_value(0.02).run())
    assert "were not saved" in errors(mine)
    mine.button(key=SHOW_SAVED).click().run()
    assert not mine.error
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.15)
    # now based on their version: a new move saves
    save_changes(mine.slider(key="scenarios.growth").set_value(0.03).run())
    assert store().load(COMPANY, "Base").scenario.growth_per_quarter == 0.03


def open_popover(at: AppTest, key: str) -> AppTest:
    """Open a popover whose fields are drawn only while it is open."""
    at.session_state[key] = True
    return at.run()


def lock(at: AppTest, note: str) -> AppTest:
    open_popover(at, "scenarios.library.lock.open")
    at.text_input(key="scenarios.library.lock_note").set_value(note)
    return at.button(key="scenarios.library.lock").click().run()


def test_a_locked_scenario_disables_its_sliders_and_refuses_saves():
    at = choose(new_app(), "Aggressive")
    lock(at, "Agreed at the March budget review")
    assert not at.exception
    assert at.slider(key="scenarios.growth").disabled
    assert at.slider(key="scenarios.horizon").disabled
    assert at.toggle(key="scenarios.labour_escalation.on").disabled
    message = at.info[0].value
    assert "Agreed at the March budget review" in message
    assert date.today().isoformat() in message
    assert "Aggressive (locked)" in at.selectbox(key=CHOICE).options

    saved = store().load(COMPANY, "Aggressive")
    assert saved.locked and saved.locked_on == date.today()
    with pytest.raises(ScenarioLocked):
        store().save(COMPANY, saved.with_scenario(saved.scenario))
    with pytest.raises(ScenarioLocked):
        store().save(COMPANY, SavedScenario(saved.scenario, version=saved.version))

    # the UI cannot move a disabled slider; a value forced into the session
    # goes back, and nothing is saved
    with pytest.raises(AppTestError, match="disabled"):
        at.slider(key="scenarios.growth").set_value(0.25)
    at.session_state["scenarios.growth"] = 0.25
    at.run()
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.12)
    assert store().load(COMPANY, "Aggressive").version == saved.version

    at.button(key="scenarios.library.copy").click().run()
    assert at.selectbox(key=CHOICE).value == "Aggressive (copy)"
    assert not at.slider(key="scenarios.growth").disabled
    save_changes(at.slider(key="scenarios.growth").set_value(0.2).run())
    copy = store().load(COMPANY, "Aggressive (copy)").scenario
    assert copy.growth_per_quarter == 0.2


def test_a_lock_needs_a_note():
    at = lock(choose(new_app(), "Aggressive"), "  ")
    assert "the note is required" in at.error[0].value
    assert not at.slider(key="scenarios.growth").disabled
    assert not store().load(COMPANY, "Aggressive").locked


def save_as(at: AppTest, name: str) -> AppTest:
    open_popover(at, "scenarios.library.save_new.open")
    at.text_input(key="scenarios.library.new_name").set_value(name)
    return at.button(key="scenarios.library.save_new").click().run()


def test_save_as_new_refuses_a_taken_or_blank_name_and_delete_removes_it():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.10).run()
    save_as(at, "Board plan")
    assert at.selectbox(key=CHOICE).value == "Board plan"
    assert at.selectbox(key=CHOICE).options[-1] == "Board plan"
    assert store().load(COMPANY, "Board plan").scenario.growth_per_quarter == 0.10

    save_as(at, "board PLAN")
    assert "already exists" in at.error[0].value
    save_as(at, "   ")
    assert "Give the new scenario a name" in at.error[0].value
    assert [s.name for s in store().scenarios(COMPANY)] == [
        "Base",
        "Conservative",
        "Aggressive",
        "Board plan",
    ]

    at.button(key="scenarios.library.delete").click().run()
    at.button(key="scenarios.library.delete.yes").click().run()
    assert "Board plan" not in at.selectbox(key=CHOICE).options
    assert at.selectbox(key=CHOICE).value == "Base"
    assert "Board plan" not in [s.name for s in store().scenarios(COMPANY)]
    # Base stays: its Delete is disabled
    assert at.button(key="scenarios.library.delete").disabled


def test_the_address_follows_the_scenario_and_a_reload_opens_it():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.2).run()
    choose(at, "Conservative")
    at.slider(key="scenarios.horizon").set_value(12).run()
    assert at.query_params["n"] == "Conservative"
    assert at.query_params["h"] == "12"
    assert at.query_params["g"] == "0.04"
    assert "?v=1&n=Conservative" in at.code[0].value

    # a reload is a new session with the address's query: the same scenario,
    # its unsaved changes shown as such and saved nowhere
    reloaded = restarted_app(dict(at.query_params))
    assert reloaded.selectbox(key=CHOICE).value == "Conservative"
    assert reloaded.slider(key="scenarios.horizon").value == 12
    assert metric(reloaded, "CPSU 2029-Q4") == metric(at, "CPSU 2029-Q4")
    assert len(reloaded.selectbox(key=CHOICE).options) == 3
    assert "Unsaved changes to Conservative: 1 assumption differs" in (
        warnings(reloaded)
    )
    assert "horizon 12 quarters (saved 8 quarters)" in warnings(reloaded)
    assert store().load(COMPANY, "Conservative").version == 1
    assert store().load(COMPANY, "Base").version == 1


def test_a_link_never_overwrites_a_saved_scenario(monkeypatch, tmp_path):
    at = choose(new_app(), "Conservative")
    at.slider(key="scenarios.horizon").set_value(12).run()
    link = dict(at.query_params)

    # another machine with its own store, whose Conservative has 8 quarters
    monkeypatch.setenv("CPSU_DATA_DIR", str(tmp_path / "elsewhere"))
    opened = restarted_app(link)
    assert not opened.exception
    assert opened.selectbox(key=CHOICE).value == "Conservative"
    assert "differ from the saved 'Conservative'" in opened.info[0].value
    assert "Unsaved changes to Conservative" in warnings(opened)
    assert opened.slider(key="scenarios.growth").value == pytest.approx(0.04)
    assert opened.slider(key="scenarios.horizon").value == 12
    assert metric(opened, "CPSU 2029-Q4") == metric(at, "CPSU 2029-Q4")
    assert store().load(COMPANY, "Conservative").scenario.horizon_quarters == 8
    assert len(store().scenarios(COMPANY)) == 3  # nothing saved by the link


def test_a_link_to_a_scenario_the_library_lacks_is_shown_until_saved_under_its_name():
    at = restarted_app({"v": "1", "n": "Hiring freeze", "g": "0", "p": "0.05"})
    assert at.selectbox(key=CHOICE).value == "Base"
    assert "'Hiring freeze' is not saved for this company" in at.info[0].value
    assert at.slider(key="scenarios.growth").value == 0.0
    assert at.slider(key="scenarios.productivity").value == pytest.approx(0.05)
    assert "Hiring freeze" not in [s.name for s in store().scenarios(COMPANY)]
    # Save as new offers the link's name
    open_popover(at, "scenarios.library.save_new.open")
    assert at.text_input(key="scenarios.library.new_name").value == "Hiring freeze"
    at.button(key="scenarios.library.save_new").click().run()
    assert at.selectbox(key=CHOICE).value == "Hiring freeze"
    saved = store().load(COMPANY, "Hiring freeze").scenario
    assert saved.levers.productivity == 0.05
    assert store().load(COMPANY, "Base").version == 1


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"v": "1", "g": "abc"}, "growth per quarter (g=abc)"),
        ({"v": "1", "g": "0.2", "zz": "1"}, "'zz'"),
        ({"v": "1", "r": "1.5"}, "resolution rate (r=1.5)"),
    ],
)
def test_a_damaged_link_warns_and_changes_nothing(query, named):
    at = restarted_app(query)
    assert not at.exception
    assert "The link could not be opened" in warnings(at)
    assert named in warnings(at)
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.08)
    assert at.slider(key="scenarios.resolution_rate").value == pytest.approx(0.70)
    assert store().load(COMPANY, "Base").version == 1


def test_a_broken_store_file_leaves_the_page_working_with_saving_off(cpsu_data_dir):
    folder = cpsu_data_dir
    (folder / STORE_FILE).write_bytes(b"these are not the scenarios you saved")
    at = restarted_app()
    assert not at.exception
    assert "Saving is off" in warnings(at)
    assert "not an SQLite database" in warnings(at)
    assert metric(at, BASELINE_CPSU).startswith("$")
    # the session's scenarios still work, and the address still carries them
    choose(at, "Conservative")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.04)
    at.slider(key="scenarios.growth").set_value(0.06).run()
    save_as(at, "Mine")
    assert at.selectbox(key=CHOICE).value == "Mine"
    choose(at, "Conservative")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.04)
    save_changes(at.slider(key="scenarios.growth").set_value(0.05).run())
    choose(at, "Mine")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.06)
    choose(at, "Conservative")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.05)
    # and the file was left as it was
    assert (folder / STORE_FILE).read_bytes().startswith(b"these are not")


def test_an_upload_opens_the_scenarios_of_its_own_company():
    at = cost_base_page(new_app())
    upload(at, "small.xlsx", small_company())
    at = scenarios_page(at)
    assert at.text_input(key="scenarios.company").value == "small"
    assert at.selectbox(key=CHOICE).value == "Base"
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.05)
    assert [s.name for s in store().scenarios("small")] == [
        "Base",
        "Conservative",
        "Aggressive",
    ]
    # the sample's scenarios are still under its own name
    at.text_input(key="scenarios.company").set_value("Quillfern Analytics").run()
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.08)


def test_the_chosen_scenario_and_company_hold_through_a_page_switch():
    at = choose(new_app(), "Conservative")
    at.slider(key="scenarios.horizon").set_value(10).run()
    at.text_input(key="scenarios.company").set_value("  quillfern ANALYTICS").run()
    # the same company's key: nothing moves
    assert at.slider(key="scenarios.horizon").value == 10
    at = scenarios_page(cost_base_page(at))
    assert at.selectbox(key=CHOICE).value == "Conservative"
    assert at.text_input(key="scenarios.company").value == "  quillfern ANALYTICS"
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.04)
    assert at.slider(key="scenarios.horizon").value == 10
    assert [m.label for m in at.metric][1] == "CPSU 2029-Q2"


def test_a_scenario_locked_by_another_session_is_shown_locked():
    mine, theirs = choose(new_app(), "Conservative"), choose(new_app(), "Conservative")
    lock(theirs, "Sent to the board")
    save_changes(mine.slider(key="scenarios.growth").set_value(0.07).run())
    assert (
        "Your changes to Conservative were not saved: another session saved or "
        "locked it"
    ) in errors(mine)
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.07)
    assert store().load(COMPANY, "Conservative").scenario.growth_per_quarter == 0.04
    mine.button(key=SHOW_SAVED).click().run()
    assert mine.slider(key="scenarios.growth").value == pytest.approx(0.04)
    assert mine.slider(key="scenarios.growth").disabled
    assert "Sent to the board" in " ".join(info.value for info in mine.info)


def test_a_busy_store_turns_saving_off_and_the_page_carries_on(monkeypatch):
    at = new_app()
    calls = []

    def busy(self, workspace, saved):
        calls.append(saved.name)
        raise StoreBusy("The scenario store was busy with another save; try again.")

    monkeypatch.setattr(ScenarioStore, "save", busy)
    save_changes(at.slider(key="scenarios.growth").set_value(0.11).run())
    assert not at.exception
    assert "Saving is off: The scenario store was busy" in warnings(at)
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.11)
    # the session keeps its scenarios without asking the store again
    at.slider(key="scenarios.growth").set_value(0.12).run()
    choose(at, "Aggressive")
    choose(at, "Base")
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.12)
    assert calls == ["Base"]


def test_one_store_a_data_folder_is_shared_by_the_sessions(monkeypatch, tmp_path):
    first = scenario_library.open_store()
    assert scenario_library.open_store() is first
    monkeypatch.setenv("CPSU_DATA_DIR", str(tmp_path / "another"))
    other = scenario_library.open_store()
    assert other is not first
    assert other.path == tmp_path / "another" / STORE_FILE


def test_with_saving_off_a_reload_takes_the_scenario_from_the_link(cpsu_data_dir):
    (cpsu_data_dir / STORE_FILE).write_bytes(b"junk")
    at = restarted_app()
    save_changes(at.slider(key="scenarios.growth").set_value(0.13).run())
    reloaded = restarted_app(dict(at.query_params))
    assert "Saving is off" in warnings(reloaded)
    assert reloaded.selectbox(key=CHOICE).value == "Base"
    assert reloaded.slider(key="scenarios.growth").value == pytest.approx(0.13)


@pytest.mark.parametrize(
    ("source", "company"),
    [
        ("Sample company (Quillfern Analytics)", "Quillfern Analytics"),
        (
            "Sample company (Quillfern Analytics) + roster staff.xlsx",
            "Quillfern Analytics",
        ),
        ("FY27 budget.xlsx", "FY27 budget"),
        ("budgets.xlsx, sheet FY26 budget", "budgets"),
        ("acme.csv + roster staff.xlsx", "acme"),
        ("GL export ledger 2026.xlsx", "ledger 2026"),
        ("Typed in by hand", "Typed in by hand"),
    ],
)
def test_the_company_is_named_by_the_sample_or_the_files_stem(source, company):
    workspace = replace(sample_workspace(), source=source)
    assert scenario_library.company_default(workspace) == company


def test_a_scenario_saved_in_the_app_is_projected_by_the_cli(capsys):
    at = new_app()
    at.slider(key="scenarios.horizon").set_value(6).run()
    save_as(at, "Board plan")
    save_changes(at.slider(key="scenarios.growth").set_value(0.15).run())
    shown = metric(at, "CPSU 2028-Q2")

    code, out, err = call(
        capsys,
        "project",
        str(SAMPLE),
        "--scenario",
        "Board plan",
        "--company",
        "Quillfern Analytics",
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert len(report["quarters"]) == 7  # the baseline and 6 quarters
    assert f"${report['quarters'][-1]['cpsu']:,.2f}" == shown


def test_a_line_change_is_saved_with_its_scenario_and_comes_back():
    at = choose(new_app(), "Aggressive")
    before = dollars(metric(at, HORIZON_CPSU))
    at.session_state["scenarios.line_change.open"] = True  # "Line changes" opened
    at.run()
    at.selectbox(key="scenarios.line_change.price.item").set_value(
        "Microsoft 365 E3"
    ).run()
    at.number_input(key="scenarios.line_change.price.value.Microsoft 365 E3").set_value(
        30.0
    ).run()
    at.button(key="scenarios.line_change.price.add").click().run()
    assert not at.exception
    # A cheaper licence from quarter 1 lowers CPSU at the horizon.
    assert dollars(metric(at, HORIZON_CPSU)) < before
    assert "line changes 1 (saved 0)" in warnings(at)
    assert store().load(COMPANY, "Aggressive").scenario.changes == ()
    save_changes(at)
    saved = store().load(COMPANY, "Aggressive").scenario
    assert [(c.item, c.from_quarter, c.line.unit_cost) for c in saved.changes] == [
        ("Microsoft 365 E3", 1, 30.0)
    ]
    assert store().load(COMPANY, "Base").scenario.changes == ()

    at = choose(restarted_app(), "Aggressive")
    assert dollars(metric(at, HORIZON_CPSU)) < before
    assert "Line changes (1)" in [e.label for e in at.expander]


def test_a_locked_scenario_offers_no_line_change():
    at = open_popover(new_app(), "scenarios.library.lock.open")
    at.text_input(key="scenarios.library.lock_note").input("Agreed budget").run()
    at.button(key="scenarios.library.lock").click().run()
    assert not at.exception
    assert store().load(COMPANY, "Base").locked
    at.session_state["scenarios.line_change.open"] = True
    at.run()
    assert not [
        b for b in at.button if b.key and b.key.startswith("scenarios.line_change.")
    ]


def test_the_save_and_lock_fields_are_drawn_only_while_their_popover_is_open():
    # A slider's rerun does not pay for fields nobody is filling in.
    at = new_app()
    keys = {element.key for element in at.text_input}
    assert "scenarios.library.new_name" not in keys
    assert "scenarios.library.lock_note" not in keys
    open_popover(at, "scenarios.library.lock.open")
    assert at.text_input(key="scenarios.library.lock_note").value == ""
    assert "scenarios.library.new_name" not in {e.key for e in at.text_input}
