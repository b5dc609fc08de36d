"""The router run bare, as `python app.py` or as a spawned process does when
it re-imports its parent's main module (a test that starts worker processes
after AppTest has run the app in the same interpreter)."""

from __future__ import annotations

import subprocess
import sys

from tests.test_pages import ROOT


def test_the_router_runs_bare_without_an_error() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
