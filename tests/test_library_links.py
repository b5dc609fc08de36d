"""A changed share link opened again, or the page reloaded with it, selects
the scenario it already made rather than adding another (AppTest, query
parameters); a different link still adds one."""

from __future__ import annotations

from cpsu.store import ScenarioStore, workspace_key
from tests.test_pages import new_app
from tests.test_scenario_library import CHOICE, choose, restarted_app

COMPANY = workspace_key("Quillfern Analytics")


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


def test_the_same_link_opened_twice_adds_one_scenario(monkeypatch, tmp_path):
    link = link_to_conservative(12, monkeypatch, tmp_path)
    first = restarted_app(link)
    assert first.selectbox(key=CHOICE).value == "Conservative (from link)"

    again = restarted_app(link)
    assert not again.exception
    assert again.selectbox(key=CHOICE).value == "Conservative (from link)"
    assert again.slider(key="scenarios.horizon").value == 12
    assert stored_names() == [
        "Base",
        "Conservative",
        "Aggressive",
        "Conservative (from link)",
    ]
    assert again.selectbox(key=CHOICE).options == stored_names()


def test_a_reload_with_the_address_the_link_became_adds_nothing(monkeypatch, tmp_path):
    opened = restarted_app(link_to_conservative(12, monkeypatch, tmp_path))
    # the address now names the scenario the link made
    assert opened.query_params["n"] == "Conservative (from link)"
    reloaded = restarted_app(dict(opened.query_params))
    assert reloaded.selectbox(key=CHOICE).value == "Conservative (from link)"
    assert len(stored_names()) == 4  # the starting three and the link's
    # and the first link once more, after the reload
    restarted_app(link_to_conservative(12, monkeypatch, tmp_path))
    assert len(stored_names()) == 4


def test_a_different_link_still_adds_one(monkeypatch, tmp_path):
    restarted_app(link_to_conservative(12, monkeypatch, tmp_path))
    other = restarted_app(link_to_conservative(10, monkeypatch, tmp_path))
    assert other.selectbox(key=CHOICE).value == "Conservative (from link 2)"
    assert other.slider(key="scenarios.horizon").value == 10
    assert stored_names()[3:] == [
        "Conservative (from link)",
        "Conservative (from link 2)",
    ]
    # each opens its own again
    again = restarted_app(link_to_conservative(12, monkeypatch, tmp_path))
    assert again.selectbox(key=CHOICE).value == "Conservative (from link)"
    assert len(stored_names()) == 5
