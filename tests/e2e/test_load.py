"""Load: twenty browser sessions at once on one real server, each with its own
cost file, slider move and download, each seeing only its own numbers.

One app server on loopback and one headless Chromium; twenty browser
contexts (each a separate Streamlit session) run concurrently through
Playwright's async API. Every session uploads its own copy of the sample
workbook, with the Adobe licence's yearly amount set to a figure of its own
and saved under a name of its own (the name keys its scenario library), so
that its CPSU differs from every other session's. The figures each session
must show are computed here, before the browsers start, by the domain code
itself: the same bytes read with `read_upload` and projected with the
growth its slider will be moved to.

Each session's response times (upload to figures shown, slider move to
figures answered, download click to file received) and the server's memory
are printed in a table; none is asserted. The test is bounded: twenty
sessions, a fixed number of key presses each, and a whole-run timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import statistics
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout

from cpsu.formatting import money
from cpsu.ingest import apply_upload, read_upload
from cpsu.pitch import headline_figures
from cpsu.projection import project
from tests.e2e.conftest import CHROMIUM_ARGS, app_server_process, chromium_path

pytestmark = pytest.mark.e2e

SESSIONS = 20
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sample_company.xlsx"
# The sample's Costs row of "Adobe Acrobat Standard, team licence", Fixed, a year.
ADOBE_CELL = "D3"
ADOBE_ITEM = "Adobe Acrobat Standard, team licence"
ADOBE_BASE_AMOUNT = 36_000
# Each session adds 12,000 a year (1,000 a month) per index: over the sample's
# 1,350 supported users that is about $0.74 of CPSU apart, plain at cents.
ADOBE_STEP = 12_000
GROWTH_STEP = 0.005  # the growth slider's step
# The whole run (server start excluded) must end by then; it took about two
# minutes on a 2-core machine that other test runs shared, where twenty
# Chromium pages took some eight times the server's processor time.
WHOLE_RUN_SECONDS = 300
STEP_TIMEOUT_MS = 120_000  # twenty sessions share two cores: one step took 62 s
# A file the browser takes shows its chip at once, however busy the server.
CHIP_TIMEOUT_MS = 30_000
MEMORY_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Plan:
    """One session's file and slider move, and the figures they must give."""

    index: int
    file_name: str
    data: bytes
    adobe_amount: int
    presses: int
    growth: float
    cost_base_cpsu: str  # Cost base page: CPSU of the baseline quarter
    run_rate: str  # Cost base page: the monthly run-rate
    baseline_label: str
    horizon_label: str
    cpsu_now: str  # Scenarios page, after the move
    cpsu_at_horizon: str
    cpsu_at_horizon_value: float


@dataclass
class Result:
    """What one session measured and found."""

    index: int
    upload_seconds: float = float("nan")
    slider_seconds: float = float("nan")
    download_seconds: float = float("nan")
    step: str = "open Cost base"
    redrops: int = 0  # files dropped again because the browser never took them
    problems: list[str] = field(default_factory=list)


def session_workbook(index: int) -> tuple[bytes, int]:
    """The sample workbook with the Adobe licence's yearly amount of this session."""
    book = openpyxl.load_workbook(SAMPLE)
    costs = book["Costs"]
    assert costs["A3"].value == ADOBE_ITEM
    assert costs[ADOBE_CELL].value == ADOBE_BASE_AMOUNT
    amount = ADOBE_BASE_AMOUNT + ADOBE_STEP * index
    costs[ADOBE_CELL] = amount
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), amount


