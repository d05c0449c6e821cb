"""Finding 9 of issue #13: every command that reads a file applies the size cap and the
format checks: a huge file, a binary file and /dev/zero are refused at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability.support import company, run_cli, write

READERS = [("statement", "profile", "guess"), ("load", "customers"),
           ("load", "open-entries"), ("statement", "import", "--bank-account", "B1"),
           ("statement", "parse")]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return company("sqlite", tmp_path_factory.mktemp("files"))


def _args(reader: tuple[str, ...], file: Path) -> list[str]:
    if reader[:2] == ("statement", "import"):
        return ["statement", "import", str(file), *reader[2:]]
    return [*reader, str(file)]


@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_dev_zero_is_refused(reader: tuple[str, ...], url: str, tmp_path: Path) -> None:
    done = run_cli(tmp_path, url, *_args(reader, Path("/dev/zero")), timeout=60)
    assert done.returncode == 1, done
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_a_huge_file_is_refused_by_its_size(reader: tuple[str, ...], url: str,
                                            tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:  # sparse: a gigabyte that takes no disk space
        f.truncate(1024 ** 3)
    done = run_cli(tmp_path, url, *_args(reader, huge), timeout=60)
    assert done.returncode == 1, done
    assert "larger than the" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_binary_input_is_refused(reader: tuple[str, ...], url: str, tmp_path: Path) -> None:
    blob = tmp_path / "blob.csv"
    blob.write_bytes(b"PK\x03\x04" + os.urandom(5000))
    done = run_cli(tmp_path, url, *_args(reader, blob), timeout=60)
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr and done.stderr.count("\n") <= 2, done.stderr


def test_profile_guess_on_a_big_field(tmp_path: Path) -> None:
    file = write(tmp_path / "bank.csv", "Date;Amount;Text\n01.02.2025;1,00;" + "x" * 2_000_000
                 + "\n")
    done = run_cli(tmp_path, None, "statement", "profile", "guess", str(file), timeout=60)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
