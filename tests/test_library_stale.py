"""Two sessions on the same saved scenario, saving explicitly: a save based on
a version that another session has saved over since is refused and said, the
user's values kept on the sliders; no save ever writes over another's saved
change unseen, and a slider move never reaches the store (AppTest)."""

from __future__ import annotations

import random

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.store import ScenarioStore, workspace_key
from cpsu.ui.state import slider_values
from tests.test_pages import new_app
from tests.test_scenario_library import (
    DISCARD_CHANGES,
    SAVE_CHANGES,
    SHOW_SAVED,
    errors,
)

COMPANY = workspace_key("Quillfern Analytics")
GROWTH = "scenarios.growth"
TICKETS = "scenarios.tickets_per_user"
RESOLUTION = "scenarios.resolution_rate"
DEFLECTION = "scenarios.deflection"
MOVED = (GROWTH, TICKETS, RESOLUTION, DEFLECTION)
REFUSED = "Your changes to Base were not saved"

# Values each session moves to: none is a starting value, so every save
# changes something.
VALUES = {
    GROWTH: (0.02, 0.05, 0.11, 0.16),
    TICKETS: (0.8, 1.5, 1.9, 2.4),
    RESOLUTION: (0.5, 0.6, 0.8, 0.9),
    DEFLECTION: (0.2, 0.25, 0.3, 0.4),
}


def stored():
    return ScenarioStore.in_data_dir().load(COMPANY, "Base")


def shown(at: AppTest) -> dict[str, float]:
    return {key: at.slider(key=key).value for key in MOVED}


def saved_values(scenario) -> dict[str, float]:
    values = slider_values(scenario)
    return {key: values[key] for key in MOVED}


def buttons(at: AppTest) -> set[str]:
    return {button.key for button in at.button}


def test_a_save_after_the_other_sessions_save_is_refused_until_discarded():
    mine, theirs = new_app(), new_app()
    theirs.slider(key=GROWTH).set_value(0.16).run()
    theirs.button(key=SAVE_CHANGES).click().run()
    mine.slider(key=TICKETS).set_value(2.4).run()
    mine.button(key=SAVE_CHANGES).click().run()
    assert REFUSED in errors(mine)
    # a later move does not make the next save go through
    mine.slider(key=DEFLECTION).set_value(0.3).run()
    assert SAVE_CHANGES not in buttons(mine)
    assert REFUSED in errors(mine)
    assert shown(mine)[TICKETS] == pytest.approx(2.4)
    assert stored().scenario.growth_per_quarter == 0.16
    assert stored().scenario.service_desk.tickets_per_user_month == 1.1


@pytest.mark.parametrize("seed", range(10))
def test_interleaved_moves_and_saves_never_overwrite_the_others_save(seed):
    """Two sessions take turns at random: move a slider, save, or discard.
    Whatever the order, a move leaves the store as it is; a save lands only
    when it is based on the version the store holds, and then the store holds
    the saving user's values; a refused save is said and the user's values
    stay on the sliders."""
    pick = random.Random(seed)
    sessions = [new_app(), new_app()]
    # The store version each session's scenario in progress is based on,
    # and that version's values.
    based = [stored().version, stored().version]
    copy = [saved_values(stored().scenario), saved_values(stored().scenario)]
    for _ in range(24):
        index = pick.randrange(2)
        at = sessions[index]
        action = pick.choice(("move", "move", "save", "save", "discard"))
        before = stored()
        values = shown(at)
        if action == "move":
            key = pick.choice(MOVED)
            at.slider(key=key).set_value(pick.choice(VALUES[key])).run()
            assert not at.exception
            assert stored() == before  # a move stays in its session
            continue
        if action == "discard":
            for key in (DISCARD_CHANGES, SHOW_SAVED):
                if key in buttons(at):
                    at.button(key=key).click().run()
                    assert shown(at) == pytest.approx(saved_values(stored().scenario))
                    based[index] = stored().version
                    copy[index] = saved_values(stored().scenario)
            assert stored() == before
            continue
        if SAVE_CHANGES not in buttons(at):
            # Nothing unsaved, or a refused save waiting for the user's say.
            assert values == pytest.approx(copy[index]) or REFUSED in errors(at)
            continue
        at.button(key=SAVE_CHANGES).click().run()
        assert not at.exception
        after = stored()
        if after.version == before.version:
            # Refused: said, nothing written, the user's values still shown.
            assert based[index] != before.version
            assert REFUSED in errors(at)
            assert after == before
            assert shown(at) == pytest.approx(values)
            continue
        # Saved: only over the version this session had seen, with its values.
        assert based[index] == before.version
        assert after.version == before.version + 1
        assert saved_values(after.scenario) == pytest.approx(values)
        based[index] = after.version
        copy[index] = values