def plan_session(index: int) -> Plan:
    """Session `index`'s file, its growth move (index + 1 presses) and the
    figures the domain code gives for them."""
    data, amount = session_workbook(index)
    file_name = f"load-{index:02d}.xlsx"
    upload = read_upload(data, file_name)
    assert not upload.has_errors, upload.issues
    workspace = apply_upload(None, upload, file_name)
    presses = index + 1
    workbook_scenario = workspace.scenario
    growth = round(workbook_scenario.growth_per_quarter + GROWTH_STEP * presses, 6)
    # The Cost base page projects one quarter at no growth (its baseline).
    baseline = project(
        workspace.cost_base,
        workspace.headcount,
        replace(workbook_scenario, horizon_quarters=1, growth_per_quarter=0.0),
    ).baseline
    moved = replace(workbook_scenario, growth_per_quarter=growth)
    figures = headline_figures(project(workspace.cost_base, workspace.headcount, moved))
    return Plan(
        index=index,
        file_name=file_name,
        data=data,
        adobe_amount=amount,
        presses=presses,
        growth=growth,
        cost_base_cpsu=money(baseline["cpsu"]),
        run_rate=money(baseline["monthly_opex"]),
        baseline_label=f"CPSU {figures.baseline_quarter}",
        horizon_label=f"CPSU {figures.horizon_quarter}",
        cpsu_now=money(figures.cpsu_now),
        cpsu_at_horizon=money(figures.cpsu_at_horizon),
        cpsu_at_horizon_value=float(figures.cpsu_at_horizon),
    )


