"""What each process of the concurrent-save test does; importable by a child."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from cpsu.saved import SavedScenario
from cpsu.scenario import Scenario
from cpsu.store import ScenarioStore, StaleScenario

WORKSPACE = "concurrency test"
SHARED = "Shared"


def save_many(path: str, worker: int, rounds: int, ready, start, results) -> None:
    """Alternate a change to the shared scenario with a new one of this worker's.

    The shared scenario is read, changed and saved on the version read; a
    stale save is counted and retried from a fresh read. Anything other than
    StaleScenario ends the process with it. Reports every successful save.
    """
    store = ScenarioStore(path)
    shared_saves: list[tuple[int, float]] = []
    own_saves: list[tuple[str, int]] = []
    stale = 0
    pause = random.Random(worker)
    ready.put(worker)
    start.wait()
    for round_ in range(rounds):
        while True:
            current = store.load(WORKSPACE, SHARED)
            # A moment to change it, as a user would: the other may save meanwhile.
            time.sleep(pause.uniform(0, 0.002))
            # A value no other save writes: this worker's, this round's.
            growth = worker + round_ / 1000
            try:
                saved = store.save(
                    WORKSPACE,
                    current.with_scenario(
                        replace(current.scenario, growth_per_quarter=growth)
                    ),
                )
            except StaleScenario:
                stale += 1
                continue
            shared_saves.append((saved.version, growth))
            break
        name = f"Worker {worker} round {round_}"
        own = store.save(WORKSPACE, SavedScenario(Scenario(name=name)))
        own_saves.append((name, own.version))
    results.put((worker, shared_saves, own_saves, stale))
