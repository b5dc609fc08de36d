"""`cpsu check --dates` and `--period`: what the file cannot say, said on the
command line."""

from __future__ import annotations

import json

import pytest
from ingest_fixtures import csv_bytes

from cpsu.cli import main

ROSTER = [
    ["Employee ID", "Worker type", "Start date", "End date"],
    ["E1", "Employee", "2025-01-15", ""],
    ["E2", "Employee", "03/04/2026", ""],
]
GL = [
    ["Posting date", "Account", "Vendor", "Amount"],
    ["03/04/2026", "6150", "Microsoft", "1000.00"],
    ["05/04/2026", "6150", "Microsoft", "1000.00"],
]
COST_LIST = [["Item", "Cost"], ["Laptops", "1200.00"], ["Licences", "600.00"]]


def test_open_dates_are_refused_with_the_option_that_settles_them(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(ROSTER))
    assert main(["check", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "could be 2026-04-03 (day first) or 2026-03-04 (month first)" in err
    assert (
        "To read the file, say the order of its text dates with --dates day-first "
        "or --dates month-first." in err
    )


def test_dates_day_first_reads_the_roster(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(ROSTER))
    assert main(["check", str(path), "--dates", "day-first", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the latest start, 3 April 2026 day first, makes 2026-Q2 the baseline:
    # E1 and E2 on the books on 30 June
    assert report["baseline_quarter"] == "2026-Q2"
    assert report["quarters"][0]["employees"] == 2
    assert any("read day first, as you chose" in i["message"] for i in report["issues"])


def test_dates_month_first_maps_a_gl_export(tmp_path, capsys):
    export = tmp_path / "gl.csv"
    export.write_bytes(csv_bytes(GL))
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "version": 1,
                "rules": [{"field": "account", "pattern": "6150", "pool": "Other"}],
            }
        )
    )
    args = ["check", str(export), "--mapping", str(rules), "--json"]
    assert main(args) == 1
    assert "--dates day-first" in capsys.readouterr().err
    assert main([*args, "--dates", "month-first"]) == 0
    report = json.loads(capsys.readouterr().out)
    # month first: 4 March and 4 May, so March to May, 3 months;
    # 2,000 / 3 = 666.67 a month
    assert report["reconciliation"]["months"] == 3
    assert round(report["monthly_run_rate"], 2) == 666.67


def test_period_year_reads_a_cost_list(tmp_path, capsys):
    path = tmp_path / "budget.csv"
    path.write_bytes(csv_bytes(COST_LIST))
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Say whether these amounts are a month, a quarter or a year" in err
    assert "say what its amounts cover with --period month, quarter or year" in err
    assert main(["check", str(path), "--period", "year", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # 1,200 / 12 = 100 and 600 / 12 = 50
    assert [line["monthly"] for line in report["lines"]] == [100.0, 50.0]


def test_a_bad_choice_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "budget.csv"
    path.write_bytes(csv_bytes(COST_LIST))
    with pytest.raises(SystemExit) as stop:
        main(["check", str(path), "--period", "week"])
    assert stop.value.code == 2
    assert "invalid choice: 'week'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--resolution-rate", "The Tier 1 resolution rate"),
        ("--deflection-cap", "The deflection cap"),
    ],
)
def test_a_share_out_of_range_is_refused_in_the_options_words(option, said, capsys):
    # A user who typed 1.5 for 150% reads the share's name, not the model's field.
    from cpsu.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["project", "sample_data/sample_company.xlsx", option, "1.5"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert f"{said} must be between 0% and 100% (0 and 1), not 1.5." in error
    assert "_" not in error.split("error:", 1)[1]