def process_tree(pid: int, skip: int | None = None) -> list[int]:
    """A process and its descendants, less `skip` and its own."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        if current == skip:
            continue
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            pending.extend(int(child) for child in children)
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its descendants, in KiB (VmRSS)."""
    total = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pid: int) -> float:
    """User and system processor time of a process so far (all its threads)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # utime and stime are the 14th and 15th fields, the 12th and 13th after ")"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the page, through Playwright's async API ---------------------------------

METRIC_TEXT = """(label) => {
    const metrics = [...document.querySelectorAll('[data-testid="stMetric"]')];
    const m = metrics.find(e => {
        const l = e.querySelector('[data-testid="stMetricLabel"]');
        return l && l.innerText.trim() === label;
    });
    if (!m) return null;
    return m.querySelector('[data-testid="stMetricValue"]').innerText.trim();
}"""


async def metric(page: Any, label: str) -> str | None:
    """The value of the metric labelled exactly `label`, None when absent."""
    return await page.evaluate(METRIC_TEXT, label)


async def wait_until_idle(page: Any) -> None:
    """Wait for the script to finish its reruns: Streamlit shows a running status."""
    await page.wait_for_timeout(500)
    await page.get_by_test_id("stStatusWidget").wait_for(
        state="hidden", timeout=STEP_TIMEOUT_MS
    )


async def exceptions_shown(page: Any) -> int:
    """How many Streamlit exception boxes the page shows."""
    return await page.get_by_test_id("stException").count()


async def upload_cost_file(page: Any, plan: Plan, folder: Path, result: Result) -> None:
    await page.get_by_role("heading", name="Cost base").wait_for()
    await wait_until_idle(page)
    before = await metric(page, "CPSU")
    path = folder / plan.file_name
    path.write_bytes(plan.data)
    uploader = page.get_by_role("region", name="Upload a workbook or CSV")
    started = time.monotonic()
    dropzone = uploader.get_by_test_id("stFileUploaderDropzoneInput")
    await dropzone.set_input_files(str(path))
    # The browser takes the file when its chip shows the name. Under load, a
    # file set on the input while the page was still drawing it was once never
    # taken (no chip, no upload): a user sees no chip and drops it again, and
    # so does the test, counting it. A chip with an error is a failed upload.
    chip = uploader.get_by_test_id("stFileChip").filter(has_text=plan.file_name)
    try:
        await chip.wait_for(timeout=CHIP_TIMEOUT_MS)
    except PlaywrightTimeout:
        result.redrops += 1
        await dropzone.set_input_files(str(path))
        await chip.wait_for(timeout=STEP_TIMEOUT_MS)
    if await chip.get_by_test_id("stFileChipIconError").count():
        result.problems.append(f"the browser's upload of {plan.file_name} failed")
    # Shown: the heading names this file and the CPSU has left the sample's.
    await page.wait_for_function(
        """([name, before, script]) => {
            const headings = [...document.querySelectorAll('h1, h2, h3')];
            if (!headings.some(h => h.innerText.includes(name))) return false;
            const value = (new Function('return ' + script))()('CPSU');
            return value !== null && value !== before;
        }""",
        arg=[f"What was understood: {plan.file_name}", before, METRIC_TEXT],
        timeout=STEP_TIMEOUT_MS,
    )
    result.upload_seconds = time.monotonic() - started
    await wait_until_idle(page)
    shown = (await metric(page, "CPSU"), await metric(page, "Monthly run-rate"))
    if shown != (plan.cost_base_cpsu, plan.run_rate):
        result.problems.append(
            f"Cost base shows CPSU, run-rate {shown}, expected "
            f"{(plan.cost_base_cpsu, plan.run_rate)}"
        )


async def move_growth(page: Any, plan: Plan, result: Result) -> None:
    """Open Scenarios, press the growth slider's right arrow `plan.presses`
    times and wait for the page to answer the last press."""
    await page.get_by_role("link", name="Scenarios").click()
    await page.get_by_role("heading", name="Scenarios").wait_for()
    await wait_until_idle(page)
    before = await metric(page, plan.horizon_label)
    if await metric(page, plan.baseline_label) != plan.cpsu_now:
        result.problems.append(
            f"Scenarios shows {plan.baseline_label} "
            f"{await metric(page, plan.baseline_label)}, expected {plan.cpsu_now}"
        )
    growth = (
        page.get_by_test_id("stSlider")
        .filter(has_text="Growth per quarter")
        .locator("input[type=range]")
    )
    start = float(await growth.input_value())
    await growth.focus()
    for _ in range(plan.presses):
        await growth.press("ArrowRight")
    started = time.monotonic()
    moved = float(await growth.input_value())
    if moved != pytest.approx(plan.growth):
        result.problems.append(
            f"growth slider moved {start} -> {moved}, planned {plan.growth}"
        )
    # Answered: the run that drew the figures for this growth has ended (the
    # address carries the growth last) and the horizon's CPSU has moved.
    await page.wait_for_function(
        """([want, before, label, script]) => {
            const got = new URLSearchParams(window.location.search).get('g');
            if (got === null || Math.abs(parseFloat(got) - want) > 1e-6) return false;
            const value = (new Function('return ' + script))()(label);
            return value !== null && value !== before;
        }""",
        arg=[plan.growth, before, plan.horizon_label, METRIC_TEXT],
        timeout=STEP_TIMEOUT_MS,
    )
    result.slider_seconds = time.monotonic() - started
    await wait_until_idle(page)
    shown = await metric(page, plan.horizon_label)
    if shown != plan.cpsu_at_horizon:
        result.problems.append(
            f"Scenarios shows {plan.horizon_label} {shown}, expected "
            f"{plan.cpsu_at_horizon}"
        )


async def download_workbook(
    page: Any, plan: Plan, folder: Path, result: Result
) -> None:
    button = page.get_by_role("button", name="Download scenario workbook")
    started = time.monotonic()
    async with page.expect_download(timeout=STEP_TIMEOUT_MS) as download_info:
        await button.click()
    download = await download_info.value
    await download.path()  # the whole file has arrived
    result.download_seconds = time.monotonic() - started
    saved = folder / f"{plan.index:02d}-{download.suggested_filename}"
    await download.save_as(saved)
    result.problems.extend(workbook_problems(saved, plan))


def workbook_problems(path: Path, plan: Plan) -> list[str]:
    """How the downloaded workbook differs from this session's own inputs."""
    book = openpyxl.load_workbook(path, data_only=True)
    problems = []
    assumptions = {
        row[0]: row[1]
        for row in book["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    if assumptions.get("Growth per quarter") != pytest.approx(plan.growth):
        problems.append(
            f"workbook growth {assumptions.get('Growth per quarter')}, "
            f"expected {plan.growth}"
        )
    amounts = {
        row[0]: row[3]
        for row in book["Costs"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    if amounts.get(ADOBE_ITEM) != plan.adobe_amount:
        problems.append(
            f"workbook {ADOBE_ITEM} {amounts.get(ADOBE_ITEM)}, "
            f"expected {plan.adobe_amount}"
        )
    # The app's numbers, written beside the Projection's formulas.
    checks = {row[0].value: row for row in book["Checks"].iter_rows() if row[0].value}
    cpsu = [cell.value for cell in checks["CPSU: app"][1:] if cell.value is not None]
    if cpsu[-1] != pytest.approx(plan.cpsu_at_horizon_value):
        problems.append(
            f"workbook CPSU at the horizon {cpsu[-1]}, expected "
            f"{plan.cpsu_at_horizon_value}"
        )
    return problems


async def what_shows(page: Any, plan: Plan) -> str:
    """The page's address, growth slider, CPSU figures and running status."""
    if page is None:
        return "no page"
    try:
        sliders = page.get_by_test_id("stSlider").filter(has_text="Growth per quarter")
        growth = (
            await sliders.locator("input[type=range]").input_value(timeout=5_000)
            if await sliders.count()
            else None
        )
        running = await page.get_by_test_id("stStatusWidget").is_visible()
        figures = [
            await metric(page, label)
            for label in ("CPSU", plan.baseline_label, plan.horizon_label)
        ]
    except Exception as error:  # the page may be gone
        return f"unreadable ({type(error).__name__})"
    return (
        f"address {urlsplit(page.url).path}?{urlsplit(page.url).query}, "
        f"growth slider {growth}, CPSU figures {figures}, running {running}"
    )


def note_failed(response: Any, result: Result) -> None:
    """Note a request the server failed; the page's probes of the health and
    host-config addresses under a page's own path (before the root's) aside."""
    path = urlsplit(response.url).path
    if response.status < 400 or (
        "/_stcore/" in path and not path.startswith("/_stcore/")
    ):
        return
    result.problems.append(f"HTTP {response.status} for {path}")


async def run_session(
    browser: Any, url: str, plan: Plan, folder: Path, start: asyncio.Event
) -> Result:
    result = Result(plan.index)
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1500, "height": 1000}
    )
    page = None
    try:
        page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.on("response", lambda response: note_failed(response, result))
        await start.wait()
        await page.goto(f"{url}/cost_base")
        result.step = "upload"
        await upload_cost_file(page, plan, folder, result)
        if await exceptions_shown(page):
            result.problems.append("an exception is shown on Cost base")
        result.step = "move growth"
        await move_growth(page, plan, result)
        result.step = "download"
        await download_workbook(page, plan, folder, result)
        if await exceptions_shown(page):
            result.problems.append("an exception is shown on Scenarios")
    except Exception as error:  # each session's failure is reported
        failure = f"{type(error).__name__}: {error}".splitlines()[0]
        result.problems.append(
            f"{result.step}: {failure}; the page then: {await what_shows(page, plan)}"
        )
    finally:
        await context.close()
    return result


@dataclass
class Memory:
    """The server's resident memory, and the processor time the sessions took:
    the server's (all its threads: Streamlit runs each session's script in
    one) and the client side's (Chromium, Playwright's driver, this test)."""

    idle_kib: int = 0
    peak_kib: int = 0
    after_kib: int = 0
    cpu_seconds: float = 0.0
    client_cpu: dict[int, float] = field(default_factory=dict)  # by process
    client_cpu_before: dict[int, float] = field(default_factory=dict)

    def sample(self, server: int) -> None:
        self.peak_kib = max(self.peak_kib, rss_kib(server))
        for member in process_tree(os.getpid(), skip=server):
            seconds = cpu_seconds(member)
            self.client_cpu[member] = max(self.client_cpu.get(member, 0.0), seconds)

    @property
    def client_cpu_seconds(self) -> float:
        """About: a process's time after its last sample is missed."""
        return sum(self.client_cpu.values()) - sum(self.client_cpu_before.values())


async def sample_memory(pid: int, memory: Memory, stop: asyncio.Event) -> None:
    while not stop.is_set():
        memory.sample(pid)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), MEMORY_POLL_SECONDS)


