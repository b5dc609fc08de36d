"""Two sessions moving the same saved scenario: a save based on what another
session has since changed is refused with a message, and no change is lost
(AppTest).

A browser sends the values of every widget it shows with each move. After a
refused save the page reloads the stored scenario, but a move the user made
before the browser received that reload still carries the browser's old
values: those must not be saved over the other session's change.
"""

from __future__ import annotations

import random

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.store import ScenarioStore, workspace_key
from cpsu.ui.state import slider_values
from tests.test_pages import new_app
from tests.test_scenario_library import warnings

COMPANY = workspace_key("Quillfern Analytics")
GROWTH = "scenarios.growth"
TICKETS = "scenarios.tickets_per_user"
RESOLUTION = "scenarios.resolution_rate"
DEFLECTION = "scenarios.deflection"
MOVED = (GROWTH, TICKETS, RESOLUTION, DEFLECTION)
STALE = "Another session changed 'Base'"


def stored():
    return ScenarioStore.in_data_dir().load(COMPANY, "Base")


def shown(at: AppTest) -> dict[str, float]:
    return {key: at.slider(key=key).value for key in MOVED}


def send(at: AppTest, values: dict[str, float]) -> AppTest:
    """One request from the browser: every slider as it shows them."""
    for key, value in values.items():
        at.slider(key=key).set_value(value)
    return at.run()


def test_a_move_sent_before_the_reload_arrived_is_refused_and_said():
    mine, theirs = new_app(), new_app()
    theirs.slider(key=GROWTH).set_value(0.15).run()
    before_reload = shown(mine)  # growth 8%, as the sample has it
    mine.slider(key=TICKETS).set_value(2.0).run()
    assert STALE in warnings(mine)
    assert mine.slider(key=GROWTH).value == pytest.approx(0.15)

    # The browser had not drawn the reload yet: its next move still carries
    # growth at 8%, with tickets moved on.
    send(mine, {**before_reload, TICKETS: 2.05})
    assert not mine.exception
    assert STALE in warnings(mine)
    assert stored().scenario.growth_per_quarter == 0.15  # their change kept
    assert mine.slider(key=GROWTH).value == pytest.approx(0.15)
    # tickets, which theirs did not move, keeps mine's move
    assert stored().scenario.service_desk.tickets_per_user_month == 2.05
    assert mine.slider(key=TICKETS).value == pytest.approx(2.05)

    # Once the browser shows the stored scenario, a move is saved as usual.
    mine.slider(key=TICKETS).set_value(2.0).run()
    assert STALE not in warnings(mine)
    assert stored().scenario.growth_per_quarter == 0.15
    assert stored().scenario.service_desk.tickets_per_user_month == 2.0


def test_after_the_reload_the_user_can_move_the_slider_the_other_session_moved():
    mine, theirs = new_app(), new_app()
    theirs.slider(key=GROWTH).set_value(0.15).run()
    mine.slider(key=TICKETS).set_value(2.0).run()
    assert STALE in warnings(mine)
    mine.slider(key=GROWTH).set_value(0.10).run()
    assert STALE not in warnings(mine)
    assert stored().scenario.growth_per_quarter == 0.10


def test_a_refused_move_to_the_value_the_other_session_chose_does_not_block_the_next():
    mine, theirs = new_app(), new_app()
    theirs.slider(key=GROWTH).set_value(0.15).run()
    theirs.slider(key=TICKETS).set_value(2.0).run()
    # mine moves tickets to the very value theirs chose: refused all the same
    mine.slider(key=TICKETS).set_value(2.0).run()
    assert STALE in warnings(mine)
    # the browser now shows the stored scenario; the next move is saved
    mine.slider(key=DEFLECTION).set_value(0.3).run()
    assert STALE not in warnings(mine)
    assert stored().scenario.service_desk.deflection == 0.3
    assert stored().scenario.growth_per_quarter == 0.15


# Values each session moves to: none is a starting value, so every save
# changes something.
VALUES = {
    GROWTH: (0.02, 0.05, 0.11, 0.16),
    TICKETS: (0.8, 1.5, 1.9, 2.4),
    RESOLUTION: (0.5, 0.6, 0.8, 0.9),
    DEFLECTION: (0.2, 0.25, 0.3, 0.4),
}


@pytest.mark.parametrize("seed", range(8))
def test_interleaved_moves_of_two_sessions_never_lose_the_others_change(seed):
    """Two sessions take turns at random, some moves sent from a browser that
    had not yet drawn the answer to its last request. Whatever the order, no
    save writes over a lever whose stored value the other session set, other
    than the levers its user moved since the browser last drew the page; and
    a move that was not saved is said."""
    pick = random.Random(seed)
    sessions = [new_app(), new_app()]
    # What each browser showed when it sent its last request.
    sent = [shown(at) for at in sessions]
    # The levers each browser's user moved since it last drew the page.
    own: list[set[str]] = [set(), set()]
    # Which session's save last set each lever in the store.
    set_by: dict[str, int] = {}
    for _ in range(20):
        index = pick.randrange(2)
        at = sessions[index]
        key = pick.choice(MOVED)
        value = pick.choice(VALUES[key])
        late = pick.random() < 0.4
        showing = shown(at)
        request = {**(sent[index] if late else showing), key: value}
        own[index] = (own[index] if late else set()) | {key}
        before = stored()
        sent[index] = request
        send(at, request)
        assert not at.exception
        after = stored()

        was, now = slider_values(before.scenario), slider_values(after.scenario)
        if after.version == before.version:
            # Not saved: nothing moved, or the refusal was said.
            assert request == showing or STALE in warnings(at)
            continue
        changed = {k for k in was if was[k] != now[k]}
        overwritten = {k for k in changed - own[index] if set_by.get(k, index) != index}
        assert not overwritten, (overwritten, key)
        # The move is saved, or it was of a lever the other session had moved
        # and the refusal was said.
        assert now[key] == value or STALE in warnings(at)
        set_by.update(dict.fromkeys(changed, index))
