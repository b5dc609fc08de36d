"""Hostile and malformed files uploaded through a real browser, and two
browser sessions at once, on one real server.

Each hostile file is built by the import tests' own builders. Uploaded on the
Cost base page (and a few on the Actuals page), each is refused with the
message the reader gives for the same bytes, the page keeps the sample's
figures and shows no exception, and meanwhile another session on the same
server still answers its sliders. The time to each refusal, and the other
session's answer times before and during the uploads, are printed.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from cpsu.formatting import money
from cpsu.ingest import read_upload
from cpsu.ingest.actuals_sheet import read_actuals
from cpsu.ingest.issues import Severity
from cpsu.ingest.sniff import MAX_UPLOAD_BYTES
from cpsu.ingest.table import MAX_SHEET_ROWS
from cpsu.projection import project
from cpsu.ui.state import sample_workspace
from tests.e2e.conftest import app_server
from tests.e2e.test_actuals import actuals_uploader
from tests.e2e.test_browser import (
    cost_uploader,
    metric_value,
    wait_for_metric_change,
    wait_until_idle,
)
from tests.e2e.test_scenario_library import open_scenarios, slider
from tests.ingest_fixtures import canonical_bytes, csv_bytes, rewrite_part, xlsx_bytes
from tests.test_ingest import CATCH_ALL, M365, OLE_BYTES
from tests.test_isolation import company

pytestmark = pytest.mark.e2e

LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
# 40 MB of one character packs to some 40 KB: over 32 MB unpacked and over 100
# times the file's size, the reader's zip-bomb limits as they stand.
BOMB_COMMENT = b"<!--" + b" " * (40 * 1024 * 1024) + b"-->"


def far_cell_book() -> bytes:
    """The canonical workbook with one cell at row 1,000,000, column 16,000."""
    book = openpyxl.load_workbook(io.BytesIO(canonical_bytes([M365])))
    book["Costs"].cell(row=1_000_000, column=16_000).value = "stray"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hostile_files() -> dict[str, bytes]:
    """Each hostile or malformed file by the name it is uploaded under."""
    workbook = canonical_bytes([M365])
    return {
        "empty.xlsx": b"",
        "noise.xlsx": random.Random(7).randbytes(64 * 1024),
        "truncated.xlsx": workbook[: len(workbook) // 2],
        "laughs.xlsx": rewrite_part(workbook, "xl/workbook.xml", LAUGHS.__add__),
        "external-entity.xlsx": rewrite_part(
            workbook, "xl/worksheets/sheet2.xml", EXTERNAL.__add__
        ),
        "zip-bomb.xlsx": rewrite_part(
            workbook, "docProps/app.xml", lambda xml: xml + BOMB_COMMENT
        ),
        "far-cell.xlsx": far_cell_book(),
        # a 30-million-character shared string, packed to 5 KB
        "huge-shared-string.xlsx": xlsx_bytes(
            {"Costs": [["Item", "Annual cost"], ["A" * 30_000_000, 12000]]}
        ),
        "too-many-rows.csv": csv_bytes(
            [
                ["Item", "Annual cost"],
                *([f"Item {n}", 1200] for n in range(MAX_SHEET_ROWS)),
            ]
        ),
        "encrypted.xlsx": OLE_BYTES
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(100),
        "page.xlsx": (
            b"<html><head><script>alert('script ran')</script></head>"
            b"<body><p onmouseover=\"alert('handler ran')\">costs</p></body></html>"
        ),
        "report.xlsx": b"%PDF-1.7\n" + bytes(200),
        "binary.csv": b"Item,Amount\x00,Period\nA,1,month\n",
        "formulas.csv": (
            b"Item,Pool,Behaviour,Amount,Period\n"
            b"=cmd|' /C calc'!A0,Productivity software,Fixed,=1+1,month\n"
        ),
        "<img src=x onerror=alert('name ran')>.xlsx": b"\x00\x01 not a workbook",
    }


ACTUALS_FILES = (
    "empty.xlsx",
    "zip-bomb.xlsx",
    "laughs.xlsx",
    "noise.xlsx",
    "page.xlsx",
)


def said(text: str) -> str:
    return " ".join(text.split())


def errors(issues) -> list[str]:
    """The errors' messages; none may be the reader's catch-all for a failure
    it did not foresee: each hostile file has a message of its own."""
    messages = [said(i.message) for i in issues if i.severity is Severity.ERROR]
    assert not [m for m in messages if CATCH_ALL in m], messages
    return messages


def sample_baseline_cpsu() -> float:
    sample = sample_workspace()
    projection = project(sample.cost_base, sample.headcount, sample.scenario)
    return float(projection.baseline["cpsu"])


@dataclass
class Session:
    """One browser context and its page; the dialogs it was shown, if any."""

    context: object
    page: object
    dialogs: list[str]

    def close(self) -> None:
        self.context.close()


def new_session(browser) -> Session:
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1500, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return Session(context, page, dialogs)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    log = folder / "streamlit.log"
    with app_server(folder / "cpsu-data", log) as url:
        yield url, log


def open_cost_base(page, url: str) -> None:
    page.goto(f"{url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for(timeout=60_000)
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    wait_until_idle(page)


def shown(page) -> str:
    """The page's text and the values in its fields (the sidebar's Company)."""
    values = page.eval_on_selector_all(
        "input, textarea", "els => els.map(e => e.value)"
    )
    return page.locator("body").inner_text() + "\n" + "\n".join(values)


def downloaded_cpsu(page, folder: Path) -> list[float]:
    """The CPSU by quarter in the scenario workbook the page downloads."""
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download scenario workbook").click()
    saved = folder / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    checks = openpyxl.load_workbook(saved, data_only=True)["Checks"]
    rows = {row[0].value: row for row in checks.iter_rows() if row[0].value}
    return [cell.value for cell in rows["CPSU: app"][1:] if cell.value is not None]


def test_two_browsers_at_once_see_and_download_only_their_own(
    browser, server, tmp_path
):
    url, _ = server
    alpha, beta = new_session(browser), new_session(browser)
    try:
        open_cost_base(alpha.page, url)
        file = tmp_path / "alpha-costs.xlsx"
        file.write_bytes(company(200, 20))
        cost_uploader(alpha.page).set_input_files(str(file))
        alpha.page.get_by_test_id("stAlertContentSuccess").first.wait_for(
            timeout=60_000
        )
        wait_until_idle(alpha.page)
        # 2,200 + 5,500 = 7,700 a month over 200 + 20 = 220 users: $35.00
        assert metric_value(alpha.page, "CPSU") == "$35.00"

        open_cost_base(beta.page, url)
        sample = money(sample_baseline_cpsu())
        assert metric_value(beta.page, "CPSU") == sample
        assert metric_value(beta.page, "Supported users") == "1,350"
        assert "alpha-costs" not in shown(beta.page)

        for session in (alpha, beta):
            session.page.get_by_role("link", name="Scenarios").click()
            session.page.get_by_role("heading", name="Scenarios").wait_for()
            wait_until_idle(session.page)
        assert "alpha-costs" in shown(alpha.page)  # its company, in the sidebar
        assert "alpha-costs" not in shown(beta.page)
        ours = downloaded_cpsu(alpha.page, tmp_path)
        theirs = downloaded_cpsu(beta.page, tmp_path)
        assert ours[0] == 35.0
        assert money(theirs[0]) == sample
    finally:
        alpha.close()
        beta.close()


def answer_seconds(page, label: str, key: str) -> float:
    """Seconds from a key press on growth to the horizon's CPSU changing."""
    before = metric_value(page, label)
    growth = slider(page, "Growth per quarter")
    growth.focus()
    started = time.perf_counter()
    growth.press(key)
    wait_for_metric_change(page, label, before, timeout=60_000)
    seconds = time.perf_counter() - started
    wait_until_idle(page)
    return seconds


