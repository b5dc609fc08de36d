"""A real app server on loopback and a real headless Chromium to drive it.

The browser is Debian's Chromium (CPSU_CHROMIUM, default /usr/bin/chromium);
a test tool's own browser download is never used. Where no browser is found
the tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cpsu.store import DATA_DIR_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CPSU_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).exists():
        return candidate
    return shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the app server did not become healthy in time")


@contextmanager
def app_server(data_dir: Path, log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, saving scenarios in
    `data_dir`; its address while it runs, stopped afterwards."""
    with app_server_process(data_dir, log) as (url, _process):
        yield url


@contextmanager
def app_server_process(
    data_dir: Path, log: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As `app_server`, with the server's process too (to read its memory)."""
    port = _free_port()
    env = {**os.environ, DATA_DIR_VARIABLE: str(data_dir)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        server_log = log.read_text(errors="replace")
        if "Traceback" in server_log:
            print(server_log)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The app served for the whole run, saving to a folder of the run's own."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with app_server(tmp_path_factory.mktemp("cpsu-data"), log) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(
                "No Chromium found (set CPSU_CHROMIUM); CI must run browser tests."
            )
        pytest.skip("No Chromium found; set CPSU_CHROMIUM to run browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1500, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
