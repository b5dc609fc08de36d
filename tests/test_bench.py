"""The benchmark scripts still run and print their ratios."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_import_benchmark_prints_each_ratio_to_the_bare_read():
    # A small export keeps this quick; the real run uses 100,000 rows.
    done = subprocess.run(
        [sys.executable, "scripts/bench_import.py", "--rows", "300", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "300 rows" in done.stdout
    ratios = re.findall(
        r"(read_gl_export|upload as the app reads it) .* (\d+\.\d\d)x", done.stdout
    )
    assert [name for name, _ in ratios] == [
        "read_gl_export",
        "upload as the app reads it",
    ]
    assert all(float(ratio) > 0 for _, ratio in ratios)


def test_the_model_benchmark_prints_the_draws_time_and_its_ratios():
    done = subprocess.run(
        [sys.executable, "scripts/bench_model.py", "--draws", "50", "--runs", "1"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "40 quarters" in done.stdout
    assert re.search(r"50 draws +\d+\.\d{3} s", done.stdout)
    ratios = re.findall(r"the draws cost (\d+\.\d\d)x", done.stdout)
    assert len(ratios) == 2
    assert all(float(ratio) > 0 for ratio in ratios)


def test_the_rerun_benchmark_prints_each_page_against_the_minimal_one():
    done = subprocess.run(
        [
            sys.executable,
            "scripts/bench_rerun.py",
            "--changes",
            "2",
            "--lines",
            "300",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    ratios = dict(re.findall(r"  (\S.*?) +\d+\.\d ms +(\d+\.\d\d)x", done.stdout))
    assert list(ratios) == [
        "minimal page",
        "Scenarios, sample",
        "Scenarios, 300 lines",
        "Compare, sample",
        "Compare, 300 lines",
    ]
    assert ratios["minimal page"] == "1.00"
    assert "Goal: at most 2x the minimal page." in done.stdout
