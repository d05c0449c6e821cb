"""Bank reconciliation evidence is stored language-neutral and worded in the reader's
language: a French clerk reads French evidence for a match an English clerk made, and
the other way round (issue 16)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlmodel import select

from core.bank_reconciliation.evidence import Minor, records, render, said
from core.bank_reconciliation.models import BankRecLine
from core.i18n import N_, set_language
from core.kernel.store import Store
from tests.core.bank_reconciliation.bankrec_support import BANK, Kit
from tests.statement_samples import Tx, camt, write


def _matched(store: Store, tmp_path: Path, language: str) -> tuple[Kit, int]:
    kit = Kit(store)
    kit.entry("1500.00", date(2026, 8, 3), "DEP-1001")
    kit.entry("-120.00", date(2026, 8, 4), "PAY-77", desc="Office rent")
    f = write(tmp_path, "aug.xml", camt([
        Tx("1500.00", "2026-08-03", "R1", text="Deposit DEP-1001"),
        Tx("-120.00", "2026-08-05", "R2", text="Rent August PAY-77")],
        opening="0.00", start="2026-08-01", end="2026-08-31"))
    set_language(language)
    try:
        rec, _message = kit.rec.import_statement(f, BANK)
        assert rec.id is not None
        kit.rec.match_auto(rec.id, tolerance_days=2)
    finally:
        set_language("en")
    return kit, rec.id


def _details(kit: Kit, rec_id: int, language: str) -> str:
    set_language(language)
    try:
        return "\n".join(d for ln in kit.rec.lines(rec_id) for d in ln.details)
    finally:
        set_language("en")


def test_an_english_match_reads_in_french(store: Store, tmp_path: Path) -> None:
    kit, rec_id = _matched(store, tmp_path, "en")
    with store.read() as s:
        stored = [json.loads(ln.details_json) for ln in s.exec(select(BankRecLine))]
    # stored: message ids and parameters, the amount in minor units, no sentence
    first = stored[0][0]
    assert isinstance(first, dict) and first["id"].startswith("Document no. {value}")
    assert {"minor": 150000} in [p for item in stored[0] for p in item["params"].values()]
    french = _details(kit, rec_id, "fr")
    assert "n° document DEP-1001 de l'écriture bancaire" in french
    assert "1\u202f500,00" in french and "Document no." not in french
    english = _details(kit, rec_id, "en")
    assert "Document no. DEP-1001 of bank entry" in english and "1,500.00" in english


def test_a_french_match_reads_in_english(store: Store, tmp_path: Path) -> None:
    kit, rec_id = _matched(store, tmp_path, "fr")
    english = _details(kit, rec_id, "en")
    assert "Document no. PAY-77 of bank entry" in english
    assert "Posted" in english and "écriture" not in english
    assert "écriture bancaire" in _details(kit, rec_id, "fr")


def test_records_nest_and_old_sentences_stay() -> None:
    why = said(N_("its texts match the line less"))
    lost = said(N_("Runner-up bank entry {entry_no} lost: {why}."), entry_no=7, why=why)
    amount = said(N_("The amount {fmt} equals the remaining amount of bank entry "
                     "{entry_no}."), fmt=Minor(-12345), entry_no=7)
    stored = json.loads(json.dumps(records([lost, amount, "An older stored sentence."])))
    assert stored[0]["params"]["why"]["id"] == "its texts match the line less"
    set_language("fr")
    try:
        shown = render(stored)
    finally:
        set_language("en")
    assert "7" in shown[0] and "its texts" not in shown[0] and "Runner-up" not in shown[0]
    assert "-123,45" in shown[1]
    assert shown[2] == "An older stored sentence."
    assert render(stored)[0] == "Runner-up bank entry 7 lost: its texts match the line less."
