"""`cpsu check --mapping` on a rules file with problems in several rules."""

from __future__ import annotations

import json

from cpsu.cli import main
from tests.test_cli_gl import GL_CSV


def test_every_problem_of_every_rule_reaches_the_command_line(capsys, tmp_path):
    export = tmp_path / "gl.csv"
    export.write_text(GL_CSV)
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "version": 1,
                "rules": [
                    {"field": "vendor", "pattern": "AWS", "pool": "Support tools"},
                    {"field": "vendor", "pattern": "", "pool": "Kitchen"},
                    {"field": "accounts", "pattern": "6100-6199", "pool": "Other"},
                    *[{"field": "vendor", "pool": "Other"}] * 25,
                ],
            }
        )
    )
    code = main(["check", str(export), "--mapping", str(rules), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    issues = json.loads(out)["issues"]
    # rule 2: pattern and pool; rule 3: field; rules 4 to 28: no pattern each.
    # 2 + 1 + 25 = 28 problems: the first 20 listed and one line for 8 more
    assert len(issues) == 21
    assert [issue["where"] for issue in issues[:4]] == [
        'rules.json, rule 2, "pattern"',
        'rules.json, rule 2, "pool"',
        'rules.json, rule 3, "field"',
        'rules.json, rule 4, "pattern"',
    ]
    assert issues[19]["where"] == 'rules.json, rule 20, "pattern"'
    assert issues[20]["message"].startswith(
        "8 more problems are not listed (28 in all, in 27 of the 28 rules)."
    )
    # and each is said on stderr, where and what to write
    assert 'Error in rules.json, rule 2, "pool": "Kitchen" is not a cost pool' in err
    assert err.count("Error in rules.json") == 21
    assert ", row " not in err  # a rules file has rules, not rows


def test_a_misspelt_key_is_said_on_the_command_line_and_the_rule_used(capsys, tmp_path):
    export = tmp_path / "gl.csv"
    export.write_text(GL_CSV)
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "version": 1,
                "rules": [
                    {
                        "field": "vendor",
                        "pattern": "AWS",
                        "pool": "Support tools",
                        "line_nme": "Cloud",
                    }
                ],
            }
        )
    )
    code = main(["check", str(export), "--mapping", str(rules)])
    _, err = capsys.readouterr()
    assert code == 0
    assert (
        'Warning in rules.json, rule 1, "line_nme": "line_nme" is not a key a rule '
        'has, so it was ignored; did you mean "line_name"?'
    ) in err
