"""Every ``--seed`` takes 0 … 2³²−1 and refuses anything else with exit 2, before any model loads.

The commands are found by looking for a ``--seed`` option in the launcher's own parser, so a
command that gains one later is covered without touching this file.
"""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from lab_app.cli import build_parser
from lab_app.cli.common import seed_arg
from lab_app.qt import screenshot_cmd

RULE = "argument --seed: a seed is a whole number from 0 to 4294967295"


def _seed_actions() -> dict[str, argparse.Action]:
    """Each subcommand's ``--seed`` action, by command name (what ``bert-lab`` itself parses)."""
    parser = build_parser((screenshot_cmd.register,))
    found: dict[str, argparse.Action] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for option in sub._actions:
                    if "--seed" in option.option_strings:
                        found[name] = option
    return found


SEEDED = sorted(_seed_actions())


def test_the_seeded_commands_are_found() -> None:
    assert {"generate", "finetune", "shots", "cluster"} <= set(SEEDED)


@pytest.mark.parametrize("command", SEEDED)
def test_every_seed_option_uses_the_one_rule(command: str) -> None:
    action = _seed_actions()[command]
    assert action.type is seed_arg
    assert action.type("0") == 0 and action.type(str(2**32 - 1)) == 2**32 - 1


def _refused(cli: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Exit 2, nothing on stdout, and one error line (argparse's usage comes before it)."""
    with pytest.raises(SystemExit) as exc:
        cli(*argv)
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and err.rstrip().endswith(errors[0]), err
    return errors[0]


@pytest.mark.parametrize("value", ["-1", str(2**32)])
@pytest.mark.parametrize("command", SEEDED)
def test_every_seed_refuses_out_of_range(
    cli: Any, capsys: pytest.CaptureFixture[str], command: str, value: str
) -> None:
    line = _refused(cli, capsys, command, "--seed", value)
    assert line == f"bert-lab {command}: error: {RULE}, not {value}"


@pytest.mark.parametrize(
    "argv",
    [
        ("generate", "hi", "--seed", "-5"),  # the three crashes
        ("finetune", "data.csv", "--model", "m", "--method", "features", "--seed", "-3"),
        ("shots", "antonyms", "--seed", "-1"),
        ("generate", "hi", "--seed=-5"),
        ("cluster", "u.csv", "--model", "m", "--pooling", "mean", "--k", "3", "--seed", "-7"),
    ],
)
def test_a_negative_seed_is_refused_before_anything_runs(
    cli: Any, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    assert RULE in _refused(cli, capsys, *argv)


@pytest.mark.parametrize(("value", "shown"), [("abc", "'abc'"), ("1.5", "'1.5'"), ("", "''")])
def test_a_seed_that_is_not_a_whole_number_is_refused(
    cli: Any, capsys: pytest.CaptureFixture[str], value: str, shown: str
) -> None:
    line = _refused(cli, capsys, "shots", "antonyms", "--seed", value)
    assert line.endswith(f"{RULE}, not {shown}")
