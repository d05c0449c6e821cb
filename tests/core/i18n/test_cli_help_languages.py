"""Every command's --help works in French and in English (argparse formats help texts
with ``%``: a translation with a bare ``%`` used to crash ``setup --help`` in French),
and the French help has no English sentence left."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

import pytest

from core.i18n import N_, set_language, using_language
from core.ledger.check import CheckName, CheckResult, shown_name
from tui.cli import COMMAND_OF, main
from tui.cli.index import COMMAND_HELP

ENGLISH = re.compile(r"\b(the|and|with|from|only|this|default|when|must)\b")


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    try:
        with pytest.raises(SystemExit) as exit_:
            main(list(argv))
    finally:
        set_language("en")
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(set(COMMAND_OF) | set(COMMAND_HELP)))
def test_every_command_help_in_french(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, "--lang", "fr", command, "--help")
    assert "options:" in text or "usage :" in text
    # option names, metavars and values (``--no-financial``, ``YYYY-MM-DD``) are code
    words = re.sub(r"--?[\w-]+|[A-Z_]{2,}|\b[a-z_]+_[a-z_]+\b|'[^']*'|\([^)]*,[^)]*\)", "",
                   text)
    assert not ENGLISH.findall(words), text


def test_the_top_level_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    french = _help(capsys, "--lang", "fr", "--help")
    english = _help(capsys, "--lang", "en", "--help")
    assert "afficher cette aide et quitter" in french and "show this help" in english


def test_check_names_shown_in_the_language_and_english_in_json() -> None:
    """``lettrage check``: each check's name in the clerk's language, English in --json."""
    result = CheckResult(N_("every transaction balances"), True)
    named = CheckResult(CheckName(N_("customer sub-ledger equals G/L account {account}"),
                                  account="1200"), False)
    with using_language("fr"):
        assert shown_name(result.name) == "chaque transaction est équilibrée"
        assert shown_name(named.name) == "le sous-grand livre client égale le compte général 1200"
        data = json.loads(json.dumps([asdict(result), asdict(named)]))
    assert [d["name"] for d in data] == ["every transaction balances",
                                         "customer sub-ledger equals G/L account 1200"]
    assert shown_name(named.name) == "customer sub-ledger equals G/L account 1200"