async def load(
    executable: str, url: str, pid: int, plans: list[Plan], folder: Path
) -> tuple[list[Result], Memory, float]:
    from playwright.async_api import async_playwright

    memory = Memory()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            # One visit first, so that "idle" has the app imported and the
            # figures per session are what a session adds.
            warm = await browser.new_page()
            await warm.goto(url)
            await warm.get_by_role("heading", name="Scenarios").wait_for(
                timeout=STEP_TIMEOUT_MS
            )
            await wait_until_idle(warm)
            await warm.context.close()
            await asyncio.sleep(1)
            memory.idle_kib = memory.peak_kib = rss_kib(pid)
            cpu_before = cpu_seconds(pid)
            memory.sample(pid)
            memory.client_cpu_before = dict(memory.client_cpu)

            start, stop = asyncio.Event(), asyncio.Event()
            sampler = asyncio.create_task(sample_memory(pid, memory, stop))
            sessions = [
                asyncio.create_task(run_session(browser, url, plan, folder, start))
                for plan in plans
            ]
            began = time.monotonic()
            start.set()
            results = await asyncio.gather(*sessions)
            elapsed = time.monotonic() - began
            memory.sample(pid)
            stop.set()
            await sampler
            memory.after_kib = rss_kib(pid)
            memory.cpu_seconds = cpu_seconds(pid) - cpu_before
        finally:
            await browser.close()
    return list(results), memory, elapsed


