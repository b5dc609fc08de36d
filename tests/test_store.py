"""The scenario store: saved scenarios survive, stale and locked saves are refused."""

from __future__ import annotations

import multiprocessing
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from cpsu.saved import SavedScenario, ScenarioLocked, starting_scenarios
from cpsu.scenario import Scenario
from cpsu.store import (
    APPLICATION_ID,
    DATA_DIR_VARIABLE,
    STORE_FILE,
    ScenarioNotFound,
    ScenarioStore,
    StaleScenario,
    StoreBusy,
    UnreadableStore,
    data_dir,
    workspace_key,
)
from tests import store_workers
from tests.scenario_strategies import scenarios

COMPANY = workspace_key("Quillfern Analytics")


class Clock:
    """A clock that moves a minute on each reading."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(tmp_path):
    return ScenarioStore(tmp_path / STORE_FILE, clock=Clock())


def test_the_data_folder_comes_from_the_environment_or_the_user(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "cpsu data"))
    assert data_dir() == tmp_path / "cpsu data"
    store = ScenarioStore.in_data_dir()
    assert store.path == tmp_path / "cpsu data" / STORE_FILE
    assert store.path.exists()
    monkeypatch.delenv(DATA_DIR_VARIABLE)
    default = data_dir()
    assert default.is_absolute() and "cpsu" in default.parts[-1].lower()


def test_a_workspace_key_is_the_company_name_folded():
    assert workspace_key("  Quillfern   ANALYTICS ") == "quillfern analytics"
    with pytest.raises(ValueError, match="Name the company"):
        workspace_key("   ")


def test_a_saved_scenario_comes_back_with_its_history(store):
    base = Scenario(name="Board case", growth_per_quarter=0.08)
    first = store.save(COMPANY, SavedScenario(base))
    assert first.version == 1
    assert (
        first.created_at == first.updated_at == datetime(2026, 12, 4, 9, 1, tzinfo=UTC)
    )

    second = store.save(
        COMPANY, first.with_scenario(replace(base, growth_per_quarter=0.1))
    )
    assert second.version == 2
    assert second.created_at == first.created_at
    assert second.updated_at == datetime(2026, 12, 4, 9, 2, tzinfo=UTC)
    assert store.load(COMPANY, "Board case") == second
    assert store.scenarios(COMPANY) == [second]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios)
def test_any_scenario_is_saved_and_loaded_exactly(tmp_path, scenario):
    store = ScenarioStore(tmp_path / STORE_FILE)
    key = "property"
    try:
        previous = store.load(key, scenario.name).version
    except ScenarioNotFound:
        previous = 0
    saved = store.save(key, SavedScenario(scenario, version=previous))
    assert store.load(key, scenario.name) == saved
    assert saved.scenario == scenario


def test_a_save_from_an_old_copy_is_refused_and_changes_nothing(store):
    mine = store.save(COMPANY, SavedScenario(Scenario(name="Base")))
    theirs = store.save(
        COMPANY, mine.with_scenario(Scenario(name="Base", growth_per_quarter=0.2))
    )
    with pytest.raises(StaleScenario) as caught:
        store.save(
            COMPANY, mine.with_scenario(Scenario(name="Base", growth_per_quarter=0.05))
        )
    assert "was changed by another session since you opened it" in str(caught.value)
    # said without the store's version numbers, which mean nothing to a user
    assert "version" not in str(caught.value)
    assert store.load(COMPANY, "Base") == theirs


def test_a_new_scenario_with_a_taken_name_is_refused(store):
    store.save(COMPANY, SavedScenario(Scenario(name="Base")))
    with pytest.raises(StaleScenario, match="already exists"):
        store.save(COMPANY, SavedScenario(Scenario(name="Base", horizon_quarters=12)))


def test_a_locked_scenario_refuses_saves_and_deletes(store):
    saved = store.save(COMPANY, SavedScenario(Scenario(name="Agreed")))
    locked = store.lock(
        COMPANY, "Agreed", "Approved by the board", date(2027, 3, 12), 1
    )
    assert locked.locked and locked.version == 2
    assert store.load(COMPANY, "Agreed") == locked

    changed = replace(saved, scenario=Scenario(name="Agreed", growth_per_quarter=0.3))
    for attempt in (
        lambda: store.save(COMPANY, replace(changed, version=2)),
        lambda: store.delete(COMPANY, "Agreed", 2),
        lambda: store.lock(COMPANY, "Agreed", "Again", date(2027, 4, 1), 2),
    ):
        with pytest.raises(ScenarioLocked) as caught:
            attempt()
        assert "Approved by the board" in str(caught.value)
        assert "2027-03-12" in str(caught.value)
    assert store.load(COMPANY, "Agreed") == locked


def test_delete_is_checked_against_the_version_too(store):
    saved = store.save(COMPANY, SavedScenario(Scenario(name="Draft")))
    store.save(COMPANY, saved.with_scenario(Scenario(name="Draft", horizon_quarters=4)))
    with pytest.raises(StaleScenario):
        store.delete(COMPANY, "Draft", 1)
    store.delete(COMPANY, "Draft", 2)
    with pytest.raises(ScenarioNotFound, match="'Draft'"):
        store.load(COMPANY, "Draft")
    with pytest.raises(StaleScenario, match="was deleted by another session"):
        store.save(COMPANY, replace(saved, version=2))


def test_workspaces_keep_their_own_scenarios(store):
    other = workspace_key("Another Company")
    store.save(COMPANY, SavedScenario(Scenario(name="Base", growth_per_quarter=0.08)))
    store.save(other, SavedScenario(Scenario(name="Base", growth_per_quarter=0.02)))
    assert store.load(COMPANY, "Base").scenario.growth_per_quarter == 0.08
    assert store.load(other, "Base").scenario.growth_per_quarter == 0.02
    assert store.workspaces() == ["another company", "quillfern analytics"]


def test_the_starting_three_are_added_once(store):
    start = starting_scenarios(Scenario(growth_per_quarter=0.08))
    added = store.add_missing(COMPANY, start)
    assert [s.name for s in added] == ["Base", "Conservative", "Aggressive"]
    assert store.add_missing(COMPANY, start) == []
    assert [s.name for s in store.scenarios(COMPANY)] == [
        "Base",
        "Conservative",
        "Aggressive",
    ]


def test_scenarios_saved_in_the_same_instant_keep_their_order(tmp_path):
    instant = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    store = ScenarioStore(tmp_path / STORE_FILE, clock=lambda: instant)
    store.add_missing(COMPANY, starting_scenarios(Scenario()))
    names = [saved.name for saved in store.scenarios(COMPANY)]
    assert names == ["Base", "Conservative", "Aggressive"]


def test_a_reopened_store_finds_everything(tmp_path):
    path = tmp_path / STORE_FILE
    first = ScenarioStore(path)
    saved = [
        first.save(COMPANY, s)
        for s in starting_scenarios(Scenario(growth_per_quarter=0.1))
    ]
    locked = first.lock(COMPANY, "Base", "Signed off", date(2027, 1, 8), 1)
    del first

    again = ScenarioStore(path)
    assert again.scenarios(COMPANY) == [locked, *saved[1:]]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (
            connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        )
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [
            (1,)
        ]


def _refused_and_untouched(path, words):
    before = path.read_bytes()
    with pytest.raises(UnreadableStore) as caught:
        ScenarioStore(path)
    # The message names the file; the words are checked in the rest of it.
    message = str(caught.value)
    assert message.startswith(str(path))
    assert words in message.removeprefix(str(path))
    assert "left as it is" in message
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / STORE_FILE
    path.write_text("Item,Pool\nLaptops,Other\n")
    _refused_and_untouched(path, "not an SQLite database")


def test_another_programs_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / STORE_FILE
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (number TEXT, total REAL)")
        connection.execute("INSERT INTO invoices VALUES ('A-1', 12.5)")
    connection.close()
    _refused_and_untouched(path, "belongs to another program")


def test_a_damaged_store_is_refused_and_left_alone(tmp_path):
    path = tmp_path / STORE_FILE
    store = ScenarioStore(path)
    for index in range(200):
        store.save(COMPANY, SavedScenario(Scenario(name=f"Scenario {index:03}")))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    # Scribble over the third page: a disk error, a bad copy.
    data[2 * page : 3 * page] = b"\xa5" * page
    path.write_bytes(bytes(data))
    _refused_and_untouched(path, "it is damaged (SQLite says: database disk image")


def test_a_store_damaged_while_open_gives_the_same_plain_error(tmp_path):
    path = tmp_path / STORE_FILE
    store = ScenarioStore(path)
    store.save(COMPANY, SavedScenario(Scenario(name="Base")))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(path.read_bytes())
    # Every page after the first, where the tables are.
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableStore) as caught:
        store.scenarios(COMPANY)
    assert "it is damaged (SQLite says:" in str(caught.value).removeprefix(str(path))


def test_a_store_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / STORE_FILE
    ScenarioStore(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = 99")
    connection.close()
    with pytest.raises(UnreadableStore, match="newer version of the program"):
        ScenarioStore(path)


def test_a_store_of_an_older_schema_is_migrated(tmp_path, monkeypatch):
    from cpsu import store as store_module

    path = tmp_path / STORE_FILE
    ScenarioStore(path).save(COMPANY, SavedScenario(Scenario(name="Base")))

    def add_owner(connection):
        connection.execute("ALTER TABLE scenarios ADD COLUMN owner TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_module, "MIGRATIONS", {1: add_owner})
    migrated = ScenarioStore(path)
    assert migrated.load(COMPANY, "Base").version == 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (
            2,
        )
        columns = [row[1] for row in connection.execute("PRAGMA table_info(scenarios)")]
    connection.close()
    assert "owner" in columns


ROUNDS = 150


def test_two_processes_saving_at_once_never_corrupt_the_store(tmp_path):
    path = tmp_path / STORE_FILE
    store = ScenarioStore(path)
    store.save(
        store_workers.WORKSPACE, SavedScenario(Scenario(name=store_workers.SHARED))
    )

    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    workers = [
        context.Process(
            target=store_workers.save_many,
            args=(str(path), worker, ROUNDS, ready, start, results),
        )
        for worker in (1, 2)
    ]
    for process in workers:
        process.start()
    for _ in workers:
        ready.get(timeout=120)
    start.set()
    reports = [results.get(timeout=300) for _ in workers]
    for process in workers:
        process.join(timeout=60)
        # A worker ends with an exit code of 0 only if it raised nothing.
        assert process.exitcode == 0

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()

    shared_versions = []
    for _worker, shared_saves, own_saves, _stale in reports:
        versions = [version for version, _ in shared_saves]
        assert versions == sorted(set(versions))  # strictly increasing
        shared_versions += versions
        for name, version in own_saves:
            assert store.load(store_workers.WORKSPACE, name).version == version == 1
    # Every successful save of the shared scenario got its own version, 2 to
    # 1 + all the saves, and the last one is the one stored.
    assert sorted(shared_versions) == list(range(2, 2 + 2 * ROUNDS))
    last_version, last_growth = max(
        (save for report in reports for save in report[1]), key=lambda save: save[0]
    )
    shared = store.load(store_workers.WORKSPACE, store_workers.SHARED)
    assert (shared.version, shared.scenario.growth_per_quarter) == (
        last_version,
        last_growth,
    )
    assert len(store.scenarios(store_workers.WORKSPACE)) == 1 + 2 * ROUNDS
    stale = sum(report[3] for report in reports)
    print(f"{2 * ROUNDS} shared saves, {2 * ROUNDS} own saves, {stale} stale refused")


def test_a_save_that_fails_half_way_leaves_nothing(store):
    good = SavedScenario(Scenario(name="Fine"))
    broken = SavedScenario(Scenario(name="Broken", growth_per_quarter=float("inf")))
    with pytest.raises(ValueError, match="growth_per_quarter"):
        store.add_missing(COMPANY, [good, broken])
    # One transaction: the good one was not kept either.
    assert store.scenarios(COMPANY) == []


def test_a_writer_held_too_long_is_a_plain_busy_error(tmp_path):
    path = tmp_path / STORE_FILE
    store = ScenarioStore(path, busy_timeout_s=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(
            StoreBusy, match=r"busy with another save for more than 0\.2 s"
        ):
            store.save(COMPANY, SavedScenario(Scenario(name="Base")))
        # Readers do not wait for a writer.
        assert store.scenarios(COMPANY) == []
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.save(COMPANY, SavedScenario(Scenario(name="Base"))).version == 1


def test_sessions_in_threads_of_one_server_share_a_store_safely(store):
    # Streamlit runs each session's script in its own thread of one process.
    store.save(COMPANY, SavedScenario(Scenario(name="Shared")))
    stale = []

    def session(worker: int) -> list[int]:
        versions = []
        for round_ in range(40):
            while True:
                current = store.load(COMPANY, "Shared")
                changed = replace(current.scenario, growth_per_quarter=worker + round_)
                try:
                    saved = store.save(COMPANY, current.with_scenario(changed))
                except StaleScenario:
                    stale.append(worker)
                    continue
                versions.append(saved.version)
                break
        return versions

    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(session, range(4)))
    for versions in runs:
        assert versions == sorted(set(versions))
    assert sorted(v for versions in runs for v in versions) == list(range(2, 162))
    assert store.load(COMPANY, "Shared").version == 161


def test_the_log_stays_between_saves_and_never_blocks_a_checkpoint(tmp_path):
    path = tmp_path / STORE_FILE
    store = ScenarioStore(path)
    saved = store.save(COMPANY, SavedScenario(Scenario(name="Base")))
    for growth in (0.01, 0.02, 0.03):
        saved = store.save(
            COMPANY,
            saved.with_scenario(replace(saved.scenario, growth_per_quarter=growth)),
        )
    # The store's idle connection keeps the write-ahead log between saves...
    log = path.with_name(path.name + "-wal")
    assert log.exists()
    # ...and holds no read transaction: a full checkpoint is never kept waiting.
    with closing(sqlite3.connect(path)) as other:
        busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    assert store.load(COMPANY, "Base").scenario.growth_per_quarter == 0.03


def test_a_closed_or_forked_store_opens_its_idle_connection_again(tmp_path):
    from cpsu import store as store_module

    store = ScenarioStore(tmp_path / STORE_FILE)
    # What the process does before it forks: every store closes its idle
    # connection, which must not cross into the child.
    store_module._close_idle_connections()
    assert store._keeper is None
    saved = store.save(COMPANY, SavedScenario(Scenario(name="Base")))
    assert store._keeper is not None
    store.close()
    assert store.load(COMPANY, "Base") == saved
