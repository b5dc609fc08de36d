"""Saved scenarios, kept in an embedded SQLite file so that nothing is lost.

The store is one SQLite database in a data folder: the folder named by the
CPSU_DATA_DIR environment variable, or else the user's own data folder as
the operating system names it (platformdirs). A browser refresh or a server
restart opens the same file and finds every scenario saved in it.

Several sessions, threads or processes may save at once. The database runs
in WAL mode (readers never wait for a writer), every write is one
transaction begun with BEGIN IMMEDIATE (so two writers queue instead of
failing half way), and a writer waits up to a busy timeout for the other.
Each scenario carries a version that counts its saves; a save says which
version it was based on and is refused with `StaleScenario` when the
stored one has moved on since, so that one session never silently
overwrites another's change. A locked scenario refuses every change,
saving and deleting alike, with `ScenarioLocked`.

Scenarios are grouped by workspace key so that one data folder holds
several companies. The key is the company's name as the user types it,
folded to lower case with its spaces tidied, not a hash of the cost base
and headcount: a hash changes with every corrected cost line or new
quarter of headcount, and the scenarios built for the company would
vanish with it, while the company's name stays. The price is that two
different cost bases saved under one name share their scenarios; that is
what a user who gives them one name asks for.

The file identifies itself (SQLite's application id) and records its
schema version. A file that is not SQLite, is damaged, or belongs to
another program is refused with `UnreadableStore` and left exactly as it
is; a store of an older schema is brought up to date by `MIGRATIONS`, one
of a newer schema is refused.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import platformdirs

from cpsu.saved import SavedScenario, ScenarioLocked
from cpsu.scenario_dict import scenario_from_dict, scenario_to_dict

logger = logging.getLogger(__name__)

DATA_DIR_VARIABLE = "CPSU_DATA_DIR"
APP_NAME = "cpsu"
STORE_FILE = "scenarios.sqlite3"
# SQLite's application id for this program's files: "CPSU" in ASCII.
APPLICATION_ID = 0x43505355
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0

_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    workspace TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version > 0),
    assumptions TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0,
    lock_note TEXT NOT NULL DEFAULT '',
    locked_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace, name)
);
"""

# Each migration brings a store of schema version N to N + 1, inside the
# transaction that records the new version.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


class StoreError(Exception):
    """Something the store refuses or cannot do; the message says what to do."""


class StaleScenario(StoreError):
    """A save based on a version that is no longer the stored one."""


class ScenarioNotFound(StoreError):
    """No scenario of that name in the workspace."""


class UnreadableStore(StoreError):
    """The store's file is not a scenario store, or is damaged; it is left alone."""


class StoreBusy(StoreError):
    """Another writer held the store for longer than the busy timeout."""


def data_dir() -> Path:
    """The folder for saved scenarios: CPSU_DATA_DIR, or the user's data folder."""
    chosen = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def workspace_key(company: str) -> str:
    """The key a company's scenarios are kept under: its name, folded and tidied."""
    key = " ".join(unicodedata.normalize("NFKC", company).casefold().split())
    if not key:
        raise ValueError("Name the company the scenarios belong to.")
    return key


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Row:
    """What a write checks of the stored scenario."""

    version: int
    locked: bool
    lock_note: str
    locked_on: date | None
    created_at: datetime


