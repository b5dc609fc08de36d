"""Files `cpsu pitch` and `cpsu project --out` write: whole or not at all, and
never over files already there without --force.

The full disk is real here: the command runs in its own process under a
file-size limit (RLIMIT_FSIZE), so its writes fail with EFBIG as they would
on a disk that fills, and what it leaves behind is read back from the folder.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import signal
import subprocess
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation

from cpsu.cli import OutputError, pitch_file_names, write_files
from tests.test_cli import CPSU, ROOT, SAMPLE, call, run


def run_with_file_limit(limit: int, *args: str) -> subprocess.CompletedProcess:
    """The installed command with no file it writes allowed past `limit` bytes."""

    def limit_file_size() -> None:
        # Ignored, SIGXFSZ no longer kills the process: the write fails with
        # EFBIG instead, as a write to a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [str(CPSU), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        preexec_fn=limit_file_size,
    )


TOO_LARGE = os.strerror(errno.EFBIG)


def sizes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_size for path in folder.iterdir()}


def test_a_pitch_that_cannot_be_written_whole_leaves_no_file(tmp_path, capsys):
    # The pitch's files as a run without a limit writes them.
    full = tmp_path / "full"
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(full))
    assert code == 0, err
    written = sizes(full)
    largest, second = sorted(written, key=written.get, reverse=True)[:2]
    # A limit between the two largest files: every file but the largest fits,
    # so a writer file by file would leave all the others (and a truncated
    # largest) behind.
    limit = (written[largest] + written[second]) // 2

    out = tmp_path / "pitch"
    done = run_with_file_limit(limit, "pitch", str(SAMPLE), "--out", str(out))

    assert done.returncode == 1
    assert done.stdout == ""
    assert f"cannot write {out / largest}: {TOO_LARGE}" in done.stderr
    assert "none of the pitch's files was written" in done.stderr
    assert "Traceback" not in done.stderr
    # Not one file, whole or partial, nor a temporary left beside them.
    assert sorted(os.listdir(out)) == []


def test_a_forced_pitch_that_fails_keeps_the_earlier_files(tmp_path):
    out = tmp_path / "pitch"
    out.mkdir()
    earlier = {name: f"earlier {name}".encode() for name in pitch_file_names()}
    for name, data in earlier.items():
        (out / name).write_bytes(data)

    # 20,000 bytes: smaller than any chart's PNG.
    done = run_with_file_limit(
        20_000, "pitch", str(SAMPLE), "--out", str(out), "--force"
    )

    assert done.returncode == 1
    assert TOO_LARGE in done.stderr and "Traceback" not in done.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == earlier


def test_a_scenario_workbook_that_cannot_be_written_leaves_no_file(tmp_path):
    out = tmp_path / "scenario.xlsx"
    # 4,096 bytes: far less than any scenario workbook (its Projection sheet
    # alone holds hundreds of formulas). openpyxl writes each sheet to a
    # temporary file first, uncompressed, so the limit stops it there, before
    # the workbook is whole: a disk that fills does the same.
    done = run_with_file_limit(4_096, "project", str(SAMPLE), "--out", str(out))

    assert done.returncode == 1
    assert done.stdout == ""
    assert "cannot build the scenario workbook" in done.stderr
    assert f"({TOO_LARGE}); nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert os.listdir(tmp_path) == []

    # Replacing a workbook: the one there stays as it was.
    out.write_bytes(b"the earlier workbook")
    done = run_with_file_limit(
        4_096, "project", str(SAMPLE), "--out", str(out), "--force"
    )
    assert done.returncode == 1
    assert os.listdir(tmp_path) == ["scenario.xlsx"]
    assert out.read_bytes() == b"the earlier workbook"


def test_project_refuses_to_replace_a_workbook_without_force(tmp_path, capsys):
    out = tmp_path / "scenario.xlsx"
    out.write_bytes(b"the earlier workbook")

    code, stdout, err = call(capsys, "project", str(SAMPLE), "--out", str(out))
    assert code == 2 and stdout == ""
    assert f"--out {out} already exists" in err
    assert "--force" in err
    assert out.read_bytes() == b"the earlier workbook"

    code, _, err = call(capsys, "project", str(SAMPLE), "--out", str(out), "--force")
    assert code == 0, err
    assert "Projection" in openpyxl.load_workbook(out).sheetnames


def test_pitch_refuses_a_folder_holding_its_files_without_force(tmp_path, capsys):
    out = tmp_path / "pitch"
    out.mkdir()
    (out / "deck.pptx").write_bytes(b"the earlier deck")
    (out / "notes.txt").write_text("the presenter's notes")

    code, stdout, err = call(capsys, "pitch", str(SAMPLE), "--out", str(out))
    assert code == 2 and stdout == ""
    assert "already holds deck.pptx" in err
    assert "--force" in err
    assert "notes.txt" not in err
    assert (out / "deck.pptx").read_bytes() == b"the earlier deck"

    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(out), "--force")
    assert code == 0, err
    assert len(Presentation(io.BytesIO((out / "deck.pptx").read_bytes())).slides)
    assert (out / "notes.txt").read_text() == "the presenter's notes"


def test_pitch_writes_into_a_folder_without_its_files(tmp_path, capsys):
    out = tmp_path / "pitch"
    out.mkdir()
    (out / "notes.txt").write_text("the presenter's notes")
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(out))
    assert code == 0, err
    assert set(os.listdir(out)) >= {"notes.txt", "deck.pptx", "cpsu.png"}


def test_force_is_in_the_help():
    for command in ("pitch", "project"):
        done = run(command, "--help")
        assert done.returncode == 0
        assert "--force" in done.stdout


def test_pitch_refuses_a_folder_in_place_of_one_of_its_files(tmp_path, capsys):
    out = tmp_path / "pitch"
    (out / "bridge.png").mkdir(parents=True)
    (out / "cpsu.png").write_bytes(b"the earlier chart")
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(out), "--force")
    assert code == 2
    assert "a folder named bridge.png" in err
    # Nothing was replaced before the refusal.
    assert (out / "cpsu.png").read_bytes() == b"the earlier chart"


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 3_000), min_size=1, max_size=5),
    limit=st.integers(1, 3_500),
)
def test_a_set_of_files_is_all_new_or_all_as_it_was(tmp_path_factory, sizes, limit):
    folder = tmp_path_factory.mktemp("out")
    names = [f"file{i}.bin" for i in range(len(sizes))]
    earlier = {name: f"earlier {name}".encode() for name in names[::2]}
    for name, data in earlier.items():
        (folder / name).write_bytes(data)
    new = {
        name: bytes([i + 1]) * size
        for i, (name, size) in enumerate(zip(names, sizes, strict=True))
    }

    # A child process writes them under the limit; this one reads the folder.
    child = os.fork()
    if child == 0:
        code = 2
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            write_files([(folder / name, new[name]) for name in names])
            code = 0
        except OutputError:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)

    after = {path.name: path.read_bytes() for path in folder.iterdir()}
    if all(len(data) <= limit for data in new.values()):
        assert os.waitstatus_to_exitcode(status) == 0
        assert after == new
    else:
        assert os.waitstatus_to_exitcode(status) == 1
        assert after == earlier


def test_force_without_out_is_a_usage_error(capsys):
    code, out, err = call(capsys, "project", str(SAMPLE), "--force")
    assert code == 2
    assert out == ""
    assert "--force" in err and "--out" in err
