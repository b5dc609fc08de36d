"""`cpsu pitch`: the chart images and the deck, written to a folder."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from pptx import Presentation

from cpsu.deck import png_size
from cpsu.pitch_charts import CHART_NAMES, SLIDE_WIDTH
from tests.test_cli import SAMPLE, broken_workbook, call, run


def test_pitch_writes_each_charts_png_and_svg_and_the_deck(tmp_path):
    out = tmp_path / "pitch"
    done = run("pitch", str(SAMPLE), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    assert listing["scenario"] == "Base"
    assert listing["out"] == str(out)
    files = {(file["chart"], file["kind"]): file for file in listing["files"]}
    assert set(files) == {
        *((name, kind) for name in CHART_NAMES for kind in ("png", "svg")),
        (None, "pptx"),
    }
    for (_, kind), file in files.items():
        data = Path(file["path"]).read_bytes()
        assert Path(file["path"]).parent == out
        assert len(data) == file["bytes"]
        if kind == "png":
            width, _ = png_size(data)
            assert width > 2 * SLIDE_WIDTH  # scale 2
        elif kind == "svg":
            assert ElementTree.fromstring(data).tag.endswith("svg")
    deck = Presentation(io.BytesIO((out / "deck.pptx").read_bytes()))
    titles = [slide.shapes.title.text for slide in deck.slides]
    chart_titles = [files[name, "png"]["title"] for name in CHART_NAMES]
    assert titles[3 : 3 + len(CHART_NAMES)] == chart_titles
    assert "CPSU falls" in chart_titles[0]
    assert listing["narrative"].startswith("Support costs $")


def test_pitch_takes_the_projects_options(tmp_path, capsys):
    code, out, err = call(
        capsys,
        "pitch",
        str(SAMPLE),
        "--out",
        str(tmp_path),
        "--quarters",
        "4",
        "--growth",
        "0.2",
        "--fiscal-start",
        "7",
        "--json",
    )
    assert code == 0, err
    listing = json.loads(out)
    # 2026-Q4 and four quarters: 2027-Q4; quarters 1..4 are January to
    # December 2027, half in FY2027 (to June) and half in FY2028.
    assert "by 2027-Q4" in listing["narrative"]
    assert "with growth of +20.0% a quarter" in listing["narrative"]
    assert "FY2027 (6 months)" in listing["narrative"]
    assert "FY2028 (6 months)" in listing["narrative"]


def test_pitch_says_the_files_for_people(tmp_path, capsys):
    code, out, _ = call(capsys, "pitch", str(SAMPLE), "--out", str(tmp_path / "new"))
    assert code == 0
    # six charts (the sample's Conservative and Aggressive compared too), each
    # as PNG and SVG, and the deck: 6 x 2 + 1 = 13
    assert out.rstrip().endswith(f"13 files written to {tmp_path / 'new'}")
    assert "deck.pptx" in out


def test_pitch_needs_a_folder_it_can_make(tmp_path, capsys):
    a_file = tmp_path / "taken.txt"
    a_file.write_text("not a folder")
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(a_file))
    assert code == 2
    assert "is a file" in err
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", str(tmp_path / "a/b"))
    assert code == 2
    assert "does not exist" in err
    code, _, err = call(capsys, "pitch", str(SAMPLE))
    assert code == 2
    assert "--out" in err
    # An empty name is not the current folder.
    code, _, err = call(capsys, "pitch", str(SAMPLE), "--out", "")
    assert code == 2
    assert "needs a folder's name" in err


def test_pitch_and_project_say_why_a_file_could_not_be_read(tmp_path, capsys):
    # Bytes that are no spreadsheet: the reader's own message, exit 1, as
    # cpsu check says it; not a note on cost lists.
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(bytes(range(256)) * 4)
    for command in (
        ["pitch", str(junk), "--out", str(tmp_path / "out")],
        ["project", str(junk)],
    ):
        code, _, err = call(capsys, *command)
        assert code == 1
        assert "neither a workbook nor readable text" in err
        assert "cost lines" not in err
    # A readable list of cost lines has no headcount to project.
    listed = tmp_path / "list.csv"
    listed.write_text("Item,Monthly cost\nTool,100\n")
    code, _, err = call(capsys, "pitch", str(listed), "--out", str(tmp_path / "o2"))
    assert code == 2
    assert "needs a workbook with Costs and Headcount sheets" in err


def test_pitch_of_a_broken_workbook_writes_nothing(tmp_path, capsys):
    out = tmp_path / "pitch"
    code, _, err = call(
        capsys, "pitch", str(broken_workbook(tmp_path)), "--out", str(out)
    )
    assert code == 1
    assert "Kitchen" in err
    assert list(out.iterdir()) == []
