"""A download built at the click waits for the page's runs and takes the newest."""

from __future__ import annotations

import threading
import time

import pytest

from cpsu.ui import downloads
from cpsu.ui.downloads import LiveFile, NothingToDownload


@pytest.fixture(autouse=True)
def short_waits(monkeypatch):
    monkeypatch.setattr(downloads, "SETTLE_SECONDS", 0.05)
    monkeypatch.setattr(downloads, "POLL_SECONDS", 0.005)


def offer_in_run(file: LiveFile, content: bytes) -> None:
    with file.page_run() as run:
        file.offer(run, lambda: content)


def run_in_a_script_thread(file: LiveFile, content: bytes) -> None:
    """One page run on a thread of its own that ends with it, as Streamlit's does."""
    thread = threading.Thread(target=offer_in_run, args=(file, content))
    thread.start()
    thread.join()


def test_a_quiet_page_gives_the_newest_offer():
    file = LiveFile()
    run_in_a_script_thread(file, b"growth 5%")
    run_in_a_script_thread(file, b"growth 8%")
    assert file() == b"growth 8%"


def test_an_older_run_ending_late_never_replaces_a_newer_offer():
    file = LiveFile()

    def two_runs() -> None:
        with file.page_run() as older, file.page_run() as newer:
            file.offer(newer, lambda: b"newer")
            file.offer(older, lambda: b"older")

    thread = threading.Thread(target=two_runs)
    thread.start()
    thread.join()
    assert file() == b"newer"


def test_a_page_without_a_file_says_so():
    file = LiveFile()

    def failed_run() -> None:
        with file.page_run() as run:
            file.offer(run, None)

    thread = threading.Thread(target=failed_run)
    thread.start()
    thread.join()
    with pytest.raises(NothingToDownload):
        file()


def test_a_click_during_a_run_gets_that_run_s_file():
    file = LiveFile()
    run_in_a_script_thread(file, b"before the move")
    started = threading.Event()

    def slider_run() -> None:
        with file.page_run() as run:
            started.set()
            time.sleep(0.2)
            file.offer(run, lambda: b"after the move")

    runner = threading.Thread(target=slider_run)
    runner.start()
    started.wait()
    assert file() == b"after the move"
    runner.join()


def test_a_click_waits_for_a_rerun_queued_on_the_same_thread():
    # Streamlit's script thread runs a queued rerun after the current one; the
    # pause between them (its clean-up) is longer than the settle time here
    file = LiveFile()
    first_done = threading.Event()
    click_made = threading.Event()

    def script_thread() -> None:
        offer_in_run(file, b"first move")
        first_done.set()
        click_made.wait()
        time.sleep(0.15)
        offer_in_run(file, b"second move")

    runner = threading.Thread(target=script_thread)
    runner.start()
    first_done.wait()
    click_made.set()
    assert file() == b"second move"
    runner.join()


def test_a_click_waits_for_a_run_that_starts_just_after_it():
    file = LiveFile()
    run_in_a_script_thread(file, b"before the move")
    time.sleep(0.1)
    late = threading.Timer(0.02, offer_in_run, args=(file, b"moved with the click"))
    late.start()
    assert file() == b"moved with the click"
    late.join()
