"""Download buttons whose file is built at the click, from what the page shows then.

Streamlit keeps the callable given to `st.download_button` under an id that is
new each time a run draws the button. A full rerun forgets every id at its
start and drops the ones it has not drawn again when it ends, even when it was
interrupted by the next rerun; the browser keeps the old id until the new one
reaches it. A click in between (a slider moved and Download clicked at once)
fails with "Deferred file ... not found", and a click that reaches the old
callable builds the file from the values of the run before the move.

A `LiveFile` avoids both. The page draws its widgets and figures in a fragment
and the button after it: a widget's rerun is then a fragment run, which keeps
the button's id. The button's callable is the session's `LiveFile`, which each
run of the fragment tells what the file would be built from now. At the click
it waits until the page is quiet: no run of it going, no thread that ran it
still alive (Streamlit's script thread runs every rerun queued behind the one
it is on, and ends when there is none), and nothing started or ended for a
moment, long enough for a move sent with the click to start its run. Then it
builds from the newest run's offer.

Streamlit stores the file built at a click without any session referring to
it, and the end of any session's run collects such files (the second time it
sees one). With many sessions at work, two runs of others can end before the
browser has fetched the file, and the download fails with a 404.
`keep_built_files` makes the clicking session refer to the file it built, at
a place of its own beside the button, until the session's next full run.
It reaches into Streamlit's media file manager (its lock, deferred callables,
file metadata and references by session, as of Streamlit 1.67):
tests/test_download_kept.py fails when those change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager

# A move sent with the click starts its run within milliseconds; a click waits
# this long without a run starting or ending before it builds.
SETTLE_SECONDS = 0.25
# How often a waiting click looks whether the threads that ran the page are done.
POLL_SECONDS = 0.02
# A click never waits longer than this for the page's runs to end.
LONGEST_WAIT_SECONDS = 30.0

Build = Callable[[], bytes]


class NothingToDownload(RuntimeError):
    """The page shows no file to download (its scenario could not be projected)."""


class LiveFile:
    """The file behind one download button of one session: built at the click
    by the builder that the newest run of its page offered."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._build: Build | None = None
        self._build_run = 0
        self._runs_started = 0
        self._running: set[int] = set()
        self._threads: set[threading.Thread] = set()
        self._last_change = time.monotonic()

    @contextmanager
    def page_run(self) -> Iterator[int]:
        """Mark one run of the page that offers the file; yields the run's number."""
        with self._changed:
            self._runs_started += 1
            run = self._runs_started
            self._running.add(run)
            self._threads.add(threading.current_thread())
            self._last_change = time.monotonic()
        try:
            yield run
        finally:
            with self._changed:
                self._running.discard(run)
                self._last_change = time.monotonic()
                self._changed.notify_all()

    def offer(self, run: int, build: Build | None) -> None:
        """What the file is built from as of this run; None when there is none.

        An older run that ends after a newer one never replaces the newer offer.
        """
        with self._changed:
            if run >= self._build_run:
                self._build = build
                self._build_run = run
            self._changed.notify_all()

    def settled_build(self) -> Build | None:
        """The newest offer once the page is quiet, or when the wait runs out."""
        clicked = time.monotonic()
        deadline = clicked + LONGEST_WAIT_SECONDS
        with self._changed:
            while True:
                now = time.monotonic()
                ended = {thread for thread in self._threads if not thread.is_alive()}
                if ended:
                    # its queued reruns are done; a new thread may be starting one
                    self._threads -= ended
                    self._last_change = now
                quiet_for = now - max(self._last_change, clicked)
                busy = self._running or self._threads or quiet_for < SETTLE_SECONDS
                if not busy or now >= deadline:
                    return self._build
                wait = POLL_SECONDS if self._threads else SETTLE_SECONDS - quiet_for
                self._changed.wait(timeout=max(0.0, min(wait, deadline - now)))

    def __call__(self) -> bytes:
        build = self.settled_build()
        if build is None:
            raise NothingToDownload("The page shows no file to download.")
        return build()


def live_file(key: str) -> LiveFile:
    """The session's `LiveFile` for the download button with this key."""
    return st.session_state.setdefault(f"{key}.live_file", LiveFile())


def keep_built_files() -> None:
    """Make a session that builds a file at a click refer to it (see the module's
    notes); installed once per process, a no-op after that."""
    execute = MediaFileManager.execute_deferred
    if getattr(execute, "keeps_built_files", False):
        return

    def execute_and_keep(manager: MediaFileManager, file_id: str) -> str:
        with manager._lock:
            entry = manager._deferred_callables.get(file_id)
        url = execute(manager, file_id)
        if entry is not None:
            built = urlsplit(url).path.rsplit("/", 1)[-1].split(".", 1)[0]
            with manager._lock:
                if built in manager._file_metadata:
                    session = manager._files_by_session_and_coord[entry["session_id"]]
                    session[f"{entry['coordinates']}.built"] = built
        return url

    execute_and_keep.keeps_built_files = True  # type: ignore[attr-defined]
    MediaFileManager.execute_deferred = execute_and_keep  # type: ignore[method-assign]


def download_button(
    label: str,
    file: LiveFile,
    *,
    key: str,
    file_name: str,
    mime: str,
    **options,
) -> None:
    """A download button that builds its file at the click; the page carries on."""
    keep_built_files()
    st.download_button(
        label,
        data=file,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=key,
        **options,
    )
