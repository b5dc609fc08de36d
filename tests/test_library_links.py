"""A share link opens its assumptions as unsaved changes and saves nothing:
opened again, or the page reloaded with it, the library is as it was; the
user keeps them only by saving (AppTest, query parameters)."""

from __future__ import annotations

from datetime import date

from cpsu.store import ScenarioStore, workspace_key
from tests.test_pages import new_app
from tests.test_scenario_library import (
    CHOICE,
    choose,
    restarted_app,
    save_as,
    warnings,
)

COMPANY = workspace_key("Quillfern Analytics")
STARTING = ["Base", "Conservative", "Aggressive"]


def stored_names() -> list[str]:
    return [saved.name for saved in ScenarioStore.in_data_dir().scenarios(COMPANY)]


def link_to_conservative(horizon: int, monkeypatch, tmp_path) -> dict[str, str]:
    """A link made on another machine, whose Conservative has `horizon` quarters."""
    with monkeypatch.context() as elsewhere:
        elsewhere.setenv("CPSU_DATA_DIR", str(tmp_path / f"elsewhere-{horizon}"))
        at = choose(new_app(), "Conservative")
        at.slider(key="scenarios.horizon").set_value(horizon).run()
        link = dict(at.query_params)
    return link


def test_the_same_link_opened_twice_adds_nothing(monkeypatch, tmp_path):
    link = link_to_conservative(12, monkeypatch, tmp_path)
    first = restarted_app(link)
    assert first.selectbox(key=CHOICE).value == "Conservative"
    assert "Unsaved changes to Conservative" in warnings(first)

    again = restarted_app(link)
    assert not again.exception
    assert again.selectbox(key=CHOICE).value == "Conservative"
    assert again.slider(key="scenarios.horizon").value == 12
    assert stored_names() == STARTING
    assert again.selectbox(key=CHOICE).options == STARTING
    conservative = ScenarioStore.in_data_dir().load(COMPANY, "Conservative")
    assert (conservative.version, conservative.scenario.horizon_quarters) == (1, 8)


def test_a_reload_with_the_address_the_link_became_adds_nothing(monkeypatch, tmp_path):
    opened = restarted_app(link_to_conservative(12, monkeypatch, tmp_path))
    assert opened.query_params["n"] == "Conservative"
    reloaded = restarted_app(dict(opened.query_params))
    assert reloaded.selectbox(key=CHOICE).value == "Conservative"
    assert reloaded.slider(key="scenarios.horizon").value == 12
    assert stored_names() == STARTING


def test_a_link_is_kept_only_when_the_user_saves_it(monkeypatch, tmp_path):
    opened = restarted_app(link_to_conservative(10, monkeypatch, tmp_path))
    save_as(opened, "Ten quarters")
    assert stored_names() == [*STARTING, "Ten quarters"]
    kept = ScenarioStore.in_data_dir().load(COMPANY, "Ten quarters").scenario
    assert kept.horizon_quarters == 10
    assert kept.growth_per_quarter == 0.04  # Conservative's: half the sample's 8%


def test_a_link_to_a_locked_scenario_opens_as_changes_to_base(monkeypatch, tmp_path):
    link = link_to_conservative(12, monkeypatch, tmp_path)
    store = ScenarioStore.in_data_dir()
    restarted_app()  # makes the starting three here
    conservative = store.load(COMPANY, "Conservative")
    store.lock(
        COMPANY, "Conservative", "Board", date(2026, 12, 1), conservative.version
    )
    opened = restarted_app(link)
    assert not opened.exception
    assert opened.selectbox(key=CHOICE).value == "Base"
    assert "'Conservative' is locked here" in opened.info[0].value
    assert opened.slider(key="scenarios.horizon").value == 12
    assert not opened.slider(key="scenarios.horizon").disabled
    assert "Unsaved changes to Base" in warnings(opened)
    opened.session_state["scenarios.library.save_new.open"] = True
    opened.run()
    name = opened.text_input(key="scenarios.library.new_name").value
    assert name == "Conservative (from link)"
    assert stored_names() == STARTING