class ScenarioStore:
    """Saved scenarios of every workspace, in one SQLite file.

    Each call opens its own connection, so one store can serve every
    session and thread of the app; opening checks the file once.

    The store also keeps one idle connection open for as long as it lives.
    It runs nothing, but while it is open the write-ahead log stays: when
    the last connection to a WAL database closes, SQLite copies the log into
    the file and deletes it, which took most of the time of a save. It is
    closed before the process forks, since SQLite connections must not cross
    a fork, and opened again at the next call.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._clock = clock
        self._keeper: sqlite3.Connection | None = None
        self._keeper_lock = threading.Lock()
        self._open()
        _STORES.add(self)
        self._keep_log()

    @classmethod
    def in_data_dir(
        cls, folder: Path | None = None, **options: object
    ) -> ScenarioStore:
        """The store in `folder`, by default CPSU_DATA_DIR or the user's data folder."""
        folder = data_dir() if folder is None else folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise UnreadableStore(
                f"The folder for saved scenarios, {folder}, cannot be made "
                f"({problem.strerror}). Set {DATA_DIR_VARIABLE} to a folder you "
                "can write to."
            ) from None
        return cls(folder / STORE_FILE, **options)  # type: ignore[arg-type]

    # Opening and checking the file.

    def _unreadable(self, why: str) -> UnreadableStore:
        return UnreadableStore(
            f"{self.path} is not a scenario store this program can use: {why} "
            "It was left as it is; move it away, or set "
            f"{DATA_DIR_VARIABLE} to another folder."
        )

    def _check_header(self) -> bool:
        """Whether the file has content; refuse one that is not SQLite at all."""
        try:
            with self.path.open("rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return False
        except OSError as problem:
            raise self._unreadable(f"it cannot be read ({problem.strerror}).") from None
        if not header:
            return False
        if header != _SQLITE_HEADER:
            raise self._unreadable("it is not an SQLite database.")
        return True

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout_s,
            isolation_level=None,
        )
        connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the
        # last saves, not the store. A full sync of each save took tens of
        # milliseconds on a busy disk.
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def _keep_log(self) -> None:
        """Open the idle connection that keeps the write-ahead log, if it is not."""
        if self._keeper is not None:
            return
        with self._keeper_lock:
            if self._keeper is not None:
                return
            try:
                keeper = sqlite3.connect(
                    self.path, timeout=self.busy_timeout_s, check_same_thread=False
                )
                # Reading the header opens the log and its index.
                keeper.execute("PRAGMA schema_version").fetchall()
            except sqlite3.Error as problem:
                # Only a matter of speed: every call still has its own connection.
                logger.debug("No idle connection to %s: %s", self.path, problem)
                return
            self._keeper = keeper

    def close(self) -> None:
        """Close the idle connection (the next call opens it again)."""
        with self._keeper_lock:
            keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.close()

    def _open(self) -> None:
        existing = self._check_header()
        try:
            with closing(self._connect()) as connection:
                if existing:
                    self._check_existing(connection)
                connection.execute("PRAGMA journal_mode = WAL")
                with self._transaction(connection):
                    self._prepare(connection)
        except sqlite3.DatabaseError as problem:
            if _busy(problem):
                raise StoreBusy(self._busy_message()) from None
            raise self._unreadable(f"it is damaged (SQLite says: {problem}).") from None

    def _check_existing(self, connection: sqlite3.Connection) -> None:
        """Refuse a damaged file or another program's, before writing anything."""
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if application_id != APPLICATION_ID and (tables or application_id):
            raise self._unreadable("it belongs to another program.")
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise self._unreadable(f"it is damaged ({result}).")

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Create the tables of a new store, or bring an older one up to date."""
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        row = connection.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(
                "INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,)
            )
            return
        version = row[0]
        if version > SCHEMA_VERSION:
            raise self._unreadable(
                f"it was written by a newer version of the program (schema "
                f"{version}; this one knows up to {SCHEMA_VERSION})."
            )
        while version < SCHEMA_VERSION:
            logger.info("Migrating the scenario store from schema %s", version)
            MIGRATIONS[version](connection)
            version += 1
            connection.execute("UPDATE schema_version SET version = ?", (version,))

    @contextmanager
    def _transaction(self, connection: sqlite3.Connection) -> Iterator[None]:
        """One write, all or nothing; BEGIN IMMEDIATE takes the write lock first."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _busy_message(self) -> str:
        return (
            f"The scenario store was busy with another save for more than "
            f"{self.busy_timeout_s:g} s; try again."
        )

    @contextmanager
    def _session(self, write: bool) -> Iterator[sqlite3.Connection]:
        """A connection, in a transaction when `write`; SQLite errors explained."""
        self._keep_log()
        try:
            with closing(self._connect()) as connection:
                if write:
                    with self._transaction(connection):
                        yield connection
                else:
                    yield connection
        except sqlite3.DatabaseError as problem:
            if _busy(problem):
                raise StoreBusy(self._busy_message()) from None
            raise self._unreadable(f"it is damaged (SQLite says: {problem}).") from None

    # Reading.

    def workspaces(self) -> list[str]:
        """Every workspace key with a saved scenario."""
        with self._session(write=False) as connection:
            rows = connection.execute(
                "SELECT DISTINCT workspace FROM scenarios ORDER BY workspace"
            ).fetchall()
        return [workspace for (workspace,) in rows]

    def scenarios(self, workspace: str) -> list[SavedScenario]:
        """The workspace's saved scenarios, oldest first."""
        with self._session(write=False) as connection:
            rows = connection.execute(
                f"SELECT {_COLUMNS} FROM scenarios WHERE workspace = ? "
                "ORDER BY created_at, rowid",
                (workspace,),
            ).fetchall()
        return [self._saved(row, workspace) for row in rows]

    def versions(self, workspace: str) -> dict[str, int]:
        """Each saved scenario's name and version, oldest first: a cheap look at
        what other sessions have added, saved, locked or deleted."""
        with self._session(write=False) as connection:
            rows = connection.execute(
                "SELECT name, version FROM scenarios WHERE workspace = ? "
                "ORDER BY created_at, rowid",
                (workspace,),
            ).fetchall()
        return dict(rows)

    def load(self, workspace: str, name: str) -> SavedScenario:
        """One saved scenario; ScenarioNotFound when there is none of that name."""
        with self._session(write=False) as connection:
            row = connection.execute(
                f"SELECT {_COLUMNS} FROM scenarios WHERE workspace = ? AND name = ?",
                (workspace, name),
            ).fetchone()
        if row is None:
            raise ScenarioNotFound(f"No scenario named {name!r} is saved.")
        return self._saved(row, workspace)

    def _saved(self, row: tuple, workspace: str) -> SavedScenario:
        (name, version, assumptions, locked, note, locked_on, created, updated) = row
        try:
            scenario = scenario_from_dict(json.loads(assumptions))
        except ValueError as problem:
            raise self._unreadable(
                f"scenario {name!r} of {workspace!r} cannot be read ({problem})."
            ) from None
        return SavedScenario(
            scenario=replace(scenario, name=name),
            locked=bool(locked),
            lock_note=note,
            locked_on=date.fromisoformat(locked_on) if locked_on else None,
            created_at=datetime.fromisoformat(created),
            updated_at=datetime.fromisoformat(updated),
            version=version,
        )

    # Writing.

    def _current(
        self, connection: sqlite3.Connection, workspace: str, name: str
    ) -> _Row | None:
        row = connection.execute(
            "SELECT version, locked, lock_note, locked_on, created_at FROM scenarios "
            "WHERE workspace = ? AND name = ?",
            (workspace, name),
        ).fetchone()
        if row is None:
            return None
        version, locked, note, locked_on, created_at = row
        return _Row(
            version=version,
            locked=bool(locked),
            lock_note=note,
            locked_on=date.fromisoformat(locked_on) if locked_on else None,
            created_at=datetime.fromisoformat(created_at),
        )

    def _check_change(self, current: _Row | None, name: str, based_on: int) -> None:
        """Refuse a change to a locked scenario or from a version no longer stored."""
        if current is not None and current.locked:
            raise ScenarioLocked(name, current.lock_note, current.locked_on)
        stored = 0 if current is None else current.version
        if stored == based_on:
            return
        if current is None:
            raise StaleScenario(
                f"Scenario {name!r} was deleted by another session since you "
                "opened it. Save it under a name again to keep your changes."
            )
        if based_on == 0:
            raise StaleScenario(
                f"A scenario named {name!r} already exists: another session saved "
                "it. Open it, or save under another name."
            )
        raise StaleScenario(
            f"Scenario {name!r} was changed by another session since you opened "
            "it. Open it again to see the change; your changes were not saved."
        )

    def _write(
        self, connection: sqlite3.Connection, workspace: str, saved: SavedScenario
    ) -> SavedScenario:
        current = self._current(connection, workspace, saved.name)
        self._check_change(current, saved.name, saved.version)
        now = self._clock()
        stored = replace(
            saved,
            version=saved.version + 1,
            created_at=now if current is None else current.created_at,
            updated_at=now,
        )
        values = (
            stored.version,
            json.dumps(scenario_to_dict(stored.scenario), allow_nan=False),
            int(stored.locked),
            stored.lock_note,
            stored.locked_on.isoformat() if stored.locked_on else None,
            stored.updated_at.isoformat(),  # type: ignore[union-attr]
            workspace,
            stored.name,
        )
        if current is None:
            connection.execute(
                "INSERT INTO scenarios (version, assumptions, locked, lock_note, "
                "locked_on, updated_at, workspace, name, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, stored.created_at.isoformat()),  # type: ignore[union-attr]
            )
        else:
            connection.execute(
                "UPDATE scenarios SET version = ?, assumptions = ?, locked = ?, "
                "lock_note = ?, locked_on = ?, updated_at = ? "
                "WHERE workspace = ? AND name = ?",
                values,
            )
        return stored

    def save(self, workspace: str, saved: SavedScenario) -> SavedScenario:
        """Save a scenario based on the version it carries; returns the one stored.

        A new scenario carries version 0. Refused with StaleScenario when the
        stored version is not the one the save was based on, and with
        ScenarioLocked when the stored scenario is locked.
        """
        with self._session(write=True) as connection:
            return self._write(connection, workspace, saved)

    def lock(
        self, workspace: str, name: str, note: str, on: date, based_on: int
    ) -> SavedScenario:
        """Lock a saved scenario with a note and a date; it never changes again."""
        with self._session(write=True) as connection:
            row = connection.execute(
                f"SELECT {_COLUMNS} FROM scenarios WHERE workspace = ? AND name = ?",
                (workspace, name),
            ).fetchone()
            if row is None:
                raise ScenarioNotFound(f"No scenario named {name!r} is saved.")
            stored = self._saved(row, workspace)
            self._check_change(
                self._current(connection, workspace, name), name, based_on
            )
            return self._write(connection, workspace, stored.locked_with(note, on))

    def delete(self, workspace: str, name: str, based_on: int) -> None:
        """Delete a saved scenario, refused when locked or changed since `based_on`."""
        with self._session(write=True) as connection:
            current = self._current(connection, workspace, name)
            if current is None:
                raise ScenarioNotFound(f"No scenario named {name!r} is saved.")
            self._check_change(current, name, based_on)
            connection.execute(
                "DELETE FROM scenarios WHERE workspace = ? AND name = ?",
                (workspace, name),
            )

    def add_missing(
        self, workspace: str, scenarios: Sequence[SavedScenario]
    ) -> list[SavedScenario]:
        """Save each scenario whose name the workspace lacks, in one transaction.

        Used for the starting three: a workspace gets Base, Conservative and
        Aggressive once, and a second session doing the same adds nothing.
        Returns the ones added.
        """
        added = []
        with self._session(write=True) as connection:
            for saved in scenarios:
                if self._current(connection, workspace, saved.name) is None:
                    added.append(
                        self._write(connection, workspace, replace(saved, version=0))
                    )
        return added


# Every store alive in the process, to close their idle connections at a fork.
_STORES: weakref.WeakSet[ScenarioStore] = weakref.WeakSet()


def _close_idle_connections() -> None:
    for store in list(_STORES):
        store.close()


os.register_at_fork(before=_close_idle_connections)


_COLUMNS = (
    "name, version, assumptions, locked, lock_note, locked_on, created_at, updated_at"
)


def _busy(problem: sqlite3.DatabaseError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    return isinstance(problem, sqlite3.OperationalError) and (
        "locked" in str(problem) or "busy" in str(problem)
    )
