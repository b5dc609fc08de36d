"""`cpsu actuals`: the history from the command line, run as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import ROOT, call, run

SAMPLE_ACTUALS = ROOT / "sample_data" / "sample_actuals.xlsx"


def test_the_sample_as_json_from_the_installed_command() -> None:
    done = run("actuals", str(SAMPLE_ACTUALS), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    quarters = report["quarters"]
    assert len(quarters) == 17
    assert set(quarters[0]) >= {
        "quarter",
        "supported_users",
        "monthly_opex",
        "cpsu",
        "change",
    }
    assert quarters[-1]["quarter"] == "2026-Q4"
    assert quarters[-1]["supported_users"] == 1350
    # $209,301.49 / 1,350 = $155.038
    assert quarters[-1]["cpsu"] == pytest.approx(209_301.49 / 1350)
    assert quarters[0]["change"] is None
    assert (report["streak"], report["longest_streak"]) == (16, 16)
    changes = [q["change"] for q in quarters[1:]]
    assert report["average_change"] == pytest.approx(sum(changes) / len(changes))
    curve = report["experience_curve"]
    assert set(curve) == {"a", "b", "per_doubling", "r2"}
    assert curve["per_doubling"] == pytest.approx(1 - 2 ** -curve["b"])
    assert 0.99 < curve["r2"] <= 1


def test_a_hand_made_history(tmp_path: Path, capsys) -> None:
    # CPSU 200, 160, 160 (a tie ends the streak), 128.
    path = tmp_path / "ours.csv"
    path.write_text(
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2026-Q1,100,0,20000\n2026-Q2,150,50,32000\n"
        "2026-Q3,150,50,32000\n2026-Q4,400,0,51200\n"
    )
    code, out, err = call(capsys, "actuals", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert [q["cpsu"] for q in report["quarters"]] == pytest.approx(
        [200, 160, 160, 128]
    )
    assert [q["change"] for q in report["quarters"]][1:] == pytest.approx(
        [-0.2, 0.0, -0.2]
    )
    assert (report["streak"], report["longest_streak"]) == (1, 1)
    # (-0.2 + 0 - 0.2) / 3
    assert report["average_change"] == pytest.approx(-0.4 / 3)


def test_contingent_workers_at_a_weight(tmp_path: Path, capsys) -> None:
    # 100 employees + 0.5 x 100 contingent = 150 users: $15,000 / 150 = $100.
    path = tmp_path / "weighted.csv"
    path.write_text(
        "Quarter,Employees,Contingent,Monthly OPEX\n2026-Q1,100,100,15000\n"
    )
    code, out, _ = call(
        capsys, "actuals", str(path), "--contingent-weight", "0.5", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["quarters"][0]["cpsu"] == pytest.approx(100)
    assert report["experience_curve"] is None
    assert "at least 3 quarters" in report["experience_curve_note"]


def test_a_bad_file_says_where_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Quarter,Employees,Monthly OPEX\n2026-Q1,100,10000\n2026-Q3,90,9000\n"
    )
    done = run("actuals", str(path))
    assert done.returncode == 1
    assert "bad.csv, row 3, column Quarter (A)" in done.stderr
    assert "leaving out 2026-Q2" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_missing_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code, _, err = call(capsys, "actuals", str(tmp_path / "nowhere.xlsx"))
    assert code == 2
    assert "cannot open" in err
    code, _, err = call(
        capsys, "actuals", str(SAMPLE_ACTUALS), "--contingent-weight", "-1"
    )
    assert code == 2


def test_a_weight_beyond_ten_is_a_usage_error(capsys) -> None:
    # 1e308 users a contingent worker made CPSU nonsense and exited 0.
    for weight in ("1e308", "10.5"):
        code, out, err = call(
            capsys, "actuals", str(SAMPLE_ACTUALS), "--contingent-weight", weight
        )
        assert code == 2
        assert out == ""
        assert "must be from 0 to 10" in err
    code, _, _ = call(
        capsys, "actuals", str(SAMPLE_ACTUALS), "--contingent-weight", "10", "--json"
    )
    assert code == 0


def _two_history_sheets(path: Path, names: tuple[str, str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = names[0]
    second = book.create_sheet(names[1])
    for sheet, cost in ((first, 20_000), (second, 30_000)):
        sheet.append(["Quarter", "Employees", "Contingent", "Monthly OPEX"])
        sheet.append(["2026-Q1", 100, 0, cost])
        sheet.append(["2026-Q2", 200, 0, cost * 1.5])
    book.save(path)


def test_two_sheets_of_actuals_read_the_first_and_name_the_other(
    tmp_path: Path, capsys
) -> None:
    # Sheet A: $20,000 / 100 = $200; Sheet B would be $30,000 / 100 = $300.
    path = tmp_path / "two.xlsx"
    _two_history_sheets(path, ("Sheet A", "Sheet B"))
    code, out, err = call(capsys, "actuals", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["sheet"] == "Sheet A"
    assert report["quarters"][0]["cpsu"] == pytest.approx(200)
    (note,) = [i for i in report["issues"] if "Sheet B" in i["message"]]
    assert note["severity"] == "warning"
    assert "also looks like actuals and was not read" in note["message"]
    code, out, err = call(capsys, "actuals", str(path))
    assert code == 0
    assert "Read from the sheet Sheet A." in out
    assert "Sheet B" in err


def test_a_sheet_named_actuals_is_read_whatever_its_place(
    tmp_path: Path, capsys
) -> None:
    path = tmp_path / "named.xlsx"
    _two_history_sheets(path, ("Plan", "Actuals"))
    code, out, _ = call(capsys, "actuals", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["sheet"] == "Actuals"
    # $30,000 / 100 users
    assert report["quarters"][0]["cpsu"] == pytest.approx(300)
    assert not any("not read" in i["message"] for i in report["issues"])
