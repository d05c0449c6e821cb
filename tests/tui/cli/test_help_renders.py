"""Every command and subcommand's --help renders (an unescaped % in a help string makes
argparse fail with a traceback instead of printing the help)."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from tui.cli import build_parser
from tui.cli.index import COMMAND_HELP


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    out: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        out.append((prefix or "lettrage", parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(f"{prefix} {name}".strip(), sub)

    walk("", build_parser())
    return out


PARSERS = _parsers()


def test_there_are_many_commands() -> None:
    assert len(PARSERS) > 40


@pytest.mark.parametrize("name,parser", PARSERS, ids=[n for n, _ in PARSERS])
def test_help_renders(name: str, parser: argparse.ArgumentParser) -> None:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        parser.print_help()
    assert "usage:" in buf.getvalue()


def test_command_list_without_imports_says_what_the_modules_say() -> None:
    """``lettrage --help`` answers from tui.cli.index without importing a command module;
    its list must name every command with the help its module registers."""
    full = {name: str(action.help) for parser_action in build_parser()._actions
            if isinstance(parser_action, argparse._SubParsersAction)
            for name, action in ((a.dest, a) for a in parser_action._choices_actions)}
    assert {k: str(v) for k, v in COMMAND_HELP.items()} == full


def test_top_level_help_lists_every_command_from_the_index() -> None:
    parser = build_parser(["--help"])
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        parser.print_help()
    assert all(name in buf.getvalue() for name in COMMAND_HELP)