def answer_pair(page, label: str) -> list[float]:
    """Growth up one step and back: the slider ends where it was (and the
    library saves the scenario as it was)."""
    return [
        answer_seconds(page, label, "ArrowRight"),
        answer_seconds(page, label, "ArrowLeft"),
    ]


# Marks in the page itself the moment an error naming the file appears, so the
# time to refusal is the browser's own, whatever the test does meanwhile.
WATCH_REFUSAL = """(name) => {
    const refused = () => [
        ...document.querySelectorAll('[data-testid="stAlertContentError"]')
    ].some((alert) => alert.innerText.includes(name + " was not used"));
    window.cpsuRefusedAt = null;
    window.cpsuStartedAt = performance.now();
    const watcher = new MutationObserver(() => {
        if (refused()) {
            window.cpsuRefusedAt = performance.now();
            watcher.disconnect();
        }
    });
    watcher.observe(
        document.body, {subtree: true, childList: true, characterData: true}
    );
}"""


def upload_watched(page, uploader, path: Path) -> None:
    page.evaluate(WATCH_REFUSAL, path.name)
    uploader.set_input_files(str(path))


def refused_seconds(page, name: str) -> float:
    """Wait for the refusal of `name`; the seconds from its upload to it."""
    alert = page.get_by_test_id("stAlertContentError").filter(
        has_text=f"{name} was not used"
    )
    alert.first.wait_for(timeout=120_000)
    page.wait_for_function("() => window.cpsuRefusedAt !== null", timeout=30_000)
    milliseconds = page.evaluate("() => window.cpsuRefusedAt - window.cpsuStartedAt")
    wait_until_idle(page)
    return milliseconds / 1000


