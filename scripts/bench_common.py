"""What the benchmark scripts share: a goal as measured, turn-taking timing, and
the machine they ran on.

Every speed goal of the project is a ratio of our work to a baseline measured
in the same process, so that a slower or busier machine moves both alike; a
`Goal` holds one such pair of times and says whether the goal was met.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

LIBRARIES = ("pandas", "numpy", "streamlit", "openpyxl", "python-calamine", "altair")


@dataclass(frozen=True)
class Goal:
    """One speed goal as measured: our time against its baseline's.

    `limit` is the highest ratio the goal allows; a goal stated as a time
    instead (Monte Carlo: under a second) gives `limit_seconds`, and its
    ratio is printed for what it says, not judged.
    """

    goal: str
    measured: str
    seconds: float
    baseline: str
    baseline_seconds: float
    limit: float | None = None
    limit_seconds: float | None = None

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds

    @property
    def met(self) -> bool:
        within_ratio = self.limit is None or self.ratio <= self.limit
        in_time = self.limit_seconds is None or self.seconds < self.limit_seconds
        return within_ratio and in_time


def best_of_each(
    runs: int,
    works: dict[str, Callable[[], object]],
    before_each: Callable[[], object] | None = None,
) -> dict[str, float]:
    """The best time of each piece of work, the pieces taking turns run by run,
    so that a busy machine slows all alike."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(runs):
        for name, work in works.items():
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    return {name: min(taken) for name, taken in times.items()}


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Hardware", "Processor") and value.strip():
            return value.strip()
    return platform.machine()


def _memory_gib() -> float | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / (1024 * 1024)
    return None


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_lines() -> list[str]:
    """The machine a run measured: CPU model, cores, memory, Python, libraries,
    and how busy it was.

    No host name and no paths: this goes into the README as it is.
    """
    memory = _memory_gib()
    return [
        f"CPU: {_cpu_model()}, {os.cpu_count()} cores",
        f"Memory: {memory:.1f} GiB" if memory is not None else "Memory: unknown",
        f"OS: {platform.system()} ({platform.machine()})",
        f"Python {platform.python_version()} ({sys.implementation.name})",
        "Libraries: " + ", ".join(f"{name} {_version(name)}" for name in LIBRARIES),
        _load_line(),
    ]


def _load_line() -> str:
    """How busy the machine was: other work slows a run, and shakes its ratios."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "Load average: unknown"
    cores = os.cpu_count() or 1
    return (
        f"Load average at the end: {one:.1f}, {five:.1f}, {fifteen:.1f} "
        f"(1, 5, 15 min; {cores} cores)"
    )


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def summary_lines(goals: Sequence[Goal]) -> list[str]:
    """One table: each goal, what is measured, its baseline, the ratio, met."""
    header = ("goal", "measured", "time", "baseline", "time", "ratio", "met")
    rows = [
        (
            goal.goal,
            goal.measured,
            _seconds(goal.seconds),
            goal.baseline,
            _seconds(goal.baseline_seconds),
            f"{goal.ratio:.2f}x",
            "yes" if goal.met else "NO",
        )
        for goal in goals
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    right = {2, 4, 5}  # times and ratios line up on the right

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [line(header), rule, *(line(row) for row in rows)]
