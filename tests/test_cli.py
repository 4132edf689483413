"""The CLI: --version, --help with an example on every command, and documented exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [(), *_commands(main)], ids=lambda c: " ".join(c) or "kg")
def test_every_command_explains_itself_with_an_example(command: tuple[str, ...]):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"kg {' '.join(command)} --help has no example"
    assert "Exit codes" in result.output


def test_entry_point_runs_as_a_console_script():
    kg = Path(sys.executable).parent / "kg"
    result = subprocess.run([str(kg), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and __version__ in result.stdout


def test_unknown_option_is_a_usage_error():
    result = CliRunner().invoke(main, ["build", "--nope"])
    assert result.exit_code == 2


def test_undecodable_report_exits_2_with_position_and_fix(tmp_path: Path):
    # GBK/GB18030 is read with a warning (tests/test_source*.py); Latin-1 is not guessed.
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Rapport : économie\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["build", str(latin), "-o", str(tmp_path / "o.ttl")])
    assert result.exit_code == 2
    assert "latin.txt:1:11:" in result.output and "--encoding" in result.output
    assert "Traceback" not in result.output


def test_report_without_metadata_asks_for_overrides(tmp_path: Path):
    text = tmp_path / "bare.txt"
    text.write_text("各位代表：\n一、工作回顾\n全年完成投资100亿元。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(tmp_path / "o.ttl")])
    assert result.exit_code == 2 and "--government" in result.output and "--year" in result.output
    result = CliRunner().invoke(
        main, ["build", str(text), "-o", str(tmp_path / "o.ttl"), "--government", "某县人民政府", "--year", "2021"]
    )
    assert result.exit_code == 0, result.output


def test_malformed_turtle_exits_2_with_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/policykg/ontology#> .\n\n"
                   "kg:a kg:b kg:c kg:d .\nkg:c kg:d kg:e .\n", encoding="utf-8")
    at_end = tmp_path / "end.ttl"
    at_end.write_text("@prefix kg: <https://w3id.org/policykg/ontology#> .\n\nkg:a kg:b \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--graph", str(at_end)])
    assert result.exit_code == 2 and "end.ttl:3:11: malformed Turtle (unexpected end)" in result.output, result.output
    for command in (["validate"], ["stats"]):
        result = CliRunner().invoke(main, [*command, "--graph", str(bad)])
        assert result.exit_code == 2, result.output
        assert "bad.ttl:3:16: malformed Turtle (a dot is expected at the end of statements)" in result.output
        assert "b'" not in result.output, "the message quotes raw bytes"


def test_missing_graph_exits_2(tmp_path: Path):
    result = CliRunner().invoke(main, ["stats", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2 and "no such graph file" in result.output


def test_validate_exits_1_naming_focus_path_and_sentence(tmp_path: Path):
    out = tmp_path / "g.ttl"
    assert CliRunner().invoke(main, ["build", str(SOURCES / "jiading-2021.txt"), "-o", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # Break one sentence: give it a second start offset.
    at = text.index("kg:start ", text.index("a kg:Sentence"))
    broken = text[:at] + "kg:start 999999 , " + text[at + len("kg:start "):]
    assert broken != text
    out.write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--graph", str(out)])
    assert result.exit_code == 1, result.output
    assert "kg:start" in result.output and "sentence:" in result.output and "Violation" in result.output


def test_stats_counts_by_class_and_report(tmp_path: Path):
    out = tmp_path / "g.ttl"
    CliRunner().invoke(main, ["build", str(SOURCES / "jiading-2021.txt"), "-o", str(out)])
    result = CliRunner().invoke(main, ["stats", "--graph", str(out)])
    assert result.exit_code == 0
    assert "Sentence" in result.output and "2021年上海市嘉定区人民政府工作报告" in result.output


def test_help_lists_every_command_with_its_whole_first_sentence():
    """`kg --help` cut descriptions off with '...'; now they wrap."""
    for args in ([], ["table"]):
        result = CliRunner().invoke(main, [*args, "--help"])
        commands = result.output.split("Commands:", 1)[1].split("Exit codes", 1)[0]
        assert result.exit_code == 0 and "..." not in commands, commands


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["stats"], ["validate"], ["table", "reports"],
                                     ["analyze", "--top", "3"]])
def test_an_empty_graph_file_is_bad_input_for_every_command(tmp_path, command):
    """An empty .ttl was exit 2 for some commands and an empty graph (exit 0) for kg query."""
    empty = tmp_path / "empty.ttl"
    empty.write_text("\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*command, "--graph", str(empty)])
    assert result.exit_code == 2, result.output
    assert "the graph file is empty" in result.output and "Traceback" not in result.output