def assert_shows_each(page, messages: list[str], name: str) -> None:
    shown = said(page.get_by_test_id("stTable").first.inner_text())
    for message in messages:
        assert message in shown, (name, message, shown)


def test_hostile_files_are_refused_and_the_server_serves_others(
    browser, server, tmp_path, capsys
):
    url, log = server
    files = hostile_files()
    sample = money(sample_baseline_cpsu())
    uploader, other = new_session(browser), new_session(browser)
    rows: list[tuple[str, str, int, float]] = []
    answers_before: list[float] = []
    answers_during: list[float] = []
    try:
        open_scenarios(other.page, url)
        label = (
            other.page.get_by_test_id("stMetric")
            .nth(1)
            .get_by_test_id("stMetricLabel")
            .inner_text()
            .strip()
        )
        for _ in range(3):
            answers_before += answer_pair(other.page, label)

        open_cost_base(uploader.page, url)
        assert metric_value(uploader.page, "CPSU") == sample
        for name, data in files.items():
            expected = errors(read_upload(data, name).issues)
            assert expected, f"the reader accepts {name}"
            path = tmp_path / name
            path.write_bytes(data)
            upload_watched(uploader.page, cost_uploader(uploader.page), path)
            # The other session moves a slider while the upload is on its way.
            answers_during.append(answer_seconds(other.page, label, "ArrowRight"))
            seconds = refused_seconds(uploader.page, name)
            answers_during.append(answer_seconds(other.page, label, "ArrowLeft"))
            rows.append(("Cost base", name, len(data), seconds))
            assert_shows_each(uploader.page, expected, name)
            assert metric_value(uploader.page, "CPSU") == sample, name
            assert uploader.page.get_by_test_id("stException").count() == 0, name

        # A file over the upload limit is stopped by the browser's uploader
        # before it is sent; the reader would refuse it too.
        huge = tmp_path / "over-the-limit.xlsx"
        huge.write_bytes(b"PK\x03\x04" + bytes(MAX_UPLOAD_BYTES + 1024 * 1024))
        assert "limit is 50 MB" in " ".join(
            errors(read_upload(huge.read_bytes(), huge.name).issues)
        )
        started = time.perf_counter()
        cost_uploader(uploader.page).set_input_files(str(huge))
        uploader.page.get_by_text("File must be 50.0MB or smaller.").wait_for(
            timeout=60_000
        )
        seconds = time.perf_counter() - started
        rows.append(("Cost base", huge.name, huge.stat().st_size, seconds))
        assert uploader.page.get_by_test_id("stException").count() == 0
        assert metric_value(uploader.page, "CPSU") == sample

        # The Actuals page's uploader, with a few of the same files.
        uploader.page.goto(f"{url}/actuals")
        uploader.page.get_by_role("heading", name="Actuals", exact=True).wait_for(
            timeout=60_000
        )
        wait_until_idle(uploader.page)
        actuals_cpsu = metric_value(uploader.page, "CPSU, 2026-Q4")
        for name in ACTUALS_FILES:
            data = files[name]
            expected = errors(read_actuals(data, name).issues)
            assert expected, f"the actuals reader accepts {name}"
            path = tmp_path / name
            upload_watched(uploader.page, actuals_uploader(uploader.page), path)
            seconds = refused_seconds(uploader.page, name)
            rows.append(("Actuals", name, len(data), seconds))
            assert_shows_each(uploader.page, expected, name)
            assert metric_value(uploader.page, "CPSU, 2026-Q4") == actuals_cpsu
            assert uploader.page.get_by_test_id("stException").count() == 0, name

        # No script in a file or a file name ever ran.
        assert uploader.dialogs == [] and other.dialogs == []
        # A session opened after it all has the sample, and still answers.
        late = new_session(browser)
        try:
            open_cost_base(late.page, url)
            assert metric_value(late.page, "CPSU") == sample
        finally:
            late.close()
    finally:
        uploader.close()
        other.close()
        # The figures go to the run's output (CI's log), not to the captured
        # output of a test that passed.
        with capsys.disabled():
            print("\nHostile uploads through the browser, one server:")
            print(f"{'page':<10} {'file':<44} {'bytes':>12} {'refused in':>11}")
            for page_name, name, size, seconds in rows:
                print(f"{page_name:<10} {name[:44]:<44} {size:>12,} {seconds:>10.2f}s")
            for title, answers in (
                ("before", answers_before),
                ("during", answers_during),
            ):
                if answers:
                    print(
                        f"other session's slider answer {title} the uploads: "
                        f"median {sorted(answers)[len(answers) // 2]:.2f} s, "
                        f"longest {max(answers):.2f} s over {len(answers)} moves"
                    )
    assert "Traceback" not in log.read_text(errors="replace")
