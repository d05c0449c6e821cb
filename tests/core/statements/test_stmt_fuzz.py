"""Fuzz the parsers with mutated corpus files: only StatementError may escape.

The catch-all in ``parse_bytes`` would hide bugs, so a StatementError from it
("unexpected ...") also fails the test: each parser must report its own errors.

CI runs 25 examples per parser. The long run:

    LETTRAGE_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/core/statements/test_stmt_fuzz.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.statements import StatementError, parse_bytes
from tests.core.statements.conftest import corpus_dir

EXAMPLES = int(os.environ.get("LETTRAGE_FUZZ_EXAMPLES", "25"))
settings.register_profile("lettrage-stmt", max_examples=EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
FUZZ = settings.get_profile("lettrage-stmt")

SEEDS = {
    "camt": ["camt/oca__test-camt053.xml", "camt/genkgo__camt054.v4.xml",
             "camt/dvbern__camt.053_P_CH0309000000250090342_380000000_0_2016053100163801.xml"],
    "ofx": ["ofx/ofxparse__checking.ofx", "ofx/asgrim-ofxparser__ofxdata-xml.ofx",
            "ofx/beancount-import__amex.ofx"],
    "mt940": ["mt940/wolph-mt940__betterplace__sepa_snippet.sta",
              "mt940/oca-mt940_base__test-ing.940", "mt940/php-mt940__Rabo__sample3.sta"],
    "csv": ["csv/ofxstatement-sparkasse-freiburg__simple2.csv",
            "csv/oca-paypal__statement_es.csv", "csv/csv2ofx__ubs-ch-fr_trimmed.csv"],
}


def _seeds(kind: str) -> list[bytes]:
    root = corpus_dir()
    if root is None:
        return []
    return [(root / rel).read_bytes() for rel in SEEDS[kind] if (root / rel).is_file()]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.sampled_from(
                [b"<", b">", b"</Ntry>", b"<Ntry>", b":61:", b":20:", b"?", b"\x00", b";", b'"',
                 b"<STMTTRN>", b"\n", b"&", b"\xff\xfe", b"-999999999999999999.99", b","]))
        elif action == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 50))]
    return bytes(data)


def _check(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz")
    except StatementError as exc:
        # the top-level safety net turns bugs into "unexpected ..." errors: none allowed
        assert "unexpected" not in str(exc), str(exc)


def _run(kind: str) -> None:
    seeds = _seeds(kind)
    if not seeds:
        pytest.skip("statement corpus not found")

    @FUZZ
    @given(mutated(seeds))
    def inner(data: bytes) -> None:
        _check(data)

    inner()


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_stmt_fuzz_only_statement_error(kind: str) -> None:
    _run(kind)


def test_stmt_fuzz_seeds_parse(corpus: Path) -> None:
    for rels in SEEDS.values():
        for rel in rels:
            assert parse_bytes((corpus / rel).read_bytes(), rel).statements
