"""Finding 4 of issue #13: only ``init`` and ``demo`` create a company. Any other
command on a missing file, an empty database or another program's database says so,
exits 1 and creates nothing (no SQLite file, no PostgreSQL schema)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from data.engine import make_engine
from tests.reliability.support import company, db_url, empty_pg_url, run_cli, run_process

COMMANDS = [("check",), ("load", "customers", "x.csv"), ("setup", "show"),
            ("reconcile", "lines", "--bank-account", "B1"), ("audit",), ()]


def _tables(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "tui")
def test_a_mistyped_sqlite_path_creates_nothing(args: tuple[str, ...], tmp_path: Path) -> None:
    typo = tmp_path / "bokks.db"
    done = run_cli(tmp_path, str(typo), *args)
    assert done.returncode == 1, done
    assert f"There is no company database at {typo}" in done.stderr
    assert done.stderr.count("\n") == 1 and not typo.exists()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_empty_database_is_refused_and_left_empty(backend: str, tmp_path: Path) -> None:
    url = db_url(backend, tmp_path)
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).touch()  # an empty file
    done = run_cli(tmp_path, url, "check")
    assert done.returncode == 1 and "holds no Lettrage company" in done.stderr, done
    assert _tables(url) == []


def test_a_foreign_postgresql_database_is_not_touched(tmp_path: Path) -> None:
    url = empty_pg_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    for args in (("check",), ("init",), ("demo",), ("load", "customers", "x.csv")):
        done = run_cli(tmp_path, url, *args)
        assert done.returncode == 1, done
        assert "tables of another program" in done.stderr
    assert _tables(url) == ["invoices"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_init_and_demo_still_create(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    assert run_cli(tmp_path, url, "check").returncode == 0
    other = db_url(backend, tmp_path / "demo") if backend == "sqlite" else empty_pg_url()
    (tmp_path / "demo").mkdir(exist_ok=True)
    # what ./dev run does first, on a first run and again (real processes: start-up)
    assert run_process(tmp_path, other, "demo", "--if-empty").returncode == 0
    again = run_process(tmp_path, other, "demo", "--if-empty")
    assert again.returncode == 0 and again.stdout == ""
    assert run_cli(tmp_path, other, "check").returncode == 0


def test_schema_without_company_is_refused(tmp_path: Path) -> None:
    from tui.bootstrap import open_store

    url = f"sqlite:///{tmp_path / 'half.db'}"
    open_store(url).engine.dispose()  # schema, no company (an interrupted init)
    done = run_cli(tmp_path, url, "setup", "show")
    assert done.returncode == 1 and "holds no company yet" in done.stderr


@pytest.mark.parametrize(("make_url", "message"), [
    (lambda p: str(p), "is a folder, not a database file"),
    (lambda p: str(p / "missing" / "x.db"), "The folder"),
    (lambda p: "mysql://u@h/db", "Unsupported database 'mysql'"),
    (lambda p: "postgresql://postgres@127.0.0.1:1/test", "Cannot reach the PostgreSQL server"),
])
def test_bad_locations_in_one_line(make_url, message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = run_cli(tmp_path, make_url(tmp_path), "init")
    assert done.returncode == 1 and message in done.stderr, done
    assert done.stderr.count("\n") == 1
