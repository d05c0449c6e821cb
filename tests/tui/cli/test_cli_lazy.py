"""Issue #15, a command line that answers at once: ``lettrage check`` loads the check
queries and the store, not the tables of every capability; the first write loads them
(and with them the posting hooks: check entries, the audit trail of postings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.application.tolerance import POSTING_OPTIONS
from core.direct_debit.models import FORMATS, PARTNER_TYPES
from data.engine import SqlStore
from tui.cli import sepa
from tui.cli.setup import POSTING_OPTIONS as CLI_POSTING_OPTIONS

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, sys
from tui.cli import main
code = main(["--db", sys.argv[1], *sys.argv[2:], "--json"])
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules
                                                  if m.startswith(("core.", "textual")))}))
"""


def test_check_does_not_load_the_capabilities_tables(tmp_path: Path) -> None:
    db = str(tmp_path / "company.db")
    env = dict(os.environ, PYTHONPATH=str(ROOT), LETTRAGE_CONFIG_DIR=str(tmp_path))
    made = subprocess.run([sys.executable, "-m", "tui.cli", "--db", db, "init"], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False)
    assert made.returncode == 0, made.stderr
    for command, needed in ((["check"], "core.ledger.check"),
                            (["setup", "show"], "core.application.tolerance")):
        # setup show reads the company alone: no entry, party or reconciliation table
        done = subprocess.run([sys.executable, "-c", PROBE, db, *command], cwd=ROOT,
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.splitlines()[-1])
        assert result["code"] == 0, done.stdout + done.stderr
        modules = set(result["modules"])
        for heavy in ("core.tables", "core.collections.models", "core.registration.models",
                      "core.direct_debit.models", "core.feed.models", "core.ledger.models",
                      "core.reconciliation.models", "core.ledger.poster", "textual"):
            assert heavy not in modules, (command, heavy)
        assert needed in modules


def test_the_first_write_loads_every_table_and_posting_hook(ui_store: SqlStore) -> None:
    from core.ledger.poster import BANK_ENTRY_WRITERS, REGISTER_OBSERVERS

    with ui_store.write():
        pass
    assert "core.tables" in sys.modules
    assert [f.__module__ for f in REGISTER_OBSERVERS] == ["core.audit.postings"]
    assert [f.__module__ for f in BANK_ENTRY_WRITERS] == ["core.bank_reconciliation.checks"]


APPLY_PROBE = """
import json, sys
from tui.cli import main
code = main(["--db", sys.argv[1], "reconcile", sys.argv[2], "--bank-account", "BANK1",
             "--json"])
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules
                                                  if m.startswith(("core.", "lxml")))}))
"""


def _probe(db: str, action: str, tmp_path: Path) -> tuple[dict[str, Any], set[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LETTRAGE_CONFIG_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", APPLY_PROBE, db, action], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    *output, last = done.stdout.splitlines()
    result = json.loads(last)
    assert result["code"] == 0, done.stdout + done.stderr
    return json.loads("\n".join(output)), set(result["modules"])


def test_apply_auto_loads_only_the_tables_it_writes(tmp_path: Path) -> None:
    """Apply Automatically posts nothing (``store.write(posting=False)``): it runs without
    the other capabilities' tables nor the direct-debit export; posting loads them."""
    # imported here, not at the top: core.tables loaded at collection would make the
    # first-write test above pass whatever the store does
    from datetime import date

    from sqlmodel import SQLModel

    import core.tables  # noqa: F401  (the test's own store creates every table)
    from data.engine import make_engine
    from tests.helpers import invoice, seed_basics
    from tests.recon_support import SL, stage

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = dict(os.environ, PYTHONPATH=str(ROOT), LETTRAGE_CONFIG_DIR=str(tmp_path))
    made = subprocess.run([sys.executable, "-m", "tui.cli", "--db", db, "init"], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False)
    assert made.returncode == 0, made.stderr
    engine = make_engine(db)
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    seed_basics(store)
    doc = invoice(store, "C001", "250", date(2025, 1, 10))
    stage(store, [SL("250", f"Adatum Corporation {doc}", date(2025, 2, 3), reference="TX-1")],
          closing="250")
    engine.dispose()

    data, modules = _probe(db, "apply-auto", tmp_path)
    (line,) = data["lines"]
    assert (line["confidence"], line["account_no"], line["review_required"]) == (
        "high", "C001", False)
    for heavy in ("core.tables", "core.collections.models", "core.feed.models",
                  "core.registration.models", "core.audit.postings",
                  "core.direct_debit.export", "lxml.etree"):
        assert heavy not in modules, heavy
    _, modules = _probe(db, "post", tmp_path)
    assert {"core.tables", "core.audit.postings"} <= modules


HELP_PROBE = """
import json, sys
from tui.cli import main
try:
    main([sys.argv[1], "--help"])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules
                                                  if m.startswith(("core.", "sqlalchemy")))}))
"""


def test_subcommand_help_loads_only_the_parsers(tmp_path: Path) -> None:
    """``setup --help`` and ``reconcile --help`` build their parsers from light modules:
    no service, no table, no SQLAlchemy (the commands' modules load when one runs)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), LETTRAGE_CONFIG_DIR=str(tmp_path))
    for command, words in (("setup", "change-tolerance"), ("reconcile", "transfer-difference")):
        done = subprocess.run([sys.executable, "-c", HELP_PROBE, command], cwd=ROOT,
                              capture_output=True, text=True, env=env, check=False)
        assert words in done.stdout, done.stdout + done.stderr
        result = json.loads(done.stdout.splitlines()[-1])
        assert result["code"] == 0
        modules = set(result["modules"])
        assert not any(m.startswith(("sqlalchemy", "core.application", "core.reconciliation"))
                       for m in modules), sorted(modules)


EVERY_HELP_PROBE = """
import argparse, json, sys
from tui.cli import COMMAND_OF, build_parser

def helps(parser):
    yield parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from helps(sub)

parser = build_parser(None)  # every command module's parsers
texts = list(helps(parser))
print(json.dumps({"helps": len(texts), "commands": sorted(COMMAND_OF),
                  "modules": sorted(m for m in sys.modules
                                    if m.startswith(("core.", "sqlalchemy", "sqlmodel")))}))
"""


def test_every_command_help_loads_only_the_parsers(tmp_path: Path) -> None:
    """Every command's and action's ``--help`` (issue #15: under 0.3 s) builds from the
    parser modules alone: the commands are in ``*_run`` modules imported when one runs."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), LETTRAGE_CONFIG_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", EVERY_HELP_PROBE], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["helps"] > 60  # every command and action was formatted
    heavy = [m for m in result["modules"] if m.startswith(("sqlalchemy", "sqlmodel"))
             or m.split(".")[-1] in ("models", "service", "tables")]
    assert heavy == []


def test_setup_posting_options_are_the_cores() -> None:
    assert CLI_POSTING_OPTIONS == POSTING_OPTIONS


def test_sepa_choices_are_the_cores() -> None:
    assert (sepa.FORMATS, sepa.PARTNER_TYPES) == (FORMATS, PARTNER_TYPES)