def run_bounded(coroutine: Coroutine[Any, Any, Any], seconds: float) -> Any:
    """Run a coroutine on an event loop of its own thread (apart from the sync
    Playwright of the other browser tests), cancelled after `seconds`."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(asyncio.wait_for(coroutine, seconds))
        except BaseException as error:  # re-raised in the test
            outcome["error"] = error

    thread = threading.Thread(target=target, name="load-test", daemon=True)
    thread.start()
    thread.join(seconds + 60)
    if thread.is_alive():
        pytest.fail(f"the load run did not stop within {seconds + 60:.0f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def figures_table(results: list[Result], memory: Memory, elapsed: float) -> str:
    rows = [f"Load: {len(results)} concurrent browser sessions, {elapsed:.1f} s"]
    rows.append(f"  {'step':<30}{'median s':>10}{'worst s':>10}")
    for name, attribute in (
        ("upload -> figures shown", "upload_seconds"),
        ("slider move -> figures answer", "slider_seconds"),
        ("download click -> file in", "download_seconds"),
    ):
        values = [getattr(r, attribute) for r in results]
        values = [v for v in values if v == v]  # measured ones (not NaN)
        if values:
            rows.append(
                f"  {name:<30}{statistics.median(values):>10.2f}{max(values):>10.2f}"
            )
        else:
            rows.append(f"  {name:<30}{'-':>10}{'-':>10}")
    redrops = sum(r.redrops for r in results)
    rows.append(f"  files dropped a second time (no chip after the first): {redrops}")
    per_session = (memory.peak_kib - memory.idle_kib) / 1024 / len(results)
    rows.append(
        f"  server RSS MiB: idle {memory.idle_kib / 1024:.0f}, peak "
        f"{memory.peak_kib / 1024:.0f}, after {memory.after_kib / 1024:.0f}; "
        f"(peak - idle) / {len(results)} = {per_session:.1f} MiB a session"
    )
    rows.append(
        f"  processor time: server {memory.cpu_seconds:.1f} s "
        f"({memory.cpu_seconds / len(results):.2f} s a session), browsers and "
        f"test about {memory.client_cpu_seconds:.0f} s, on {os.cpu_count()} cores"
    )
    return "\n".join(rows)


def test_twenty_concurrent_sessions_each_get_their_own_numbers(tmp_path, capsys):
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("No Chromium found (set CPSU_CHROMIUM); CI must run it.")
        pytest.skip("No Chromium found; set CPSU_CHROMIUM to run browser tests.")
    plans = [plan_session(index) for index in range(SESSIONS)]
    # Every session's expected figures are its own: none equals another's.
    assert len({plan.cost_base_cpsu for plan in plans}) == SESSIONS
    assert len({plan.cpsu_at_horizon for plan in plans}) == SESSIONS
    folder = tmp_path / "sessions"
    folder.mkdir()
    log = tmp_path / "server.log"

    with app_server_process(tmp_path / "cpsu-data", log) as (url, process):
        results, memory, elapsed = run_bounded(
            load(executable, url, process.pid, plans, folder), WHOLE_RUN_SECONDS
        )

    with capsys.disabled():
        print("\n" + figures_table(results, memory, elapsed))
    problems = [f"session {r.index}: {p}" for r in results for p in r.problems]
    server_log = log.read_text(errors="replace")
    if "Traceback" in server_log:
        start = server_log.index("Traceback")
        problems.append(f"the server log has {server_log[start : start + 2000]}")
    assert problems == []
